"""The search page, the suggestions on the new-request form and the deflections they
lead to, on any database: bad input never breaks them, and what found nothing is
counted for the staff."""

import pytest
from django.urls import reverse

from helpcentre.models import Feedback, UnansweredSearch
from tests.factories import make_article
from tickets.models import Ticket

PASSWORD_ARTICLE = {
    "en": (
        "Forgot your password",
        "Ask for a reset link.",
        "Use the reset link on the login page.",
    ),
    "el": (
        "Ξέχασα τον κωδικό πρόσβασης",
        "Ζητήστε σύνδεσμο επαναφοράς.",
        "Χρησιμοποιήστε τον σύνδεσμο στη σελίδα σύνδεσης.",
    ),
}


@pytest.fixture
def password_article(db):
    return make_article("forgot-password", PASSWORD_ARTICLE)


def search(client, query: str, **headers):
    return client.get(reverse("helpcentre:search"), {"q": query}, headers=headers)


def test_searching_without_logging_in_finds_an_article(client, password_article):
    response = search(client, "password")

    assert response.status_code == 200
    assert b"Forgot your password" in response.content


def test_search_looks_in_the_readers_language(client, password_article):
    response = search(client, "κωδικό", **{"accept-language": "el"})

    assert "Ξέχασα τον κωδικό πρόσβασης" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["", " ", "a", "x" * 500, "!!!???...", "&|!():*'\\", "'", "\\", "a:*", "(((", "<script>x"],
)
def test_bad_input_is_never_a_server_error(query, client, password_article):
    assert search(client, query).status_code == 200
    assert client.get(reverse("helpcentre:suggestions"), {"q": query}).status_code == 200


def test_a_one_character_search_asks_for_more(client, password_article):
    assert b"Type at least 2 characters" in search(client, "p").content


def test_a_nul_byte_in_a_search_is_a_bad_request(client, password_article):
    assert search(client, "pass\x00word").status_code == 400
    assert client.get(reverse("helpcentre:suggestions"), {"q": "\x00"}).status_code == 400


def test_what_was_typed_is_shown_escaped(client, password_article):
    page = search(client, '"><script>alert(1)</script>').content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_search_that_found_nothing_is_counted_by_its_normalised_text(client, password_article):
    search(client, "Καλωδιο  ΙΝΤΕΡΝΕΤ", **{"accept-language": "el"})
    search(client, "καλώδιο ίντερνετ", **{"accept-language": "el"})
    search(client, "password")

    assert list(UnansweredSearch.objects.values_list("query", "language", "count")) == [
        ("καλωδιο ιντερνετ", "el", 2)
    ]


def test_the_searches_that_found_nothing_are_listed_most_frequent_first(supervisor_client, db):
    for query, times in [("vpn", 1), ("invoice pdf", 3)]:
        for _ in range(times):
            search(supervisor_client, query)

    page = supervisor_client.get(reverse("admin:helpcentre_unansweredsearch_changelist"))

    text = page.content.decode()
    assert text.index("invoice pdf") < text.index("vpn")
    assert "Searches that found nothing" in text


def test_the_new_request_form_has_a_place_for_suggestions_and_still_works_without_script(
    owner_client,
):
    page = owner_client.get(reverse("tickets:create")).content.decode()

    assert 'data-help-suggestions="/help/suggestions/"' in page
    assert "js/help_suggestions.js" in page
    assert 'name="subject"' in page


def test_suggestions_link_to_articles_as_coming_from_a_request(owner_client, password_article):
    fragment = owner_client.get(reverse("helpcentre:suggestions"), {"q": "forgot my password"})

    assert b'href="/help/articles/forgot-password/?from=request"' in fragment.content


def test_suggestions_are_at_most_five(owner_client, db):
    for n in range(8):
        make_article(f"mail-{n}", {"en": (f"Mail problem {n}", "", "mail")})

    fragment = owner_client.get(reverse("helpcentre:suggestions"), {"q": "mail"}).content

    assert fragment.count(b"<li>") == 5


def test_yes_this_solved_it_counts_a_deflection_and_opens_no_request(
    owner_client, password_article
):
    page = owner_client.get(
        reverse("helpcentre:article", args=["forgot-password"]) + "?from=request"
    )
    assert b"Yes, this solved it" in page.content

    response = owner_client.post(
        reverse("helpcentre:feedback", args=["forgot-password"]), {"answer": "solved"}, follow=True
    )

    assert b"No request was opened" in response.content
    assert Feedback.objects.get().kind == Feedback.Kind.DEFLECTION
    assert not Ticket.objects.exists()


def test_visitors_are_not_offered_the_deflection_question(client, password_article):
    page = client.get(reverse("helpcentre:article", args=["forgot-password"]) + "?from=request")

    assert b"Yes, this solved it" not in page.content
    assert b"Was this helpful?" in page.content


@pytest.mark.parametrize("articles", [3, 30])
def test_search_and_suggestions_cost_the_same_queries_however_many_articles(
    articles, client, django_assert_max_num_queries, db
):
    for n in range(articles):
        make_article(f"mail-{n}", {"en": (f"Mail problem {n}", "About mail", "mail")})

    with django_assert_max_num_queries(3):
        assert search(client, "mail").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("helpcentre:suggestions"), {"q": "mail"}).status_code == 200
