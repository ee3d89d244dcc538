from django import template
from django.contrib.admin.templatetags import admin_list

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def queue_result_list(cl) -> dict:
    """The admin's `{% result_list cl %}` for the queue, with the rows built by
    QueueChangeList.rows(); a popup (a raw id field's lookup) keeps the admin's own."""
    if cl.is_popup or cl.formset or not hasattr(cl, "rows"):
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": cl.rows(),
    }
