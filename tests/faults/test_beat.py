"""Two beats started by mistake never both schedule: the second waits as a standby and
takes over only once the first is gone (portal/beatlock.py)."""

import pytest

from tests.faults.processes import CeleryBeat, wait_until

pytestmark = pytest.mark.faults

SENDS = "Scheduler: Sending due task"


def test_a_second_beat_waits_as_a_standby_and_takes_over_when_the_first_is_gone(
    env, started, tmp_path
):
    env = {**env, "CELERY_BEAT_LOCK_SECONDS": "3"}
    first = started(CeleryBeat(env, tmp_path, "first"))
    assert wait_until(lambda: SENDS in first.output(), 30), first.output()

    second = started(CeleryBeat(env, tmp_path, "second"))
    assert wait_until(lambda: "waits as a standby" in second.output(), 30), second.output()
    wait_until(lambda: False, 5)  # the lock's lifetime, and more: the first renews it
    assert SENDS not in second.output()

    first.kill()

    assert wait_until(lambda: SENDS in second.output(), 30), second.output()
