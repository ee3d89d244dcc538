"""Full-text search on PostgreSQL: each language's stemming, accents and case ignored,
typos forgiven by trigram similarity, titles ranked above bodies, highlighted snippets,
and drafts and internal articles never found by customers or visitors."""

import os

import pytest
from django.urls import reverse

from helpcentre import search, services
from helpcentre.models import ArticleVersion
from tests.factories import make_article
from tests.helpcentre.postgresql import require_postgresql


@pytest.fixture(autouse=True)
def _postgresql(db):
    require_postgresql(ci=bool(os.environ.get("CI")))


def slugs(query: str, language: str, **options) -> list[str]:
    return [hit.article.slug for hit in search.search(query=query, language=language, **options)]


@pytest.mark.parametrize(
    ("language", "text", "query"),
    [
        ("en", "Configuring mailboxes on a phone", "configured mailbox"),
        ("el", "Ρυθμίσεις λογαριασμού email στο κινητό", "λογαριασμός"),
        ("it", "Come rinnovare i domini scaduti", "rinnovo dominio"),
        ("sk", "Ako zmeniť heslo", "HESLO"),
    ],
)
def test_each_language_is_searched_with_its_own_stemming(language, text, query, db):
    make_article("the-article", {language: (text, "", "Body.")})
    make_article("another", {language: ("Something else", "", "Nothing in common.")})

    assert slugs(query, language) == ["the-article"]


def test_greek_ignores_the_accents(db):
    make_article("account", {"el": ("Ο λογαριασμός σας", "", "Στοιχεία λογαριασμού.")})

    assert slugs("λογαριασμος", "el") == ["account"]
    assert slugs("ΛΟΓΑΡΙΑΣΜΟΣ", "el") == ["account"]


def test_slovak_ignores_the_diacritics(db):
    make_article("ucet", {"sk": ("Váš účet", "", "Zrušenie konta.")})

    assert slugs("ucet", "sk") == ["ucet"]
    assert slugs("UCET", "sk") == ["ucet"]


def test_italian_ignores_the_accents(db):
    make_article("perche", {"it": ("Perché la posta non arriva", "", "Verifichi i record MX.")})

    assert slugs("perche posta", "it") == ["perche"]


def test_a_typo_still_finds_the_article_by_its_title(db):
    make_article("password", {"en": ("Forgotten password", "", "Use the reset link.")})

    assert slugs("pasword", "en") == ["password"]
    assert slugs("κωδικός", "en") == []


def test_a_title_match_ranks_above_a_body_match(db):
    make_article("body-only", {"en": ("Mail settings", "", "Also explains the nameservers.")})
    make_article("in-title", {"en": ("Changing the nameservers", "", "Open the panel.")})
    make_article("in-summary", {"en": ("DNS", "About nameservers", "Open the panel.")})

    assert slugs("nameservers", "en") == ["in-title", "in-summary", "body-only"]


def test_every_word_must_match_in_a_search_but_any_word_in_suggestions(db):
    make_article("mail", {"en": ("Mail bounces", "", "The server answers 550.")})
    make_article("dns", {"en": ("DNS records", "", "Change the records.")})
    make_article("both", {"en": ("Mail records", "", "MX records route the mail.")})

    assert slugs("mail records", "en") == ["both"]
    assert sorted(slugs("mail records", "en", any_word=True)) == ["both", "dns", "mail"]


def test_the_snippet_highlights_the_words_and_escapes_the_article(db):
    make_article(
        "mail",
        {"en": ("Mail", "", "When the <b>mail</b> server answers 550, check the recipient.")},
    )

    hit = search.search(query="recipient", language="en")[0]

    assert "<mark>recipient</mark>" in hit.snippet
    assert "<b>" not in hit.snippet


@pytest.mark.parametrize("query", ["&|!():*'\\", "a & b | !c", "x:*", "'''", "(", "<->", "x" * 500])
def test_tsquery_syntax_typed_by_a_reader_is_just_text(query, client, db):
    make_article("mail", {"en": ("Mail", "", "Body.")})

    assert client.get(reverse("helpcentre:search"), {"q": query}).status_code == 200
    assert client.get(reverse("helpcentre:suggestions"), {"q": query}).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_drafts_and_internal_articles_are_never_found_by_customers_or_visitors(
    who, client, owner_client
):
    make_article("draft", {"en": ("Router draft", "", "x")}, published=False)
    make_article("internal", {"en": ("Router procedure", "", "x")}, internal=True)
    make_article("public", {"en": ("Router reset", "", "x")})
    browser = client if who == "anonymous" else owner_client

    page = browser.get(reverse("helpcentre:search"), {"q": "router"}).content.decode()
    fragment = browser.get(reverse("helpcentre:suggestions"), {"q": "router"}).content.decode()

    for text in (page, fragment):
        assert "Router reset" in text
        assert "Router draft" not in text
        assert "Router procedure" not in text
    assert slugs("routr", "en") == ["public"]


def test_staff_find_internal_articles(agent_client, db):
    make_article("internal", {"en": ("Router procedure", "", "x")}, internal=True)

    page = agent_client.get(reverse("helpcentre:search"), {"q": "router"}).content.decode()

    assert "Router procedure" in page


def test_editing_a_version_makes_the_new_words_searchable(db):
    article = make_article("mail", {"en": ("Mail", "", "Body.")})
    version = ArticleVersion.objects.get(article=article)

    version.title = "Webmail login"
    services.article_version_save(version=version, acting_user=None)

    assert slugs("webmail", "en") == ["mail"]


def test_the_starter_articles_answer_a_greek_customer_who_forgot_the_password(db):
    from helpcentre.starter import load_starter_articles

    load_starter_articles()

    assert slugs("ξέχασα τον κωδικό", "el", any_word=True)[0] == "forgotten-password-or-username"
    assert slugs("λογαριασμος", "el")
    assert slugs("dimenticato la password", "it")[0] == "forgotten-password-or-username"
    assert slugs("zabudol som heslo", "sk", any_word=True)[0] == "forgotten-password-or-username"
