"""The handbook of the hostile example pack (:mod:`tests.hostile`) in headless Chromium:
hovering and focusing every tooltip opens no dialog, and the Content-Security-Policy
(:mod:`generator.site.csp`) holds on every page without breaking search, navigation
or the diagrams."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site.build import build_site
from generator.site.csp import POLICY
from tests.conftest import ROOT, serve
from tests.hostile import hostile_pack
from tests.test_browser_site import OPEN_SHADOW_ROOTS, browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser"]  # the fixture, shared with test_browser_site

# Every CSP violation the page reports, and every dialog (alert, confirm, prompt).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("hostile-browser")
    pack = hostile_pack(tmp / "pack")
    folder = build_site(ROOT / "mkdocs.yml", policies=pack, pdf_dir=tmp / "pdf",
                        site_dir=tmp / "site")
    with serve(folder) as url:
        yield url, folder


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(OPEN_SHADOW_ROOTS + WATCH)
    pg = context.new_page()
    pg.dialogs = []
    pg.errors = []
    pg.console = []

    def on_dialog(dialog: Any) -> None:
        pg.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.console.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def _pages(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).parent.as_posix() + "/" for p in folder.rglob("index.html")
                  if "search" not in p.parts)


# Every element that shows a tooltip, in document order: handles kept in the page, not
# locators, since Material turns each title into a tooltip of its own (content.tooltips),
# so a selector on [title] changes under the test's feet. Visible as Playwright means it.
TIPS = """() => {
  window.__tips = [...document.querySelectorAll(
      ".md-content :is(.pb-prov, .pb-rule, abbr, [title])")]
    .filter(e => { const box = e.getBoundingClientRect();
                   return box.width > 0 && box.height > 0
                          && getComputedStyle(e).visibility === "visible"; });
  return window.__tips.length;
}"""
# The tip before ``k`` focused (it was hovered last), then tip ``k`` scrolled into view:
# the point at its centre where the pointer lands on it (as Playwright's hover finds it),
# or null when something else covers it there.
AIM = """(k) => {
  if (k > 0) window.__tips[k - 1].focus();
  if (k === window.__tips.length) return null;
  const e = window.__tips[k];
  e.scrollIntoView({block: "center", inline: "center"});
  for (const box of e.getClientRects()) {
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    if (hit && (hit === e || e.contains(hit))) return [x, y];
  }
  return null;
}"""


def test_hovering_and_focusing_every_tooltip_opens_no_dialog(
        page: Any, site: tuple[str, Path]) -> None:
    """Each tooltip's element hovered with the mouse (a real pointer move onto it, as a
    user's) and then focused, page by page: two calls into the page a tooltip."""
    url, folder = site
    hovered = 0
    for path in _pages(folder):
        page.goto(url + path.removeprefix("./"))
        page.wait_for_load_state("load")
        tips = page.evaluate(TIPS)
        for k in range(tips):
            point = page.evaluate(AIM, k)
            if point is None:  # covered where it is drawn: Playwright's hover finds a way
                page.evaluate_handle("k => window.__tips[k]", k).as_element().hover(
                    timeout=2000)
            else:
                page.mouse.move(*point)
            hovered += 1
        if tips:
            page.evaluate(AIM, tips)  # focuses the last one
        page.wait_for_timeout(100)
        assert page.dialogs == [], path
        assert page.evaluate("window.__violations") == [], path
    assert hovered > 50
    assert page.errors == []


def test_the_csp_is_on_every_page_and_blocks_what_an_escape_missed(
        page: Any, site: tuple[str, Path]) -> None:
    url, folder = site
    for path in folder.rglob("*.html"):
        assert f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">' in \
            path.read_text(encoding="utf-8"), path
    page.goto(url)
    # Markup as a missed escape would put it in the page: neither runs.
    page.evaluate("""() => {
        document.body.insertAdjacentHTML("beforeend", '<img src="x" ' +
          'onerror="window.__ran = 1"><a id="js" href="javascript:window.__ran=2">x</a>');
        const s = document.createElement("script");
        s.textContent = "window.__ran = 3";
        document.body.append(s);
    }""")
    page.click("#js")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__violations.length") >= 2
    assert page.dialogs == []


def test_search_navigation_and_diagrams_work_under_the_csp(
        page: Any, site: tuple[str, Path]) -> None:
    url, _ = site
    page.goto(url + "overview/")
    # Mermaid draws every flow (inside Material's shadow root).
    page.wait_for_function("""() => [...document.querySelectorAll(".mermaid")].every(
        d => d.shadowRoot && d.shadowRoot.querySelector("svg g"))""", timeout=20000)
    # Navigation: the next-page link of the footer.
    page.locator("a.md-footer__link--next").click()
    page.wait_for_load_state("load")
    assert page.url != url + "overview/"
    # Search: the box asks the Pagefind index and lists what it found (the excerpts are
    # built as text nodes, so hostile policy text shows as text).
    box = page.locator("#pb-search-input")
    box.click()
    box.press_sequentially("下划线", delay=20)
    page.locator(".pb-search__result").first.wait_for(timeout=30_000)
    assert page.locator(".pb-search__result").count()
    assert page.evaluate("window.__violations") == []
    assert page.errors == []
    assert not [m for m in page.console if "Content Security Policy" in m]
