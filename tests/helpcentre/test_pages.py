"""The help centre's public pages: open to everyone, drafts and internal articles kept
out of sight, votes counted once per browser without personal data, and the contact page
built from the tickets' own calendar and SLA policies."""

from datetime import date, timedelta

import pytest
from dateutil.easter import EASTER_ORTHODOX, easter
from django.urls import reverse
from django.utils import timezone

from helpcentre.models import Article, ArticleVersion, Feedback
from tests.factories import CommittingClient, make_article
from tickets.models import CalendarException, Priority, SlaPolicy

EN = {"en": ("Resetting your router", "Turn it off and on.", "Hold the **reset** button.")}


def article_url(slug: str) -> str:
    return reverse("helpcentre:article", args=[slug])


def test_the_home_page_lists_sections_and_popular_articles_without_login(client):
    make_article("router-reset", EN, section_slug="internet")
    Article.objects.filter(slug="router-reset").update(view_count=40)

    response = client.get(reverse("helpcentre:home"))

    assert response.status_code == 200
    assert b"Internet" in response.content
    assert b"Resetting your router" in response.content
    assert b'role="search"' in response.content


def test_the_header_and_the_footer_link_to_the_help_centre(client):
    page = client.get(reverse("portal:home")).content.decode()

    assert page.count('href="/help/"') == 2
    assert 'href="/help/contact/"' in page


def test_an_article_is_shown_in_the_readers_language(client):
    make_article(
        "router-reset",
        {**EN, "el": ("Επαναφορά του router", "Κλείστε το και ανοίξτε το.", "Πατήστε **reset**.")},
    )

    page = client.get(article_url("router-reset"), headers={"accept-language": "el"})

    assert "Επαναφορά του router" in page.content.decode()
    assert b"<strong>reset</strong>" in page.content
    assert b'data-testid="fallback-note"' not in page.content


def test_an_untranslated_article_falls_back_to_english_with_a_note(client):
    make_article("router-reset", EN)

    page = client.get(article_url("router-reset"), headers={"accept-language": "sk"})

    assert b"Resetting your router" in page.content
    assert b'data-testid="fallback-note"' in page.content
    assert b'lang="en"' in page.content


def test_viewing_an_article_counts_a_view(client):
    article = make_article("router-reset", EN)

    client.get(article_url("router-reset"))
    client.get(article_url("router-reset"))

    article.refresh_from_db()
    assert article.view_count == 2


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_a_draft_is_not_shown_to_customers_or_visitors(who, client, owner_client):
    make_article("secret-plan", EN, published=False)
    browser = client if who == "anonymous" else owner_client

    assert browser.get(article_url("secret-plan")).status_code == 404
    assert b"Resetting your router" not in browser.get(reverse("helpcentre:home")).content


def test_an_internal_article_is_shown_to_staff_only(client, owner_client, agent_client):
    make_article("verify-caller", EN, internal=True)

    assert client.get(article_url("verify-caller")).status_code == 404
    assert owner_client.get(article_url("verify-caller")).status_code == 404
    staff_page = agent_client.get(article_url("verify-caller"))
    assert staff_page.status_code == 200
    assert b"Staff only" in staff_page.content


def test_script_and_event_handlers_in_an_article_never_reach_the_page(client):
    make_article(
        "phishing",
        {
            "en": (
                "<script>alert('title')</script>",
                "<img src=x onerror=alert(1)>",
                "Hi <script>alert('body')</script> <a href='javascript:alert(1)'>x</a>\n\n"
                "[click](javascript:alert(2)) <b onclick='alert(3)'>b</b> "
                '<iframe src="https://evil.example"></iframe> [ok](https://example.com)',
            )
        },
    )

    page = client.get(article_url("phishing")).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)" in page
    assert "javascript:" not in page
    assert "onclick" not in page
    assert "onerror=" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "<iframe" not in page
    assert 'href="https://example.com" rel="noopener noreferrer"' in page


def test_was_this_helpful_counts_one_vote_per_browser(client):
    article = make_article("router-reset", EN)
    url = reverse("helpcentre:feedback", args=["router-reset"])

    client.post(url, {"answer": "yes"})
    client.post(url, {"answer": "no"})
    other_browser = CommittingClient()
    other_browser.post(url, {"answer": "no"})

    kinds = sorted(Feedback.objects.filter(article=article).values_list("kind", flat=True))
    assert kinds == ["helpful", "not_helpful"]
    assert b"already answered" in client.get(article_url("router-reset")).content


def test_a_vote_keeps_nothing_about_the_reader(client, owner_client):
    make_article("router-reset", EN)

    owner_client.post(reverse("helpcentre:feedback", args=["router-reset"]), {"answer": "yes"})

    assert {field.name for field in Feedback._meta.get_fields()} == {
        "id",
        "article",
        "kind",
        "language",
        "created_at",
    }


def test_a_forged_vote_cookie_is_ignored(client):
    article = make_article("router-reset", EN)
    client.cookies["help_answered"] = str(article.pk)

    client.post(reverse("helpcentre:feedback", args=["router-reset"]), {"answer": "yes"})

    assert Feedback.objects.filter(article=article).count() == 1


def test_the_contact_page_lists_the_greek_holidays_of_this_year_and_the_next(client):
    today = timezone.localdate()
    company_day = date(today.year + 1, 7, 1)
    while company_day.weekday() >= 5:
        company_day += timedelta(days=1)
    CalendarException.objects.create(day=company_day, reason="Company day")
    orthodox_easter_monday = easter(today.year + 1, EASTER_ORTHODOX) + timedelta(days=1)

    page = client.get(reverse("helpcentre:contact")).content.decode()

    assert f'datetime="{orthodox_easter_monday:%Y-%m-%d}"' in page
    assert f'datetime="{company_day:%Y-%m-%d}"' in page
    assert "Company day" in page
    assert "09:00–18:00" in page


def test_the_contact_page_reads_response_times_from_the_sla_policies(client):
    SlaPolicy.objects.filter(plan="business", priority=Priority.CRITICAL).update(response_hours=2)

    page = client.get(reverse("helpcentre:contact")).content.decode()

    assert "within 2 h, around the clock" in page
    assert "within 48 h of business hours" in page


def test_the_priorities_page_shows_the_definitions_customers_choose_by(client):
    page = client.get(reverse("helpcentre:priorities")).content.decode()

    assert "Critical" in page
    assert "the whole business is stopped" in page


def test_the_section_page_lists_its_visible_articles(client):
    make_article("router-reset", EN, section_slug="internet")
    make_article("draft-one", {"en": ("Unfinished", "", "x")}, section_slug="internet",
                 published=False)  # fmt: skip

    page = client.get(reverse("helpcentre:section", args=["internet"])).content

    assert b"Resetting your router" in page
    assert b"Unfinished" not in page


def test_an_empty_section_is_not_found(client):
    make_article("draft-one", EN, section_slug="internet", published=False)

    assert client.get(reverse("helpcentre:section", args=["internet"])).status_code == 404


@pytest.mark.parametrize("related_groups", [1, 4])
def test_an_article_page_costs_the_same_queries_however_many_related(
    related_groups, client, django_assert_max_num_queries
):
    article = make_article("main", EN)
    for n in range(related_groups * 5):
        article.related.add(make_article(f"related-{n}", EN))

    with django_assert_max_num_queries(8):
        assert client.get(article_url("main")).status_code == 200


def test_the_version_text_for_search_is_kept_current_by_the_service(db):
    article = make_article("router-reset", EN)
    version = ArticleVersion.objects.get(article=article)

    assert version.body_text == "Hold the reset button."
