"""{% url %} with the URLs that take no arguments worked out once per process.

Django's {% url %} reverses its URL at every render: about 30 to 70 microseconds each
(the resolver's lookups, the quoting), and a page has ten to twenty of them that are the
same on every request ({% url 'tickets:list' %}, the admin's links), a few tenths of a
millisecond a page; a name that does not reverse (the admin documentation's link, when the
app is not installed) costs most, as an exception caught. This tag is Django's, installed
as a template builtin (settings.TEMPLATES) so that it stands for {% url %} everywhere; a
URL with arguments is reversed as before, one without is kept by its name, the current
application (the admin's namespace) and the URLconf and script prefix in use, which are
all a reverse depends on where no URL carries a language prefix.
"""

from django import template
from django.conf import settings
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

# Names, apps and URLconfs are few: a bound only against the unforeseen.
KEPT_LIMIT = 4096
_kept: dict[tuple, str | None] = {}


class KeptURLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        if self.args or self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = (view_name, current_app, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
        try:
            url = _kept[key]
        except KeyError:
            try:
                url = reverse(view_name, current_app=current_app)
            except NoReverseMatch:
                url = None  # kept too: the same name fails the same way
            if len(_kept) >= KEPT_LIMIT:
                _kept.clear()
            _kept[key] = url
        if url is None:
            if self.asvar is None:
                # Raised as Django raises it, with its message.
                reverse(view_name, current_app=current_app)
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token) -> KeptURLNode:
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
