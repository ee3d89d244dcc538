"""The checks every browser test gets: a page with an accessibility defect, a blocked inline
script or a width past the window's is reported, even when the test leaves it at once."""

from tests.browser.pagechecks import PageChecks

POLICY = "default-src 'self'; script-src 'self'; style-src 'self'"
FAULTY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Faulty</title></head>
<body><main><h1>Faulty</h1><img src="/pixel.png"><a href="/next">Next</a>
<pre>A line of preformatted text, which does not wrap, and is wider than a phone.</pre>
<script>document.title = "inline";</script></main></body></html>"""
GOOD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Good</title></head><body><main><h1>Good</h1></main></body></html>"""


def _serve(route) -> None:
    url = route.request.url
    if url.endswith("/pixel.png"):
        route.fulfill(status=404)
    else:
        body = FAULTY_PAGE if url.endswith("/faulty") else GOOD_PAGE
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
