"""What the journeys check at phone width beside the audit of every page (conftest.py): this page, now, is no
wider than the screen."""

from playwright.sync_api import Page

# The same measure as the audit's: how far the page reaches past the window, and the first elements that do.
_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const overflow = document.documentElement.scrollWidth - width;
  const wide = overflow > 1 ? [...document.body.querySelectorAll("*")]
    .filter(e => e.getBoundingClientRect().right > width + 1).slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")) : [];
  return [overflow, wide];
}"""


def fits_the_screen(page: Page, where: str = "") -> None:
    """Fails when the page scrolls sideways. Waits for a parsed document first: read right after a click that
    navigates, a page may have none yet (CI once met ``document.documentElement`` null). The caller waits for
    the page it means to measure (an ``expect`` on its content), or this measures the one before."""
    page.wait_for_function("document.documentElement !== null && document.body !== null")
    overflow, wide = page.evaluate(_OVERFLOW_JS)
    assert overflow <= 1, f"{where or page.url} is {overflow}px wider than the screen: {wide}"
