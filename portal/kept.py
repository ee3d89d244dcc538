"""Page fragments rendered once per process and kept ({% site_header %}, {% admin_header %}):
the same for every visitor of a kind but for a few values, which the fragment is rendered
with marks in place of and each request puts in."""

from collections.abc import Callable, Hashable

from django.conf import settings


def mark(name: str) -> str:
    """A mark for a request's value: private-use characters, which nothing in a fragment
    escapes or contains."""
    return f"\ue000{name}\ue000"


class KeptFragments:
    """Fragments by key, at most `limit` of them (past it, all are rendered again)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: dict[Hashable, str] = {}

    def get(self, key: Hashable, render: Callable[[], str]) -> str:
        fragment = self._kept.get(key)
        if fragment is None:
            fragment = render()
            # With DEBUG on, a template being edited shows at the next request.
            if not settings.DEBUG:
                if len(self._kept) >= self.limit:
                    self._kept.clear()
                self._kept[key] = fragment
        return fragment
