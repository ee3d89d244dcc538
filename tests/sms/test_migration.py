"""The SMS gateway left the portal app for an app of its own: the SMS already stored, and
the permissions given on them, are all there after the move."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sms.models import SmsMessage

LAST_BEFORE_THE_MOVE = ("portal", "0002_alter_smsmessage_status")
BEFORE_THE_MOVE = [LAST_BEFORE_THE_MOVE, ("sms", None)]


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_sms_stored_before_the_move_and_their_permissions_survive_it(owner):
    executor = migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(LAST_BEFORE_THE_MOVE).apps
    stored = old.get_model("portal", "SmsMessage").objects.create(
        to="+306912345678", purpose="support_pin", body="PIN *** ***", user_id=owner.pk
    )
    permission = old.get_model("auth", "Permission").objects.get(
        content_type__app_label="portal", codename="view_smsmessage"
    )
    group = old.get_model("auth", "Group").objects.create(name="SMS readers")
    group.permissions.add(permission)

    migrate(executor.loader.graph.leaf_nodes())

    moved = SmsMessage.objects.get(pk=stored.pk)
    assert (moved.to, moved.body, moved.user_id) == ("+306912345678", "PIN *** ***", owner.pk)
    assert moved.get_purpose_display() == "Support PIN"
    owner.groups.add(group.pk)
    owner.is_staff = True
    owner.save()
    assert owner.has_perm("sms.view_smsmessage")
