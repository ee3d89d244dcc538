from django import template
from django.contrib.admin.templatetags import admin_list
from django.template.defaultfilters import capfirst
from django.templatetags.static import static
from django.utils import formats
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()

# The admin templates' own messages, translated as the templates translate them (by Django's
# catalogues, or the project's where portal/admin_messages.py lists one they lack). Called
# by this name, which `make messages` does not read, they add no msgid to the project's.
admin_message = gettext
admin_plural = ngettext


@register.simple_tag
def queue_result_list(cl) -> str:
    """The admin's `{% result_list cl %}` for the queue: the HTML of
    admin/change_list_results.html written here, with the rows built by
    QueueChangeList.rows() (a test compares the two). The template loops over 9 headers
    with their sort links and over 400 cells. A popup (a raw id field's lookup), a list
    with a formset or an empty page keeps the admin's own."""
    if cl.is_popup or cl.formset or not hasattr(cl, "rows"):
        return _admin_result_list(cl)
    rows = cl.rows()
    if not rows:
        return _admin_result_list(cl)
    headers = list(admin_list.result_headers(cl))
    sorted_fields = sum(1 for h in headers if h["sortable"] and h["sorted"])
    parts = ['\n\n\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n']
    for header in headers:
        parts.append(f'\n<th scope="col"{header["class_attrib"]}>\n   ')
        if header["sortable"] and header["sort_priority"] > 0:
            parts.append(
                '\n       <div class="sortoptions">\n'
                f'         <a class="sortremove" href="{conditional_escape(header["url_remove"])}"'
                f' title="{_value(admin_message("Remove from sorting"))}"></a>\n         '
            )
            if sorted_fields > 1:
                priority = header["sort_priority"]
                title = admin_message("Sorting priority: %(priority_number)s") % {
                    "priority_number": priority
                }
                parts.append(f'<span class="sortpriority" title="{title}">{priority}</span>')
            direction = "ascending" if header["ascending"] else "descending"
            parts.append(
                f'\n         <a href="{conditional_escape(header["url_toggle"])}"'
                f' class="toggle {direction}"'
                f' title="{conditional_escape(admin_message("Toggle sorting"))}"></a>\n'
                "       </div>\n   "
            )
        text = conditional_escape(capfirst(header["text"]))
        if header["sortable"]:
            text = f'<a href="{conditional_escape(header["url_primary"])}">{text}</a>'
        else:
            text = f"<span>{text}</span>"
        parts.append(f'\n   <div class="text">{text}</div>\n   <div class="clear"></div>\n</th>')
    parts.append("\n</tr>\n</thead>\n<tbody>\n")
    for row in rows:
        parts.append("\n\n<tr>")
        parts.extend(row)
        parts.append("</tr>\n")
    parts.append("\n</tbody>\n</table>\n</div>\n\n")
    # Every header text, URL and title is escaped above; the cells are the rows' safe HTML.
    return mark_safe("".join(parts))  # noqa: S308


def _admin_result_list(cl) -> str:
    return template.loader.render_to_string(
        "admin/change_list_results.html", admin_list.result_list(cl)
    )


@register.simple_tag
def queue_filters(cl) -> str:
    """The admin change list's filters block: the side panel with its links to show the
    counts and to clear the filters, then each filter (queue_list_filter)."""
    if not cl.has_filters:
        return mark_safe("\n        \n      ")
    parts = [
        "\n        \n          "
        '<nav id="changelist-filter" aria-labelledby="changelist-filter-header">'
        f'\n            <h2 id="changelist-filter-header">{_value(admin_message("Filter"))}</h2>'
        "\n            "
    ]
    if cl.is_facets_optional or cl.has_active_filters:
        parts.append('<div id="changelist-filter-extra-actions">\n              ')
        if cl.is_facets_optional:
            if cl.add_facets:
                link = (
                    f'<a href="{_value(cl.remove_facet_link)}" class="hidelink">'
                    f"{_value(admin_message('Hide counts'))}</a>\n                "
                )
            else:
                link = (
                    f'<a href="{_value(cl.add_facet_link)}" class="viewlink">'
                    f"{_value(admin_message('Show counts'))}</a>"
                )
            parts.append(f"<h3>\n                {link}\n              </h3>")
        parts.append("\n              ")
        if cl.has_active_filters:
            parts.append(
                f'<h3>\n                <a href="{_value(cl.clear_all_filters_qs)}">&#10006; '
                f"{_value(admin_message('Clear all filters'))}</a>\n              </h3>"
            )
        parts.append("\n            </div>")
    parts.append("\n            ")
    parts.extend(queue_list_filter(cl, spec) for spec in cl.filter_specs)
    parts.append("\n          </nav>\n        \n      ")
    # Every link and text is escaped above; the filters are queue_list_filter's safe HTML.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag
def queue_list_filter(cl, spec) -> str:
    """The admin's `{% admin_list_filter cl spec %}`: the HTML of admin/filter.html written
    here rather than a template rendered for each of the queue's seven filters (a test
    compares the two); a filter with a template of its own keeps it."""
    if spec.template != "admin/filter.html":
        return admin_list.admin_list_filter(cl, spec)
    title = conditional_escape(spec.title)
    heading = admin_message(" By %(filter_title)s ") % {"filter_title": title}
    parts = [f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {heading}\n']
    parts.append("  </summary>\n  <ul>\n  ")
    for choice in spec.choices(cl):
        selected = ' class="selected"' if choice["selected"] else ""
        href = conditional_escape(iri_to_uri(choice["query_string"]))
        display = conditional_escape(choice["display"])
        parts.append(f'\n    <li{selected}>\n    <a href="{href}">{display}</a></li>\n  ')
    parts.append("\n  </ul>\n</details>\n")
    # The title, the links and the choices' names are escaped above.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag(takes_context=True)
def queue_actions(context) -> str:
    """The admin's `{% admin_actions %}`: the HTML of admin/actions.html written here (a
    test compares the two)."""
    # As admin_actions: the index of this action bar (the top one 0, the bottom one 1).
    context["action_index"] = index = context.get("action_index", -1) + 1
    parts = ['\n<div class="actions">\n  \n    \n    ']
    for field in context["action_form"]:
        if field.label:
            parts.append(f"<label>{_value(field.label)} {field}</label>")
        else:
            parts.append(str(field))
    run, go = _value(admin_message("Run the selected action")), _value(admin_message("Go"))
    parts.append(
        f'\n    \n    \n    <button type="submit" class="button" title="{run}" name="index"'
        f' value="{_value(index or 0)}">{go}</button>\n    \n    \n    '
    )
    if context.get("actions_selection_counter"):
        cl = context["cl"]
        shown = len(cl.result_list)
        parts.append(
            f'\n        <span class="action-counter" data-actions-icnt="{_value(shown)}">'
            f"{_value(context.get('selection_note'))}</span>\n        "
        )
        if cl.result_count != shown:
            select_all = admin_message("Select all %(total_count)s %(module_name)s") % {
                "total_count": _value(cl.result_count),
                "module_name": _value(context.get("module_name")),
            }
            title = _value(admin_message("Click here to select the objects across all pages"))
            parts.append(
                f'\n        <span class="all hidden">{_value(context.get("selection_note_all"))}'
                "</span>\n"
                '        <span class="question hidden">\n'
                f'            <a role="button" href="#" title="{title}">{select_all}</a>\n'
                "        </span>\n"
                '        <span class="clear hidden"><a role="button" href="#">'
                f"{_value(admin_message('Clear selection'))}</a></span>\n        "
            )
        parts.append("\n    ")
    parts.append("\n    \n  \n</div>\n")
    # Every value is escaped by _value(); the fields are their widgets' safe HTML.
    return mark_safe("".join(parts))  # noqa: S308


def _value(value) -> str:
    """A value as {{ value }} writes it: localized, then escaped unless safe."""
    value = formats.localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


@register.simple_tag
def queue_pagination(cl) -> str:
    """The admin's `{% pagination cl %}`: the HTML of admin/pagination.html written here
    (a test compares the page with the admin's); a list with a formset keeps the admin's."""
    context = admin_list.pagination(cl)
    if cl.formset:
        return template.loader.render_to_string("admin/pagination.html", context)
    parts = ['\n\n<p class="paginator">\n']
    if context["pagination_required"]:
        parts.append("\n")
        for number in context["page_range"]:
            parts.append(f"\n    {admin_list.paginator_number(cl, number)}\n")
        parts.append("\n")
    count = cl.result_count
    name = cl.opts.verbose_name if count == 1 else cl.opts.verbose_name_plural
    parts.append(f"\n{_value(count)} {_value(name)}\n")
    if context["show_all_url"]:
        parts.append(
            f'<a href="{_value(context["show_all_url"])}" class="showall">'
            f"{_value(admin_message('Show all'))}</a>"
        )
    parts.append("\n\n</p>\n")
    # The links are paginator_number's safe HTML, every other value escaped above.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag
def queue_search_form(cl) -> str:
    """The admin's `{% search_form cl %}`: the HTML of admin/search_form.html written here
    (a test compares the page with the admin's)."""
    if not cl.search_fields:
        return mark_safe("\n\n")
    context = admin_list.search_form(cl)
    search_var = context["search_var"]
    described = ' aria-describedby="searchbar_helptext"' if cl.search_help_text else ""
    parts = [
        '\n\n<div id="toolbar"><form id="changelist-search" method="get" role="search">\n'
        "<div><!-- DIV needed for valid HTML -->\n"
        f'<label for="searchbar"><img src="{_value(static("admin/img/search.svg"))}"'
        ' alt="Search"></label>\n'
        f'<input type="text" size="40" name="{_value(search_var)}" value="{_value(cl.query)}"'
        f' id="searchbar"{described}>\n'
        f'<input type="submit" value="{_value(admin_message("Search"))}">\n'
    ]
    if context["show_result_count"]:
        count = cl.result_count
        results = admin_plural("%(counter)s result", "%(counter)s results", count) % {
            "counter": _value(count)
        }
        query = ""
        if cl.is_popup:
            query = f"{_value(context['is_popup_var'])}=1" + ("&" if cl.add_facets else "")
        if cl.add_facets:
            query += _value(context["is_facets_var"])
        if cl.show_full_result_count:
            everything = admin_message("%(full_result_count)s total") % {
                "full_result_count": _value(cl.full_result_count)
            }
        else:
            everything = _value(admin_message("Show all"))
        parts.append(
            f'\n    <span class="small quiet">{results} (<a href="?{query}">{everything}</a>)'
            "</span>\n"
        )
    parts.append("\n")
    for name, value in cl.params.items():
        hidden = (
            f'<input type="hidden" name="{_value(name)}" value="{_value(value)}">'
            if name != search_var
            else ""
        )
        parts.append(f"\n    {hidden}\n")
    parts.append("\n</div>\n")
    if cl.search_help_text:
        parts.append(
            '\n<br class="clear">\n'
            f'<div class="help" id="searchbar_helptext">{_value(cl.search_help_text)}</div>\n'
        )
    parts.append("\n</form></div>\n\n")
    # Every value is escaped above.
    return mark_safe("".join(parts))  # noqa: S308
