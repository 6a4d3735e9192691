"""The handbook in a real browser: headless Debian Chromium driven by Playwright,
the built site served from 127.0.0.1. Nothing may be fetched from anywhere else.

Screenshots are saved under tests/artifacts/site/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import ROOT, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests/artifacts/site"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Material draws Mermaid into a *closed* shadow root. To click a node the way a user
# does, the test opens shadow roots (in this browser only; the site is unchanged).
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, {...init, mode: "open"});
};
"""


@pytest.fixture(scope="module")
def site_url(pack_site: Path) -> Iterator[str]:
    """The shipped pack's handbook (conftest: built once a session), served."""
    with serve(pack_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make setup installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page that records every request it makes and every script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(OPEN_SHADOW_ROOTS)
    pg = context.new_page()
    pg.requests = []
    pg.errors = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    hosts = {urlparse(u).hostname for u in pg.requests if not u.startswith(("data:", "blob:"))}
    assert hosts <= {"127.0.0.1"}, f"requests left localhost: {hosts}"
    assert pg.errors == []
    context.close()


def shot(page: Any, name: str, **kwargs: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), **kwargs)


def test_home_page_loads_with_everything_local(page: Any, site_url: str) -> None:
    page.goto(site_url)
    assert page.locator("h1").first.inner_text().startswith("财富管理服务开户")
    assert "1.0.0" in page.locator(".pb-facts").inner_text()
    shot(page, "home")
    assert any(u.endswith("mermaid.min.js") for u in page.requests)


def test_overview_draws_the_flows_and_a_click_opens_the_step(page: Any, site_url: str) -> None:
    page.goto(site_url + "overview/")
    diagrams = page.locator("div.mermaid")
    diagrams.first.locator("svg").wait_for(timeout=20_000)
    from generator.pipeline import analyse  # the overview draws every flow of the pack
    flows = analyse(ROOT / "policies" / "wealth-account-opening").model.flows
    assert diagrams.count() == len(flows)
    for i in range(3):
        box = diagrams.nth(i).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 300
    shot(page, "overview")
    diagrams.first.screenshot(path=str(ARTIFACTS / "overview-diagram.png"),
                              style=".md-header, .md-tabs { visibility: hidden; }")
    node = diagrams.first.locator("a", has_text="了解客户信息").first
    node.click()
    page.wait_for_url("**/steps/kyc_application/")
    assert page.locator("h1").first.inner_text().startswith("了解客户信息")
    shot(page, "step-after-diagram-click")


def test_step_page_shows_the_script_rules_and_checklist(page: Any, site_url: str) -> None:
    page.goto(site_url + "steps/present_service/")
    body = page.locator("article").inner_text()
    assert "执行的规则" in body and "R-STAFF" in body
    shot(page, "step", full_page=True)


@pytest.mark.parametrize("path,name", [
    ("rules/", "rules"),
    ("questionnaires/risk_assessment/", "questionnaire"),
    ("decisions/eligibility/", "decision-table"),
    ("review/", "review"),
])
def test_reference_pages_render(page: Any, site_url: str, path: str, name: str) -> None:
    page.goto(site_url + path)
    assert page.locator("article table").count() >= 1
    shot(page, name)


def test_a_glossary_term_shows_its_tooltip(page: Any, site_url: str) -> None:
    page.goto(site_url + "steps/kyc_application/")
    term = page.locator("article abbr[title]").first
    term.scroll_into_view_if_needed()
    title = term.get_attribute("title")
    term.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
    tooltip.wait_for(timeout=5_000)
    assert tooltip.inner_text().strip() == title
    shot(page, "glossary-tooltip")


# The search box: tests/test_browser_search.py.
