"""PostgreSQL's part of the help centre search: the unaccent and pg_trgm extensions, a
text search configuration per language that ignores accents and case (portal_en,
portal_el, portal_it and portal_sk, which has no stemmer), an immutable unaccent for
indexes, and the GIN indexes. On any other database this migration does nothing."""

from django.db import migrations

LANGUAGES = [
    # (configuration, copied from, its stemmer)
    ("portal_en", "english", "english_stem"),
    ("portal_el", "greek", "greek_stem"),
    ("portal_it", "italian", "italian_stem"),
    ("portal_sk", "simple", "simple"),
]

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # unaccent() is only STABLE (it reads a dictionary by name), so an index cannot use it;
    # naming the dictionary makes the result depend on nothing else.
    "CREATE OR REPLACE FUNCTION helpcentre_unaccent(text) RETURNS text"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
    " AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$",
    *[
        statement
        for config, source, stemmer in LANGUAGES
        for statement in (
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}",
            f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = {source})",
            f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR hword, hword_part,"
            f" word WITH unaccent, {stemmer}",
        )
    ],
    # Keep the vector in the row (compressed) rather than in TOAST: ranking reads it for
    # every match, and detoasting it doubled the time of a search with many matches.
    "ALTER TABLE helpcentre_articleversion ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX helpcentre_version_search ON helpcentre_articleversion"
    " USING gin (search_vector)",
    "CREATE INDEX helpcentre_version_title_trigrams ON helpcentre_articleversion"
    " USING gin (helpcentre_unaccent(title) gin_trgm_ops)",
]

BACKWARD = [
    "ALTER TABLE helpcentre_articleversion ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "DROP INDEX IF EXISTS helpcentre_version_title_trigrams",
    "DROP INDEX IF EXISTS helpcentre_version_search",
    *[f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}" for config, _s, _t in LANGUAGES],
    "DROP FUNCTION IF EXISTS helpcentre_unaccent(text)",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]
