"""A list's page and the number of rows of the whole list, in one query.

Django's Paginator counts the rows (SELECT COUNT(*)) and then reads the page's: two
queries for each page of a list. Here each row of the page carries the count of the
whole list (COUNT(*) OVER (), which the database works out while it sorts the list for
the page anyway), so a page that has rows takes one query. A page with none (an empty
list, a number past the last page) is left to Paginator.get_page, which counts, and shows
the last page as it always did.
"""

from collections.abc import Callable, Hashable

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

from portal.prepared import PreparedQuery

_TOTAL = "whole_list_count"


def with_whole_count(queryset: QuerySet) -> QuerySet:
    """The queryset with each row carrying the count of all its rows."""
    return queryset.annotate(**{_TOTAL: Window(Count("*"))})


# Past this, a page number is no list's (and no database's OFFSET): Paginator answers.
_LAST_PAGE = 2**31


def _wanted(number: object) -> int:
    """The page number asked for; 0 for one left to Paginator.get_page."""
    try:
        wanted = int(str(number))
    except ValueError:
        return 1
    return wanted if wanted < _LAST_PAGE else 0


def page_of(queryset: QuerySet, number: object, per_page: int) -> Page:
    """What `Paginator(queryset, per_page).get_page(number)` gives, in one query when the
    page has rows."""
    paginator = Paginator(queryset, per_page)
    wanted = _wanted(number)
    if wanted >= 1:
        start = (wanted - 1) * per_page
        rows = list(with_whole_count(queryset)[start : start + per_page])
        if rows:
            paginator.count = getattr(rows[0], _TOTAL)
            return Page(rows, wanted, paginator)
    return paginator.get_page(number)


def prepared_page_of(
    prepared: PreparedQuery,
    shape: Hashable,
    values: dict,
    queryset: Callable[[], QuerySet],
    number: object,
    per_page: int,
) -> Page:
    """page_of(queryset(), number, per_page), the page's rows read by `prepared` (whose
    statement is `with_whole_count(queryset())` for these values); the queryset is built
    only for a page without rows."""
    wanted = _wanted(number)
    if wanted >= 1:
        rows = prepared.fetch(shape, limit=per_page, offset=(wanted - 1) * per_page, **values)
        if rows:
            # The paginator of a page that has rows only counts: the count is the rows'.
            paginator = Paginator((), per_page)
            paginator.count = getattr(rows[0], _TOTAL)
            return Page(rows, wanted, paginator)
    return Paginator(queryset(), per_page).get_page(number)
