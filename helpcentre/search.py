"""Searching the articles of one language.

On PostgreSQL: full-text search with the language's configuration (migration 0002:
accents and case ignored, words stemmed except in Slovak), the title weighing more than
the summary and the summary more than the body; when that finds nothing, articles whose
title is close to the words typed (pg_trgm), so that a typo still finds something.
Snippets come from ts_headline. On SQLite: every word must appear in the title, summary
or body, compared without regard to case for ASCII letters only.

The text typed is cut into words here and each word goes to PostgreSQL as a bound
parameter of plainto_tsquery, so no character typed can be read as tsquery syntax.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helpcentre.models import Article, ArticleVersion

CONFIGURATIONS = {"en": "portal_en", "el": "portal_el", "it": "portal_it", "sk": "portal_sk"}
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
_WORD = re.compile(r"\w+")
# ts_headline marks matches with these; the snippet is escaped and then they become <mark>.
_START, _STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class Hit:
    version: ArticleVersion
    snippet: SafeString

    @property
    def article(self) -> Article:
        return self.version.article


def words_of(query: str) -> list[str]:
    return _WORD.findall(query[:MAX_QUERY_LENGTH])[:MAX_WORDS]


def is_searchable(query: str) -> bool:
    return len("".join(words_of(query))) >= MIN_QUERY_LENGTH


def normalise(query: str) -> str:
    """The form a search is counted under: lower case, no accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", query[:MAX_QUERY_LENGTH].casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


def visible_versions(*, language: str, include_internal: bool) -> QuerySet[ArticleVersion]:
    versions = ArticleVersion.objects.filter(
        language=language, article__status=Article.Status.PUBLISHED
    )
    if not include_internal:
        versions = versions.filter(article__is_internal=False)
    return versions.select_related("article__section").defer(
        "body", "body_text", "search_vector", "article__plans"
    )


def search(
    *,
    query: str,
    language: str,
    include_internal: bool = False,
    limit: int = 10,
    any_word: bool = False,
    snippets: bool = True,
) -> list[Hit]:
    """The best `limit` published versions in `language` for `query`. With `any_word`
    an article matching some of the words is enough (suggestions while typing);
    otherwise it must match all of them."""
    words = words_of(query)
    if not is_searchable(query) or language not in CONFIGURATIONS:
        return []
    versions = visible_versions(language=language, include_internal=include_internal)
    if connection.vendor != "postgresql":
        return _search_plainly(versions, words, limit=limit, any_word=any_word)
    hits = _search_full_text(
        versions, words, language=language, limit=limit, any_word=False, snippets=snippets
    )
    if any_word and len(hits) < limit and len(words) > 1:
        # Articles with every word come first; only then those with some of them, which
        # for common words are many more rows to rank.
        hits += _search_full_text(
            versions.exclude(pk__in=[hit.version.pk for hit in hits]),
            words,
            language=language,
            limit=limit - len(hits),
            any_word=True,
            snippets=snippets,
        )
    return hits or _search_similar_titles(versions, " ".join(words), limit=limit)


def _search_full_text(
    versions: QuerySet[ArticleVersion],
    words: list[str],
    *,
    language: str,
    limit: int,
    any_word: bool,
    snippets: bool,
) -> list[Hit]:
    config = CONFIGURATIONS[language]
    parts = [SearchQuery(word, config=config, search_type="plain") for word in words]
    tsquery = reduce((lambda a, b: a | b) if any_word else (lambda a, b: a & b), parts)
    found = (
        versions.filter(search_vector=tsquery)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .order_by("-rank", "-article__view_count", "pk")
    )
    if snippets:
        found = found.annotate(
            headline=SearchHeadline(
                "body_text",
                tsquery,
                config=config,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    return [
        Hit(version, _highlighted(version.headline) if snippets else escape(version.summary))
        for version in found[:limit]
    ]


class _Unaccent(Func):
    """Lower case without accents; the same expression as the title's trigram index."""

    function = "helpcentre_unaccent"
    output_field = TextField()


def _search_similar_titles(
    versions: QuerySet[ArticleVersion], text: str, *, limit: int
) -> list[Hit]:
    typed, title = _Unaccent(Value(text)), _Unaccent(F("title"))
    close = Func(
        typed, title, template="%(expressions)s", arg_joiner=" <%% ", output_field=BooleanField()
    )
    found = (
        versions.filter(close)
        .annotate(
            closeness=Func(typed, title, function="word_similarity", output_field=FloatField())
        )
        .order_by("-closeness", "pk")
    )
    return [Hit(version, escape(version.summary)) for version in found[:limit]]


def _search_plainly(
    versions: QuerySet[ArticleVersion], words: list[str], *, limit: int, any_word: bool
) -> list[Hit]:
    conditions = [
        Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_text__icontains=word)
        for word in words
    ]
    combined = reduce((lambda a, b: a | b) if any_word else (lambda a, b: a & b), conditions)
    in_title = reduce(lambda a, b: a | b, (Q(title__icontains=word) for word in words))
    found = (
        versions.filter(combined)
        .alias(title_match=Case(When(in_title, then=Value(1)), default=Value(0)))
        .order_by(F("title_match").desc(), "-article__view_count", "pk")
    )
    return [Hit(version, escape(version.summary)) for version in found[:limit]]


def _highlighted(headline: str) -> SafeString:
    escaped = escape(headline)
    return mark_safe(  # noqa: S308 - escaped above; only our own markers become tags
        escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )
