"""Django's password-validator messages, copied here so that `make messages` keeps them.

Django's own catalogues word these rules differently from the portal: the Italian one
addresses the reader as "tu" where the portal uses "Lei", and in Greek and Italian the
"too short" message is not translated at all. The project's catalogues take precedence
over Django's (LOCALE_PATHS), so they carry these msgids with the portal's wording; and
because `make messages` runs with --no-obsolete, which drops msgids no project source
mentions, they are listed here. Copied verbatim from
django/contrib/auth/password_validation.py (Django 5.2): if Django changes a message,
copy the new text here and translate it. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # MinimumLengthValidator
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    # UserAttributeSimilarityValidator
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    # CommonPasswordValidator
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    # NumericPasswordValidator
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
]
