"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

No ``playwright install``: the browser is the system one (see DESIGN.md, "browser tests"). The live server
runs in a thread of this process and Playwright's sync API runs an event loop in the test thread, so Django's
async-safety check has to be relaxed for database access from the test.

Every page a journey opens is audited (``PageAudit``): axe-core, vendored in ``vendor/axe-core/`` and put into
each page by Playwright (an init script, which the site's CSP does not apply to), runs its WCAG 2.1 A and AA
rules once the page has loaded; below 600 px the page must not scroll sideways. A serious or critical
violation, or an overflow, fails the test at teardown with the page's address.
"""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from django.apps import apps as django_apps  # noqa: E402
from playwright.sync_api import BrowserContext, Error, Page  # noqa: E402

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory  # noqa: E402
from inspiracle.shop.catalogue import catalogue_install  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}
NARROW_BELOW = 600  # px: pages narrower than this are phone widths, which must not scroll sideways
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def site(transactional_db, live_server) -> str:
    """The live site with the shipped agreements in force; returns its base URL (no trailing slash)."""
    agreements_load_directory(directory=DEFAULTS_DIR)
    catalogue_install(django_apps)  # the shop's catalogue, emptied by the transactional tests before
    return live_server.url


@pytest.fixture
def screenshots_dir(pytestconfig) -> Path:
    """Playwright's output folder (``--output``, test-results/ unless told): CI gives each of its runs that
    go side by side a folder of its own, so that they neither overwrite nor empty each other's."""
    path = REPO_ROOT / pytestconfig.getoption("--output")
    path.mkdir(parents=True, exist_ok=True)
    return path


# Runs in the page: axe once per document, and the sideways overflow at phone widths. The audit's promise is
# kept on the window: a second call (the load event's, then the journey's own) waits for the same audit, and
# the document's id lets the second answer be recognised. Only HTML documents are audited (not JSON answers,
# images, PDFs or downloads).
AUDIT_JS = """async ({tags, narrowBelow}) => {
  if (document.contentType !== "text/html" || typeof axe === "undefined") {
    return null;
  }
  window.__inspiracleAudit = window.__inspiracleAudit || (async () => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    const width = window.innerWidth;
    const overflow = width < narrowBelow ? document.documentElement.scrollWidth - width : 0;
    // What sticks out: the innermost elements past the right edge, named by tag, id and classes.
    const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    const outside = overflow > 1 ? Array.from(document.body.querySelectorAll("*")).filter(el =>
      el.getBoundingClientRect().right > width + 1 &&
      !Array.from(el.children).some(c => c.getBoundingClientRect().right > width + 1)).slice(0, 5).map(el =>
      (el.parentElement ? name(el.parentElement) + " > " : "") + name(el)) : [];
    return {
      document: Math.random().toString(36).slice(2) + Date.now().toString(36),
      url: location.href,
      lang: document.documentElement.lang,
      width: width,
      overflow: overflow,
      outside: outside,
      violations: result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " (" + n.failureSummary.replace(/\\s+/g, " ") + ")"),
      })),
    };
  })();
  return await window.__inspiracleAudit;
}"""


class PageAudit:
    """Audits every page of the contexts it watches: axe-core on load, overflow at phone widths."""

    def __init__(self) -> None:
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []
        self.audited: list[str] = []
        self.documents: set[str] = set()

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.add_init_script(path=AXE_SCRIPT)
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)
        self.contexts.append(context)
        return context

    def _watch_page(self, page: Page) -> None:
        page.on("load", lambda: self.audit(page))

    def audit(self, page: Page) -> None:
        """Audits the page's document, or waits for its audit already under way; each document counts once."""
        if page.is_closed() or not page.url.startswith("http"):
            return
        try:
            found: dict[str, Any] | None = page.evaluate(
                AUDIT_JS, {"tags": AXE_TAGS, "narrowBelow": NARROW_BELOW}
            )
        except Error:
            return  # the page went on to the next one while axe ran: that one is audited when it loads
        if found is None or found["document"] in self.documents:
            return
        self.documents.add(found["document"])
        where = f"{found['url']} ({found['lang']}, {found['width']} px)"
        self.audited.append(where)
        for violation in found["violations"]:
            if violation["impact"] in AXE_FAILING_IMPACTS:
                nodes = "; ".join(violation["nodes"])
                self.problems.append(
                    f"{where}: {violation['impact']} {violation['id']}: {violation['help']}: {nodes}"
                )
        if found["overflow"] > 1:
            self.problems.append(
                f"{where}: the page scrolls sideways by {found['overflow']} px: {', '.join(found['outside'])}"
            )

    def finish(self) -> None:
        """Audits the pages still open on their last document (a load the test did not wait past)."""
        for context in self.contexts:
            for page in context.pages:
                self.audit(page)
        self.contexts.clear()


@pytest.fixture
def page_audit() -> Iterator[PageAudit]:
    audit = PageAudit()
    yield audit
    assert not audit.problems, "Accessibility or phone-width problems:\n" + "\n".join(audit.problems)


@pytest.fixture
def context(context: BrowserContext, page_audit: PageAudit) -> Iterator[BrowserContext]:
    yield page_audit.watch(context)
    page_audit.finish()


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], page_audit: PageAudit
) -> Iterator[Callable[..., BrowserContext]]:
    def audited_context(**kwargs: Any) -> BrowserContext:
        return page_audit.watch(new_context(**kwargs))

    yield audited_context
    page_audit.finish()
