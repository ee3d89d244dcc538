"""The customer permissions have one home, `User.CUSTOMER_PERMISSIONS`: adding one is a
field and its name there, plus a migration. Every place that shows or sets them reads
that list; no other file lists them."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from accounts.admin import UserAdmin
from accounts.forms import InviteMemberForm, PermissionsForm
from accounts.models import User
from tests.factories import activate_pin, pin_of

pytestmark = pytest.mark.django_db

PERMISSIONS = User.CUSTOMER_PERMISSIONS
PEOPLE = reverse("accounts:people")
VERIFY = reverse("admin:supportpin_callerverification_changelist")


def label(name: str) -> str:
    return str(capfirst(User._meta.get_field(name).verbose_name))


def test_the_list_names_boolean_fields_of_the_login():
    assert PERMISSIONS
    for name in PERMISSIONS:
        assert User._meta.get_field(name).get_internal_type() == "BooleanField"


def test_the_permissions_forms_have_a_box_per_listed_permission_labelled_by_the_model():
    for form in (PermissionsForm(), InviteMemberForm()):
        boxes = [name for name in form.fields if name in PERMISSIONS]
        assert boxes == list(PERMISSIONS)
        assert [str(form.fields[name].label) for name in boxes] == [label(n) for n in PERMISSIONS]


def test_a_new_members_boxes_start_at_the_models_defaults():
    form = PermissionsForm()
    for name in PERMISSIONS:
        assert form[name].value() is User._meta.get_field(name).default


def test_the_people_page_has_every_listed_permission_for_each_member(owner_client, member):
    page = owner_client.get(PEOPLE).text

    for name in PERMISSIONS:
        assert f'id="id_p{member.pk}-{name}"' in page
        assert f'name="{name}"' in page
        assert escape(label(name)) in page


def test_inviting_and_saving_permissions_set_every_listed_permission(owner_client, member):
    owner_client.post(
        reverse("accounts:member_permissions", args=[member.pk]),
        {f"p{member.pk}-{name}": "on" for name in PERMISSIONS},
    )
    owner_client.post(
        PEOPLE,
        {
            "full_name": "Maria Member",
            "email": "maria@example.com",
            "username": "maria",
            **dict.fromkeys(PERMISSIONS, "on"),
        },
    )

    for login in (User.objects.get(pk=member.pk), User.objects.get(username="maria")):
        assert all(getattr(login, name) for name in PERMISSIONS)


def test_the_login_admin_edits_every_listed_permission(supervisor_client, member):
    customer_fields = dict(UserAdmin.fieldsets)["Customer"]["fields"]
    assert [name for name in customer_fields if name in PERMISSIONS] == list(PERMISSIONS)

    page = supervisor_client.get(reverse("admin:accounts_user_change", args=[member.pk])).text
    for name in PERMISSIONS:
        assert f'name="{name}"' in page


def test_the_verify_page_shows_the_caller_every_listed_permission(agent_client, owner):
    activate_pin(owner)
    page = agent_client.post(VERIFY, {"login": owner.pk, "pin": pin_of(owner)}, follow=True)

    assert [str(shown) for shown, _held in page.context["permissions"]] == [
        str(User._meta.get_field(name).verbose_name) for name in PERMISSIONS
    ]
    for name in PERMISSIONS:
        assert escape(label(name)) in page.text


def test_only_listed_permissions_can_be_asked_of_a_login(owner):
    assert owner.has_customer_permission("can_view_invoices")
    with pytest.raises(ValueError, match="is_superuser"):
        owner.has_customer_permission("is_superuser")


def _source_files() -> list[Path]:
    """The portal's own Python files and templates, but for tests, migrations and the model."""
    base = Path(settings.BASE_DIR)
    folders = [
        path
        for path in base.iterdir()
        if path.is_dir() and not path.is_symlink() and not path.name.startswith(".")
    ]
    files = [
        path
        for folder in folders
        if folder.name not in {"tests", "bench"}
        for path in [*folder.rglob("*.py"), *folder.rglob("*.html")]
    ]
    return [
        path
        for path in files
        if "migrations" not in path.parts and path != base / "accounts" / "models.py"
    ]


def _listings(path: Path, names: re.Pattern) -> list[set[str]]:
    """The permission names listed together: in one tuple, list, set or dict of a Python
    file, or on one line of a template. A view or a navigation entry that enforces one
    permission names it alone, even when the file has one for each of two permissions."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return [found for line in text.splitlines() if len(found := set(names.findall(line))) > 1]
    listings = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            found = {
                item.value
                for item in items
                if isinstance(item, ast.Constant)
                and isinstance(item.value, str)
                and names.fullmatch(item.value)
            }
            if len(found) > 1:
                listings.append(found)
    return listings


def test_no_file_but_the_model_lists_the_permissions():
    """Code that enforces one permission names it; only the model names them all, so that a
    new permission cannot be forgotten in a second list."""
    names = re.compile("|".join(PERMISSIONS))
    files = _source_files()
    assert any(path.name == "views.py" for path in files)

    listing = {str(path): found for path in files if (found := _listings(path, names))}

    assert listing == {}


def test_every_permission_says_what_it_opens():
    assert list(User.CUSTOMER_PERMISSION_OPENS) == list(PERMISSIONS)


def test_the_people_page_says_what_each_permission_opens_once(owner_client, member):
    page = owner_client.get(PEOPLE).text

    for name in PERMISSIONS:
        assert page.count(escape(str(User.CUSTOMER_PERMISSION_OPENS[name]))) == 1
    assert "Call records: the call records and housing traffic pages" in page
