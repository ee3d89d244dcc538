"""Django's per-request values (the active language, the active time zone, the URL prefix
and urlconf) kept in context variables, without asgiref's lock.

Django keeps them in `asgiref.local.Local` objects, which every `gettext`, `reverse()` and
localised date reads. asgiref 3.13's Local takes a lock and checks the owning thread on
each read (for Python 3.14's threads that inherit their parent's context): about 4.5
microseconds a read, and a page reads them 150 (a customer's list) to 300 times (the
agents' queue), half a millisecond to a millisecond and a half of each request
(bench/RESULTS.md). `ContextLocal` keeps the same values in a context variable, as
asgiref's own storage does underneath, for a read of about half a microsecond: local to
each thread in sync code (each thread has its own context) and to each task in async
code (a task runs in a copy of its creator's context), and carried by asgiref's
sync_to_async and async_to_sync, which run the work in a copy of the caller's context.

Installed when the app registry is ready, where Python threads start with an empty
context (not Python 3.14's free-threaded builds, whose threads inherit their parent's
context: there asgiref's own check is needed and these stay asgiref's). The value a
Local already holds in this thread (the script prefix that django.setup() sets) is
carried over.
"""

import sys
from contextvars import ContextVar
from typing import Any

_MISSING = object()
_NONE: dict = {}  # never changed: each change makes a new dict


class ContextLocal:
    """An attribute namespace whose values live in a context variable (copied on each
    change, so a copied context keeps the values it had)."""

    __slots__ = ("_values",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_values", ContextVar(name))

    def __getattr__(self, key: str) -> Any:
        value = self._values.get(_NONE).get(key, _MISSING)
        if value is _MISSING:
            raise AttributeError(key)
        return value

    def __setattr__(self, key: str, value: Any) -> None:
        values = dict(self._values.get(_NONE))
        values[key] = value
        self._values.set(values)

    def __delattr__(self, key: str) -> None:
        values = dict(self._values.get(_NONE))
        if key not in values:
            raise AttributeError(key)
        del values[key]
        self._values.set(values)


def _replaced_locals() -> list[tuple[object, str]]:
    from django.urls import base as urls
    from django.utils import timezone
    from django.utils.translation import trans_real

    return [
        (trans_real, "_active"),
        (timezone, "_active"),
        (urls, "_prefixes"),
        (urls, "_urlconfs"),
    ]


def install() -> bool:
    """Put ContextLocals in place of Django's request Locals; False where they stay."""
    if getattr(sys.flags, "thread_inherit_context", False):
        return False
    for module, name in _replaced_locals():
        current = getattr(module, name)
        if isinstance(current, ContextLocal):
            continue
        replacement = ContextLocal(f"{module.__name__}.{name}")
        value = getattr(current, "value", _MISSING)
        if value is not _MISSING:
            replacement.value = value
        setattr(module, name, replacement)
    return True
