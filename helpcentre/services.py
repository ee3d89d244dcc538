"""Every write of the help centre."""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from helpcentre import search
from helpcentre.markup import plain_text
from helpcentre.models import Article, ArticleEvent, ArticleVersion, Feedback, UnansweredSearch
from portal.exceptions import Refusal

PUBLISH_PERMISSION = "helpcentre.publish_article"


class NotAllowedToPublish(Refusal):
    def __init__(self) -> None:
        super().__init__(_("Only supervisors may publish or withdraw articles."))


def article_version_save(*, version: ArticleVersion, acting_user: User | None) -> ArticleVersion:
    """Save a version with its plain text and, on PostgreSQL, its search vector (the
    title weighing most, then the summary, then the body), in its language's
    configuration."""
    with transaction.atomic():
        created = version.pk is None
        version.body_text = plain_text(version.body)
        version.save()
        if connection.vendor == "postgresql":
            config = search.CONFIGURATIONS.get(version.language, "simple")
            ArticleVersion.objects.filter(pk=version.pk).update(
                search_vector=SearchVector("title", weight="A", config=config)
                + SearchVector("summary", weight="B", config=config)
                + SearchVector("body_text", weight="C", config=config)
            )
        Article.objects.filter(pk=version.article_id).update(updated_at=timezone.now())
        ArticleEvent.objects.create(
            article_id=version.article_id,
            actor=acting_user,
            kind=ArticleEvent.Kind.CREATED if created else ArticleEvent.Kind.EDITED,
            language=version.language,
        )
    return version


def article_publish(*, article: Article, acting_user: User) -> Article:
    return _article_set_status(
        article=article, acting_user=acting_user, status=Article.Status.PUBLISHED
    )


def article_unpublish(*, article: Article, acting_user: User) -> Article:
    return _article_set_status(
        article=article, acting_user=acting_user, status=Article.Status.DRAFT
    )


def _article_set_status(*, article: Article, acting_user: User, status: str) -> Article:
    if not acting_user.has_perm(PUBLISH_PERMISSION):
        raise NotAllowedToPublish
    with transaction.atomic():
        article.status = status
        if status == Article.Status.PUBLISHED:
            article.published_at = timezone.now()
        article.save(update_fields=["status", "published_at", "updated_at"])
        ArticleEvent.objects.create(
            article=article,
            actor=acting_user,
            kind=ArticleEvent.Kind.PUBLISHED
            if status == Article.Status.PUBLISHED
            else ArticleEvent.Kind.UNPUBLISHED,
        )
    return article


def article_record_view(*, article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


def feedback_record(*, article: Article, kind: str, language: str) -> Feedback:
    """A reader's answer; whether this browser already answered is the view's business."""
    return Feedback.objects.create(article=article, kind=kind, language=language)


def unanswered_search_record(*, query: str, language: str) -> None:
    text = search.normalise(query)
    if not text:
        return
    now = timezone.now()
    with transaction.atomic():
        updated = UnansweredSearch.objects.filter(query=text, language=language).update(
            count=F("count") + 1, last_searched_at=now
        )
        if not updated:
            _, created = UnansweredSearch.objects.get_or_create(
                query=text, language=language, defaults={"count": 1, "last_searched_at": now}
            )
            if not created:
                UnansweredSearch.objects.filter(query=text, language=language).update(
                    count=F("count") + 1, last_searched_at=now
                )
