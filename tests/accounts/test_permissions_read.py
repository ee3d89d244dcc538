"""An agent's permissions (its own and its groups') are read in one statement
(accounts.backends.EmailOrUsernameBackend.get_all_permissions): the same set as Django's
ModelBackend, which reads them in two, and they still decide what the admin offers."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import EmailOrUsernameBackend
from accounts.models import User
from tests.factories import logged_in_verified, make_user

pytestmark = pytest.mark.django_db


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.fixture
def clerk(db) -> User:
    """An agent with a permission of its own and two through its groups (one of them
    also its own)."""
    user = make_user("clara.clerk", is_staff=True)
    user.user_permissions.add(permission("tickets", "view_category"))
    leads = Group.objects.create(name="Leads")
    leads.permissions.add(
        permission("tickets", "view_category"), permission("tickets", "add_category")
    )
    billing = Group.objects.create(name="Billing")
    billing.permissions.add(permission("billing", "view_invoice"))
    user.groups.add(leads, billing)
    # A group the agent is not in grants it nothing.
    Group.objects.create(name="Others").permissions.add(permission("tickets", "delete_category"))
    return user


def test_the_permissions_are_django_s_own_read_in_one_query(clerk, agent):
    expected = ModelBackend().get_all_permissions(fresh(clerk))
    assert expected == {"tickets.view_category", "tickets.add_category", "billing.view_invoice"}

    user = fresh(clerk)
    with CaptureQueriesContext(connection) as queries:
        assert EmailOrUsernameBackend().get_all_permissions(user) == expected
        # Read once a request: the login loaded for the request keeps them.
        assert user.has_perm("tickets.add_category")
        assert not user.has_perm("tickets.delete_category")
    assert len(queries.captured_queries) == 1

    # An agent without permissions has none; an inactive login none either.
    assert EmailOrUsernameBackend().get_all_permissions(fresh(agent)) == set()
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    assert EmailOrUsernameBackend().get_all_permissions(fresh(clerk)) == set()


def test_a_superuser_has_every_permission(supervisor):
    assert EmailOrUsernameBackend().get_all_permissions(fresh(supervisor)) == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }


def test_a_permission_taken_from_the_group_is_gone_at_the_next_request(clerk):
    client = logged_in_verified(clerk)
    changelist = "/admin/tickets/category/"
    assert client.get(changelist).status_code == 200
    Group.objects.get(name="Leads").permissions.clear()
    clerk.user_permissions.clear()
    assert client.get(changelist).status_code == 403
