"""The checks every browser test gets: a page with an accessibility defect, a blocked inline
script or a width past the window's is reported, even when the test leaves it at once."""

from tests.browser.pagechecks import PageChecks

POLICY = "default-src 'self'; script-src 'self'; style-src 'self'"
FAULTY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Faulty</title></head>
<body><main><h1>Faulty</h1><img src="/pixel.png"><a href="/next">Next</a>
<pre>A line of preformatted text, which does not wrap, and is wider than a phone.</pre>
<script>document.title = "inline";</script></main></body></html>"""
# Its form is sent before its deferred script has come: the browser stops parsing it, and
# DOMContentLoaded never comes.
FORM_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Form</title><script src="/slow.js" defer></script></head>
<body><main><h1>Form</h1><form action="/next"><button>Send</button></form></main></body></html>"""
GOOD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Good</title></head><body><main><h1>Good</h1></main></body></html>"""


def _serve(route, held_scripts: list | None = None) -> None:
    url = route.request.url
    if url.endswith("/slow.js") and held_scripts is not None:
        held_scripts.append(route)
    elif url.endswith("/pixel.png"):
        route.fulfill(status=404)
    else:
        pages = {"/faulty": FAULTY_PAGE, "/form": FORM_PAGE}
        body = next((page for path, page in pages.items() if url.endswith(path)), GOOD_PAGE)
        route.fulfill(
            body=body, content_type="text/html", headers={"Content-Security-Policy": POLICY}
        )


def test_a_page_left_at_once_is_still_checked_and_its_defects_reported(browser):
    checks = PageChecks()
    context = browser.new_context(
        base_url="http://portal.test", viewport={"width": 375, "height": 812}
    )
    context.route("**/*", _serve)
    checks.watch(context)
    try:
        page = context.new_page()
        page.goto("/faulty")
        page.get_by_role("link", name="Next").click()
        page.wait_for_url("**/next")
        checks.finish()
    finally:
        context.close()

    assert checks.checked == ["http://portal.test/faulty", "http://portal.test/next"]
    assert any("/faulty: image-alt" in problem for problem in checks.problems)
    assert any("/faulty: sideways-scroll" in problem for problem in checks.problems)
    assert any(problem.startswith("CSP violation: script-src") for problem in checks.problems)
    assert not any("/next" in problem for problem in checks.problems)


def test_a_form_sent_before_the_page_finished_loading_does_not_wait_for_ever(browser):
    checks = PageChecks()
    held_scripts = []
    context = browser.new_context(base_url="http://portal.test")
    context.set_default_timeout(10_000)
    context.route("**/*", lambda route: _serve(route, held_scripts))
    checks.watch(context)
    try:
        page = context.new_page()
        page.goto("/form", wait_until="commit")
        page.get_by_role("button", name="Send").click()
        page.wait_for_url("**/next?")
        checks.finish(timeout=10)
    finally:
        context.close()

    assert held_scripts, "the deferred script was still on its way when the form was sent"
    assert checks.checked == ["http://portal.test/form", "http://portal.test/next?"]
    assert checks.problems == []
