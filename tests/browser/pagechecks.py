"""Checks every page a browser test shows.

In a watched browser context, every HTML document of the portal runs axe-core (WCAG 2.1 A
and AA rules) once it has loaded, checks that it does not scroll sideways in the window's
width, and reports the result; a navigation away from a document
whose result has not come yet waits for it. Content-Security-Policy violations are
collected as they happen. So a test cannot show a page that escapes the checks: they hang
on the browser's own loading and leaving of documents, not on calls the test makes.
"""

import json
import uuid
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
  const documentId = "%(document_id_prefix)s" + Math.random().toString(36).slice(2);
  window.__portalDocumentOpened(documentId);
  window.addEventListener("load", async () => {
    %(axe_source)s
    axeRunning = true;
    const results = await axe.run(document, {
      runOnly: {type: "tag", values: %(tags)s},
      resultTypes: ["violations"],
    });
    axeRunning = false;
    const violations = results.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary}`),
    }));
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
      violations.push({
        id: "sideways-scroll",
        help: `the page is ${overflow} px wider than the ${window.innerWidth} px window`,
        nodes: [],
      });
    }
    window.__portalAxeResult = {documentId, url: location.href, violations};
    window.__portalDocumentChecked(documentId, location.href, violations);
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
    """The documents checked and the problems found in the browser contexts it watches."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _contexts: list = field(default_factory=list)
    _showing: dict = field(default_factory=dict)  # page -> id of the document it shows
    _done: set = field(default_factory=set)  # ids of the documents checked
    _held: dict = field(default_factory=dict)  # page -> navigation waiting for the check

    def watch(self, context) -> None:
        self._contexts.append(context)
        context.expose_binding("__portalDocumentOpened", self._opened)
        context.expose_binding("__portalDocumentChecked", self._checked)
        context.expose_binding(
            "__portalCspViolation",
            lambda source, text: self.problems.append(f"CSP violation: {text}"),
        )
        context.add_init_script(
            _PAGE_SCRIPT
            % {
                "axe_source": axe_source(),
                "tags": json.dumps(WCAG_TAGS),
                "document_id_prefix": uuid.uuid4().hex,
            }
        )
        context.route("**/*", self._request)

    def _opened(self, source, document_id: str) -> None:
        self._showing[source["page"]] = document_id

    def _checked(self, source, document_id: str, url: str, violations: list) -> None:
        if document_id in self._done:
            return
        self._done.add(document_id)
        self.checked.append(url)
        for violation in violations:
            nodes = "\n    ".join(violation["nodes"])
            self.problems.append(f"{url}: {violation['id']} ({violation['help']}):\n    {nodes}")
        page = source["page"]
        if self._showing.get(page) == document_id and page in self._held:
            self._held.pop(page).fallback()

    def _request(self, route) -> None:
        request = route.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            page = request.frame.page
            showing = self._showing.get(page)
            if showing is not None and showing not in self._done:
                # Leaving a document not checked yet: the request waits for its result.
                self._held[page] = route
                return
        route.fallback()

    def finish(self) -> None:
        """Wait for the check of the document each page shows last."""
        for context in self._contexts:
            for page in context.pages:
                if page.is_closed() or self._showing.get(page) in self._done | {None}:
                    continue
                page.wait_for_function("() => window.__portalAxeResult !== undefined")
                result = page.evaluate("() => window.__portalAxeResult")
                self._checked(
                    {"page": page}, result["documentId"], result["url"], result["violations"]
                )
