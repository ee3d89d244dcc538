"""Staff write articles in the admin; supervisors publish; staff see what readers made
of each article and how many requests the help centre saved."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from helpcentre import services
from helpcentre.models import Article, ArticleEvent, ArticleVersion, Feedback, Section
from tests.factories import logged_in_verified, make_article, make_user
from tickets import services as ticket_services
from tickets.models import Category

EN = {"en": ("Resetting your router", "Turn it off and on.", "Hold the **reset** button.")}


@pytest.fixture
def writer(db):
    """An agent who may write articles but not publish them."""
    user = make_user("walter.writer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="helpcentre",
            codename__in=["view_article", "add_article", "change_article", "add_articleversion",
                          "change_articleversion", "view_articleversion", "delete_articleversion"],
        )
    )  # fmt: skip
    return user


def changelist_action(client, action: str, article: Article):
    return client.post(
        reverse("admin:helpcentre_article_changelist"),
        {"action": action, "_selected_action": [article.pk]},
        follow=True,
    )


def test_a_writer_saves_a_draft_whose_versions_are_indexed(writer):
    Section.objects.create(slug="internet", name="Internet")
    client = logged_in_verified(writer)

    response = client.post(
        reverse("admin:helpcentre_article_add"),
        {
            "section": Section.objects.get().pk,
            "slug": "router-reset",
            "position": 0,
            "versions-TOTAL_FORMS": 1,
            "versions-INITIAL_FORMS": 0,
            "versions-MIN_NUM_FORMS": 1,
            "versions-MAX_NUM_FORMS": 4,
            "versions-0-language": "el",
            "versions-0-title": "Επαναφορά του router",
            "versions-0-summary": "",
            "versions-0-body": "Πατήστε **reset**.",
        },
    )

    assert response.status_code == 302
    article = Article.objects.get(slug="router-reset")
    assert article.status == Article.Status.DRAFT
    version = ArticleVersion.objects.get(article=article)
    assert version.body_text == "Πατήστε reset."
    assert ArticleEvent.objects.filter(article=article, actor=writer, kind="created").exists()


def test_a_writer_cannot_publish(writer):
    article = make_article("router-reset", EN, published=False)
    client = logged_in_verified(writer)

    page = client.get(reverse("admin:helpcentre_article_changelist")).content.decode()
    changelist_action(client, "publish", article)

    assert 'value="publish"' not in page
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    with pytest.raises(services.NotAllowedToPublish):
        services.article_publish(article=article, acting_user=writer)


def test_a_supervisor_publishes_and_withdraws(supervisor, supervisor_client):
    article = make_article("router-reset", EN, published=False)

    changelist_action(supervisor_client, "publish", article)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None

    changelist_action(supervisor_client, "unpublish", article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert list(ArticleEvent.objects.filter(actor=supervisor).values_list("kind", flat=True)) == [
        "unpublished",
        "published",
    ]


def test_staff_preview_a_draft_in_each_language(writer):
    article = make_article(
        "router-reset",
        {**EN, "it": ("Reimpostare il router", "", "Tenga premuto **reset**.")},
        published=False,
    )
    client = logged_in_verified(writer)

    edit_page = client.get(reverse("admin:helpcentre_article_change", args=[article.pk]))
    preview = client.get(reverse("admin:helpcentre_article_preview", args=[article.pk, "it"]))

    assert reverse("admin:helpcentre_article_preview", args=[article.pk, "it"]) in (
        edit_page.content.decode()
    )
    assert "Reimpostare il router" in preview.content.decode()
    assert b"<strong>reset</strong>" in preview.content
    assert b"Was this helpful?" not in preview.content


def test_the_article_list_shows_views_votes_and_deflections(supervisor_client):
    article = make_article("router-reset", EN)
    Article.objects.filter(pk=article.pk).update(view_count=17)
    for kind in ["helpful", "helpful", "not_helpful", "deflection", "deflection", "deflection"]:
        Feedback.objects.create(article=article, kind=kind, language="en")

    page = supervisor_client.get(reverse("admin:helpcentre_article_changelist"))

    cells = [
        cell.strip()
        for cell in page.content.decode().split('class="field-view_count">')[1].split("</td>")
    ][:4]
    assert cells[0] == "17"
    assert cells[1:4] == [
        '<td class="field-helpful_count">2',
        '<td class="field-not_helpful_count">1',
        '<td class="field-deflection_count">3',
    ]


def test_the_deflection_rate_per_week(supervisor_client, owner):
    article = make_article("router-reset", EN)
    Feedback.objects.create(article=article, kind="deflection", language="en")
    ticket_services.ticket_create(
        requester=owner,
        subject="Router",
        description="Still broken.",
        category=Category.objects.first(),
        priority=2,
    )

    page = supervisor_client.get(reverse("admin:helpcentre_article_deflections")).content.decode()

    row = page.split('data-testid="deflection-weeks"')[1].split("</tr>")[1]
    assert "<td>1</td><td>1</td><td>50 %</td>" in row
