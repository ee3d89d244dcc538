"""Staff write articles here: one version per language, a preview of each, and the
readers' answers per article. Only holders of "Can publish and unpublish help articles"
(the supervisors) publish; every save goes through helpcentre.services."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer
from helpcentre import selectors, services
from helpcentre.models import (
    DEFAULT_LANGUAGE,
    Article,
    ArticleEvent,
    ArticleVersion,
    Section,
    UnansweredSearch,
    language_codes,
)
from portal.admin import ReadOnlyAuditAdmin
from portal.exceptions import Refusal


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class ArticleForm(forms.ModelForm):
    plans = forms.MultipleChoiceField(
        label=_("applies to plans"),
        choices=Customer.Plan.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty when the article applies to every plan."),
    )

    class Meta:
        model = Article
        fields = ["section", "slug", "position", "is_internal", "plans", "related"]


class ArticleVersionInline(admin.StackedInline):
    model = ArticleVersion
    fields = ["language", "title", "summary", "body"]
    extra = 0
    min_num = 1
    max_num = len(language_codes())


@admin.action(description=_("Publish the selected articles"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    for article in queryset:
        services.article_publish(article=article, acting_user=request.user)


@admin.action(
    description=_("Withdraw the selected articles (back to draft)"), permissions=["publish"]
)
def unpublish(modeladmin, request, queryset):
    for article in queryset:
        services.article_unpublish(article=article, acting_user=request.user)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = [ArticleVersionInline]
    actions = [publish, unpublish]
    list_display = [
        "slug",
        "english_title",
        "section",
        "status",
        "is_internal",
        "view_count",
        "helpful_count",
        "not_helpful_count",
        "deflection_count",
        "updated_at",
    ]
    list_filter = ["status", "is_internal", "section"]
    search_fields = ["slug", "versions__title"]
    readonly_fields = ["status", "published_at", "previews", "updated_at"]
    filter_horizontal = ["related"]
    change_list_template = "admin/helpcentre/article/change_list.html"

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return selectors.article_statistics().prefetch_related(
            Prefetch(
                "versions",
                queryset=ArticleVersion.objects.filter(language=DEFAULT_LANGUAGE).only(
                    "article_id", "title", "language"
                ),
                to_attr="english_versions",
            )
        )

    @admin.display(description=_("title (English)"))
    def english_title(self, article: Article) -> str:
        return article.english_versions[0].title if article.english_versions else "–"

    @admin.display(description=_("helpful"), ordering="helpful_count")
    def helpful_count(self, article: Article) -> int:
        return article.helpful_count

    @admin.display(description=_("not helpful"), ordering="not_helpful_count")
    def not_helpful_count(self, article: Article) -> int:
        return article.not_helpful_count

    @admin.display(description=_("deflections"), ordering="deflection_count")
    def deflection_count(self, article: Article) -> int:
        return article.deflection_count

    @admin.display(description=_("preview"))
    def previews(self, article: Article) -> str:
        if article.pk is None:
            return "–"
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:helpcentre_article_preview", args=[article.pk, code]), code)
                for code in article.versions.values_list("language", flat=True)
            ),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleVersion:
            return super().save_formset(request, form, formset, change)
        versions = formset.save(commit=False)
        for version in formset.deleted_objects:
            version.delete()
        for version in versions:
            services.article_version_save(version=version, acting_user=request.user)
        formset.save_m2m()

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/<str:language>/",
                self.admin_site.admin_view(self.preview_view),
                name="helpcentre_article_preview",
            ),
            path(
                "deflections/",
                self.admin_site.admin_view(self.deflections_view),
                name="helpcentre_article_deflections",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        """The article as readers will see it, drafts included, in one language."""
        if not self.has_view_permission(request):
            raise Http404
        article = get_object_or_404(Article.objects.select_related("section"), pk=pk)
        version = article.versions.filter(language=language).first()
        if version is None:
            raise Http404
        page = selectors.ArticlePage(article, version, is_fallback=False, related=[])
        return TemplateResponse(request, "helpcentre/article.html", {"page": page, "preview": True})

    def deflections_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deflection rate per week"),
            "opts": self.model._meta,
            "weeks": selectors.deflection_rate_by_week(now=timezone.now()),
        }
        return TemplateResponse(request, "admin/helpcentre/deflections.html", context)

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except Refusal as refusal:
            messages.error(request, refusal.message)
            return None


@admin.register(ArticleEvent)
class ArticleEventAdmin(ReadOnlyAuditAdmin):
    list_display = ["created_at", "article", "kind", "language", "actor"]
    list_filter = ["kind"]
    list_select_related = ["article", "actor"]


@admin.register(UnansweredSearch)
class UnansweredSearchAdmin(ReadOnlyAuditAdmin):
    list_display = ["query", "language", "count", "last_searched_at"]
    list_filter = ["language"]
    search_fields = ["query"]
    ordering = ["-count", "-last_searched_at"]
