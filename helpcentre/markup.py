"""Article bodies: Markdown written by staff, rendered and then sanitised, because an
article is read by customers and staff alike and a phished or careless author must not
be able to put script on the portal's pages."""

import html

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "kbd", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(body: str) -> str:
    """Safe HTML for `body`: no script, no event handlers, no inline style, no images or
    frames, only http(s) and mailto links, each with rel="noopener noreferrer"."""
    raw = markdown.markdown(body, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def plain_text(body: str) -> str:
    """The words a reader sees in `body`, for the search index and its snippets."""
    text = nh3.clean(render_markdown(body), tags=set())
    return " ".join(html.unescape(text).split())
