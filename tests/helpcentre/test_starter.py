"""The starter articles a new portal's help centre opens with."""

from django.core.management import call_command

from helpcentre.models import Article, ArticleVersion
from helpcentre.starter import ARTICLES, load_starter_articles


def test_the_starter_set_has_at_least_twelve_public_articles_in_all_four_languages(db):
    load_starter_articles()

    public = Article.objects.filter(status="published", is_internal=False)
    assert public.count() >= 12
    for article in public:
        assert sorted(article.versions.values_list("language", flat=True)) == [
            "el",
            "en",
            "it",
            "sk",
        ]
    assert Article.objects.filter(is_internal=True, slug="verifying-a-caller").exists()


def test_the_starter_articles_name_every_related_article_that_exists():
    slugs = {spec["slug"] for spec in ARTICLES}

    for spec in ARTICLES:
        assert set(spec["related"]) <= slugs, spec["slug"]


def test_loading_again_keeps_what_staff_changed(db):
    call_command("load_help_articles")
    version = ArticleVersion.objects.get(article__slug="support-pin", language="en")
    version.title = "Our own title"
    version.save()
    Article.objects.filter(slug="priorities").delete()

    call_command("load_help_articles")

    assert ArticleVersion.objects.get(pk=version.pk).title == "Our own title"
    assert Article.objects.filter(slug="priorities").exists()
    assert Article.objects.count() == len(ARTICLES)


def test_the_help_centre_home_shows_the_starter_articles_in_greek(client, db):
    load_starter_articles()

    page = client.get("/help/", headers={"accept-language": "el"}).content.decode()

    assert "Ο λογαριασμός σας" in page
    assert "Ασφάλεια και Support PIN" in page
