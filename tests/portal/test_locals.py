"""The active language, time zone and URL prefix in context variables (portal/locals.py):
each thread and each async task sees its own, and asgiref's bridges carry them as
Django's own Locals do."""

import asyncio
import os
import subprocess
import sys
import threading
import zoneinfo

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal.locals import ContextLocal, install


def test_a_process_of_the_portal_keeps_djangos_request_locals_in_context_variables():
    # In a process of its own: a test that changes LANGUAGES gets a new asgiref Local
    # from Django's test signals (never the case when serving).
    script = (
        "import django; django.setup()\n"
        "from django.urls import base\n"
        "from django.utils import timezone\n"
        "from django.utils.translation import trans_real\n"
        "locals_ = (trans_real._active, timezone._active, base._prefixes, base._urlconfs)\n"
        "print(' '.join(type(local).__name__ for local in locals_))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        cwd=settings.BASE_DIR,
    )

    assert result.stdout.split() == ["ContextLocal"] * 4, result.stderr


@pytest.fixture(autouse=True)
def _context_locals():
    # The tests below are of ContextLocal: put them back if a test before replaced them.
    install()


def test_each_thread_sees_its_own_language_time_zone_and_prefix():
    language_here, prefix_here = translation.get_language(), get_script_prefix()
    ready = threading.Barrier(2)
    seen = {}

    def serve(language: str, zone: str, prefix: str) -> None:
        translation.activate(language)
        timezone.activate(zoneinfo.ZoneInfo(zone))
        set_script_prefix(prefix)
        ready.wait(timeout=5)  # both have set theirs before either reads
        seen[language] = (
            gettext("My requests"),
            timezone.get_current_timezone_name(),
            reverse("portal:dashboard"),
        )
        ready.wait(timeout=5)

    threads = [
        threading.Thread(target=serve, args=("el", "Europe/Athens", "/el-portal/")),
        threading.Thread(target=serve, args=("it", "Europe/Rome", "/it-portal/")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen == {
        "el": ("Τα αιτήματά μου", "Europe/Athens", "/el-portal/dashboard/"),
        "it": (gettext_in("it", "My requests"), "Europe/Rome", "/it-portal/dashboard/"),
    }
    # Nothing of theirs in this thread.
    assert (translation.get_language(), get_script_prefix()) == (language_here, prefix_here)


def in_a_thread(work):
    """What `work()` returns, run in a thread of its own: a thread without an event loop,
    whatever the tests before left in this one (a browser test's loop)."""
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=work()))
    thread.start()
    thread.join(timeout=30)
    return result["value"]


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def test_each_async_task_sees_its_own_language():
    async def answer(language: str) -> str:
        with translation.override(language):
            await asyncio.sleep(0.01)  # the other task runs meanwhile
            return gettext("My requests")

    async def both() -> list[str]:
        return await asyncio.gather(answer("el"), answer("sk"), answer("en"))

    assert in_a_thread(lambda: asyncio.run(both())) == [
        "Τα αιτήματά μου",
        gettext_in("sk", "My requests"),
        "My requests",
    ]


def test_the_language_crosses_asgirefs_bridges_as_with_djangos_locals():
    def in_sync() -> str:
        return translation.get_language()

    async def in_async() -> str:
        inner = await sync_to_async(in_sync)()
        return f"{translation.get_language()} {inner}"

    def bridged() -> str:
        with translation.override("el"):
            return async_to_sync(in_async)()

    assert in_a_thread(bridged) == "el el"
    assert translation.get_language() != "el"


def test_a_value_set_and_deleted():
    local = ContextLocal("test")
    assert getattr(local, "value", None) is None
    local.value = 1
    assert local.value == 1
    del local.value
    assert not hasattr(local, "value")
