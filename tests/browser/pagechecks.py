"""Checks every page a browser test shows.

In a watched browser context, every HTML document of the portal runs axe-core (WCAG 2.1 A
and AA rules) once it is parsed and styled, checks that it is no wider than the window, and
reports the result; a navigation away from a document whose result has not come yet waits
for it. Content-Security-Policy violations are collected as they happen. So a test cannot
show a page that escapes the checks: they hang on the browser's own loading and leaving of
documents, not on calls the test makes.
"""

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs in every document before its own scripts; Playwright adds it outside the page's
# Content-Security-Policy. Only the top document of a web page is checked.
_PAGE_SCRIPT = """
(() => {
  if (window.top !== window || !location.protocol.startsWith("http")) { return; }
  let axeRunning = false;
  document.addEventListener("securitypolicyviolation", (event) => {
    // axe-core copies the rules of a stylesheet that has an @import (the admin's forms.css)
    // into a <style> of a document of its own, which the page's policy refuses.
    const fromAxe = axeRunning && event.effectiveDirective === "style-src-elem" &&
      event.blockedURI === "inline";
    if (fromAxe) { return; }
    window.__portalCspViolation(
      `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile || location.href}:${event.lineNumber}` +
      (event.sample ? ` (${event.sample})` : "")
    );
  });
  if (document.contentType !== "text/html") { return; }
  // A navigation that starts before the page has loaded may stop its loading, and then
  // `load` never comes: the check starts once the document is parsed and its stylesheets
  // have loaded, or waited for long enough. A form sent before the deferred scripts have
  // run (a quick click) aborts the parser: then DOMContentLoaded never comes either, and
  // the document only turns "complete"; the check starts on whichever comes first.
  const stylesheetsLoaded = () => Array.from(
    document.querySelectorAll("link[rel=stylesheet]")
  ).every((link) => link.sheet !== null);
  let started = false;
  const check = async () => {
    if (started) { return; }
    started = true;
    for (let waited = 0; !stylesheetsLoaded() && waited < 3000; waited += 25) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    let violations;
    try {
      %(axe_source)s
      axeRunning = true;
      const results = await axe.run(document, {
        runOnly: {type: "tag", values: %(tags)s},
        resultTypes: ["violations"],
      });
      violations = results.violations.map((violation) => ({
        id: violation.id,
        help: violation.help,
        nodes: violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary}`),
      }));
    } catch (error) {
      violations = [{id: "axe-error", help: String(error), nodes: []}];
    } finally {
      axeRunning = false;
    }
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
      violations.push({
        id: "sideways-scroll",
        help: `the page is ${overflow} px wider than the ${window.innerWidth} px window`,
        nodes: [],
      });
    }
    window.__portalDocumentChecked(location.href, violations);
  };
  document.addEventListener("DOMContentLoaded", check);
  document.addEventListener("readystatechange", () => {
    if (document.readyState === "complete") { check(); }
  });
})();
"""


def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise RuntimeError(
            f"{AXE_SCRIPT} is missing: run `npm ci` (make test does it) to install axe-core."
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


@dataclass
class PageChecks:
    """The documents checked and the problems found in the browser contexts it watches.

    Per page, it counts the HTML documents the browser received for it (from the responses,
    which come before the document runs and before any later navigation) and the documents
    that reported their check: a navigation waits while the first count is ahead."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _contexts: list = field(default_factory=list)
    _received: Counter = field(default_factory=Counter)
    _reported: Counter = field(default_factory=Counter)
    _held: dict = field(default_factory=dict)  # page -> navigations waiting for the check
    _counted: set = field(default_factory=set)  # navigation requests counted as received

    def watch(self, context) -> None:
        self._contexts.append(context)
        context.expose_binding("__portalDocumentChecked", self._checked)
        context.expose_binding(
            "__portalCspViolation",
            lambda source, text: self.problems.append(f"CSP violation: {text}"),
        )
        context.add_init_script(
            _PAGE_SCRIPT % {"axe_source": axe_source(), "tags": json.dumps(WCAG_TAGS)}
        )
        context.on("response", self._response)
        context.on("requestfailed", self._request_failed)
        context.route("**/*", self._request)

    def _unchecked(self, page) -> bool:
        return self._received[page] > self._reported[page]

    def _response(self, response) -> None:
        request = response.request
        if (
            request.is_navigation_request()
            and request.frame.parent_frame is None
            and not 300 <= response.status < 400
            and response.headers.get("content-type", "").startswith("text/html")
        ):
            self._received[request.frame.page] += 1
            self._counted.add(request)

    def _request_failed(self, request) -> None:
        # A navigation whose document never came to be (another navigation replaced it
        # after its headers arrived): there is no document to wait for.
        if request in self._counted:
            self._counted.discard(request)
            page = request.frame.page
            self._received[page] -= 1
            self._release(page)

    def _release(self, page) -> None:
        if not self._unchecked(page):
            held = self._held.pop(page, [])
            # Only the last navigation asked for can become the page's document.
            for route in held[:-1]:
                route.abort()
            for route in held[-1:]:
                route.fallback()

    def _checked(self, source, url: str, violations: list) -> None:
        page = source["page"]
        self._reported[page] += 1
        self.checked.append(url)
        for violation in violations:
            nodes = "\n    ".join(violation["nodes"])
            self.problems.append(f"{url}: {violation['id']} ({violation['help']}):\n    {nodes}")
        self._release(page)

    def _request(self, route) -> None:
        request = route.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            page = request.frame.page
            if self._unchecked(page):
                # Leaving a document not checked yet: the request waits for its result.
                self._held.setdefault(page, []).append(route)
                return
        route.fallback()

    def finish(self, timeout: float = 60) -> None:
        """Wait for the check of the document each page shows last."""
        deadline = time.monotonic() + timeout
        for context in self._contexts:
            for page in context.pages:
                while not page.is_closed() and self._unchecked(page):
                    if time.monotonic() > deadline:
                        self.problems.append(f"{page.url}: its check did not end in {timeout} s")
                        break
                    page.wait_for_timeout(25)
