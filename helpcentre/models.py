"""The help centre: sections, articles with one version per language, the readers'
feedback, and the searches that found nothing."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer

DEFAULT_LANGUAGE = "en"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class Section(models.Model):
    """A group of articles on the help centre's home page. Its name is kept in every
    language; an empty translation shows the English name."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name (English)"), max_length=120)
    name_el = models.CharField(_("name (Greek)"), max_length=120, blank=True)
    name_it = models.CharField(_("name (Italian)"), max_length=120, blank=True)
    name_sk = models.CharField(_("name (Slovak)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{language}", "") or self.name

    @property
    def local_name(self) -> str:
        return self.name_in(get_language() or DEFAULT_LANGUAGE)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    is_internal = models.BooleanField(
        _("internal (staff only)"),
        default=False,
        help_text=_("Agents' procedures: never shown to customers or visitors."),
    )
    plans = models.JSONField(
        _("applies to plans"),
        default=list,
        blank=True,
        help_text=_("Leave empty when the article applies to every plan."),
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("related articles"), blank=True, symmetrical=True
    )
    position = models.PositiveSmallIntegerField(_("position in its section"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["section__position", "position", "slug"]
        permissions = [("publish_article", _("Can publish and unpublish help articles"))]
        indexes = [models.Index(fields=["status", "is_internal", "-view_count"])]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def plan_labels(self) -> list[str]:
        labels = dict(Customer.Plan.choices)
        return [str(labels[plan]) for plan in self.plans if plan in labels]


class ArticleVersion(models.Model):
    """An article in one language. `body_text` (the body as plain text) and
    `search_vector` are derived, and written by services.article_version_save."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=DEFAULT_LANGUAGE
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body (Markdown)"))
    body_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="helpcentre_one_version_per_language"
            )
        ]
        # The GIN indexes (search vector, trigrams of the title) are PostgreSQL-only and
        # made by migration 0002.
        indexes = [models.Index(fields=["language", "article"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ArticleEvent(models.Model):
    """The audit trail of the articles: who wrote, published or withdrew what."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Withdrawn")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("article event")
        verbose_name_plural = _("article events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.article_id})"


class Feedback(models.Model):
    """One reader's answer about an article. Nothing about the reader is kept: the
    browser remembers which articles it answered for (a signed cookie)."""

    class Kind(models.TextChoices):
        HELPFUL = "helpful", _("Helpful")
        NOT_HELPFUL = "not_helpful", _("Not helpful")
        DEFLECTION = "deflection", _("Solved it instead of a request")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="feedback"
    )
    kind = models.CharField(_("answer"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.article_id})"


class UnansweredSearch(models.Model):
    """A search of the help centre that found nothing, counted per normalised text."""

    query = models.CharField(_("search"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    count = models.PositiveIntegerField(_("times"), default=0)
    last_searched_at = models.DateTimeField(_("last searched"))

    class Meta:
        verbose_name = _("search that found nothing")
        verbose_name_plural = _("searches that found nothing")
        ordering = ["-count", "-last_searched_at"]
        constraints = [
            models.UniqueConstraint(fields=["query", "language"], name="helpcentre_unanswered_once")
        ]

    def __str__(self) -> str:
        return self.query
