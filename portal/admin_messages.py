"""Messages of Django's admin templates that Django 5.2's Greek catalogue lacks, copied
here so that `make messages` offers them to the translators.

Agents work in the admin in their own language, and the project's catalogues take
precedence over Django's (LOCALE_PATHS); but `make messages` runs with --no-obsolete,
which drops msgids that no project source mentions, so they are listed here. Found by
comparing django/contrib/admin/locale/en/LC_MESSAGES/django.po with el's (Django 5.2);
copied verbatim, typographic quotes and ellipsis included: if Django changes one, copy
the new text. The JavaScript catalogue's gaps (djangojs: day names, the filter boxes of
the two-list select) are not covered, as the project has no djangojs catalogue. Nothing
imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # admin/base.html and admin/nav_sidebar.html
    gettext_noop("Skip to main content"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Filter navigation items"),
    # admin/color_theme_toggle.html
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    # admin/change_list.html, filters and actions
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("View selected %(model)s"),
    # admin/app_list.html
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # admin/object_history.html and the recent actions
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    ngettext_lazy("entry", "entries", "count"),
    # admin/change_form.html, login, logout and passwords
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Set password"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
]
