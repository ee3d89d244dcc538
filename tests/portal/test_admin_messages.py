"""The admin messages Django's Greek catalogue lacks are offered to the translators: each
is in portal/admin_messages.py, which `make messages` reads."""

from pathlib import Path

import django

import portal.admin_messages

ADMIN_LOCALE = Path(django.__file__).parent / "contrib" / "admin" / "locale"


def _msgids(po: Path) -> set[str]:
    """The singular msgids of a .po file without a context (one-line msgids suffice)."""
    ids, context = set(), False
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt "):
            context = True
        elif line.startswith("msgid "):
            if not context:
                ids.add(line[len('msgid "') : -1].replace('\\"', '"'))
            context = False
    return ids - {""}


def test_every_admin_message_missing_from_djangos_greek_catalogue_is_listed():
    english = _msgids(ADMIN_LOCALE / "en" / "LC_MESSAGES" / "django.po")
    greek = _msgids(ADMIN_LOCALE / "el" / "LC_MESSAGES" / "django.po")
    source = Path(portal.admin_messages.__file__).read_text(encoding="utf-8")
    missing = english - greek
    assert "Skip to main content" in missing  # the comparison finds what it should
    assert [msgid for msgid in sorted(missing) if f'"{msgid}"' not in source] == []
