"""A list's page and the number of rows of the whole list, in one query.

Django's Paginator counts the rows (SELECT COUNT(*)) and then reads the page's: two
queries for each page of a list. Here each row of the page carries the count of the
whole list (COUNT(*) OVER (), which the database works out while it sorts the list for
the page anyway), so a page that has rows takes one query. A page with none (an empty
list, a number past the last page) is left to Paginator.get_page, which counts, and shows
the last page as it always did.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

_TOTAL = "whole_list_count"


def page_of(queryset: QuerySet, number: object, per_page: int) -> Page:
    """What `Paginator(queryset, per_page).get_page(number)` gives, in one query when the
    page has rows."""
    paginator = Paginator(queryset, per_page)
    try:
        wanted = int(str(number))
    except ValueError:
        wanted = 1
    if wanted >= 1:
        start = (wanted - 1) * per_page
        rows = list(queryset.annotate(**{_TOTAL: Window(Count("*"))})[start : start + per_page])
        if rows:
            paginator.count = getattr(rows[0], _TOTAL)
            return Page(rows, wanted, paginator)
    return paginator.get_page(number)
