"""The handbook as everyone uses it, in headless Debian Chromium: axe-core's WCAG 2 A and
AA rules over every page of the built site and over the search box's results, a flow page
and a step page printed to A4, and the flow diagrams on a 390 px phone.

The site is the session's build of the whole library (``library_site``, conftest), as
``policybook build`` builds it. The page list is read from the build: every HTML file it
wrote, each checked whole, two tabs at once (``tests/axe_run.py``). The run's time and
where it went are printed (``pytest -s``) and written with the offenders to
tests/artifacts/a11y/axe.txt; screenshots and the printed PDFs go to tests/artifacts/a11y/.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.addresses import page_url
from generator.library import analyse_library
from generator.site.library import SitePack, render_library
from tests.axe_run import CHROMIUM, DIAGRAMS_DRAWN, FLAGS, RUN_AXE, TAGS, breakdown, check_pages
from tests.conftest import LIBRARY, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "vendor/axe-core/axe.min.js"
ARTIFACTS = ROOT / "tests/artifacts/a11y"
A4_POINTS = (595, 842)
TABS = 2
"""Pages checked at once (measured on two cores: see tests/axe_run.py)."""


@pytest.fixture(scope="module")
def site(library_site: Path) -> Path:
    return library_site


@pytest.fixture(scope="module")
def site_url(library_url: str) -> str:
    return library_url


def _can_run() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make setup installs it)")
    if not AXE.is_file():
        pytest.skip("axe-core is not vendored (tools/setup.sh vendor)")
    pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _can_run()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


def built_pages(site: Path) -> list[str]:
    """Every page the build wrote, as a URL path (``flows/x/`` for ``flows/x/index.html``)."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        path = html.relative_to(site).as_posix()
        pages.append(path.removesuffix("index.html"))
    return pages


def test_the_page_list_is_the_whole_build(site: Path) -> None:
    pages = set(built_pages(site))
    library = analyse_library(LIBRARY)
    packs = [SitePack(p.prefix, p.analysis.model) for p in library]
    generated = {page_url(p.src, directory_urls=True) for p in render_library(packs)}
    assert len(generated) > 100
    assert generated <= pages, sorted(generated - pages)[:5]
    assert "404.html" in pages and "" in pages


def _staff_tools() -> dict[str, set[str]]:
    """The pages issue 14 names, from the model: each flow case's walkthrough (案例演练),
    each decision table's and questionnaire's tool, each pack's self-test (自测)."""
    wanted: dict[str, set[str]] = {"figure": set(), "tool": set(), "selftest": set()}
    for pack in analyse_library(LIBRARY):
        model = pack.analysis.model
        wanted["figure"] |= {f"{pack.prefix}cases/{c.id}/" for c in model.cases.values()
                             if c.kind == "flow" and c.target in model.flows}
        wanted["tool"] |= {f"{pack.prefix}decisions/{t}/" for t in model.decision_tables}
        wanted["tool"] |= {f"{pack.prefix}questionnaires/{q}/" for q in model.questionnaires}
        wanted["selftest"].add(f"{pack.prefix}selftest/")
    return wanted


def test_axe_finds_nothing_serious_on_any_page(site: Path, site_url: str) -> None:
    _can_run()
    pages = built_pages(site)
    run = check_pages(site_url, pages, AXE, tabs=TABS)
    offenders = [f"{c.path or '/'}  {v['rule']} ({v['impact']})  {v['target']}  {v['why']}"
                 for c in run.pages for v in c.found]
    summary = (f"axe-core {run.version} ({', '.join(TAGS)}), {TABS} tabs: "
               f"{breakdown(run)}; {len(offenders)} serious or critical")
    print("\n" + summary)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe.txt").write_text(summary + "\n" + "\n".join(offenders) + "\n",
                                       encoding="utf-8")
    assert sorted(c.path for c in run.pages) == sorted(pages), "a page was not checked"
    assert any(v["rule"] == "label" and "pb-canary" in v["target"] for v in run.canary)
    assert min(c.rules for c in run.pages) > 20, "axe ran too few rules on some page"
    # The walkthroughs, the tools and the self-test were checked, with what makes them.
    checked = {c.path: c for c in run.pages}
    for mark, wanted in _staff_tools().items():
        assert wanted, mark
        missing = sorted(p for p in wanted if mark not in checked[p].marks)
        assert not missing, f"checked without their {mark}: {missing}"
        assert not [c.path for p in wanted if (c := checked[p]).found]
    assert not offenders, summary + ":\n" + "\n".join(offenders)


def test_axe_finds_nothing_serious_in_the_search_results(browser: Any, site_url: str) -> None:
    """The results panel (only drawn once a query is typed: no page check sees it) and a
    result's page with the query marked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  reduced_motion="reduce")
    context.add_init_script(path=str(AXE))
    tab = context.new_page()
    tab.goto(site_url + "wealth-account-opening/")
    box = tab.locator("#pb-search-input")
    box.click()
    box.press_sequentially("100万元", delay=20)
    tab.wait_for_function("() => document.querySelector('.pb-search__results')"
                          ".dataset.query === '100万元'", timeout=30_000)
    assert tab.locator(".pb-search__panel").is_visible()
    for part in ("title", "section", "excerpt"):
        assert tab.locator(f".pb-search__result .pb-search__{part}").count(), part
    assert tab.locator(".pb-search__excerpt mark").count()
    found = tab.evaluate(RUN_AXE, TAGS)["found"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "search-results.png"))
    tab.locator(".pb-search__result a").first.click()
    tab.wait_for_selector("mark.pb-hit")
    found += tab.evaluate(RUN_AXE, TAGS)["found"]
    context.close()
    assert not found, found


# --- printing from the browser ------------------------------------------------------


def _print(browser: Any, url: str, name: str) -> tuple[Path, list[str], Any]:
    """The page printed as a user prints it (A4 from its @page rule); its PDF, the text
    of every page, and the open tab (in print media)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.goto(url)
    if tab.locator(".mermaid").count():
        tab.wait_for_function(DIAGRAMS_DRAWN, timeout=30_000)
    tab.emulate_media(media="print")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"print-{name}.pdf"
    tab.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"print-{name}")],
                   check=True)
    from pypdf import PdfReader
    reader = PdfReader(pdf)
    for p in reader.pages:
        size = (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        assert size == A4_POINTS, f"{name}: page size {size} is not A4"
    texts = []
    for n in range(1, len(reader.pages) + 1):
        out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-enc", "UTF-8",
                              str(pdf), "-"], capture_output=True, text=True, check=True)
        texts.append(out.stdout)
    return pdf, texts, tab


def test_a_flow_page_prints_on_a4_with_its_diagram_whole(browser: Any, site_url: str) -> None:
    pack = "wealth-account-opening/"
    pdf, texts, tab = _print(browser, site_url + pack + "flows/front_desk/", "flow")
    blank = [n + 1 for n, t in enumerate(texts) if not t.strip()]
    assert not blank, f"blank pages {blank} in {pdf}"
    # The diagram, its text alternative and the step table: 8 pages for the 43 steps the
    # flow has now (the text alternative is a list since start and end are unnumbered).
    assert 2 <= len(texts) <= 10, len(texts)
    # The pack's edition on the printout; no header, tabs, navigation or footer.
    assert re.search(r"版本 \d+\.\d+\.\d+ · 生效日期 \d{4}-\d{2}-\d{2}", texts[0])
    assert "流程制度手册" not in "".join(texts)  # the site's name, in the header
    assert re.search(r"第\s*1\s*页\s*/\s*共\s*\d+\s*页", texts[0])
    # The diagram fits one page: its host is at most the height the print style gives
    # it (245 mm of the 267 the page has), and large enough to read.
    box = tab.locator("div.mermaid").first.bounding_box()
    assert box is not None
    mm = box["height"] * 25.4 / 96
    assert 150 <= mm <= 246, f"diagram {mm:.0f} mm high in print"
    # Its first and last node (the start and the final end) are on the same page.
    drawn = tab.evaluate("""() => [...document.querySelectorAll("figcaption ul > li > a")]
                              .map(a => a.textContent)""")
    first, last = drawn[0], drawn[-1]
    assert any(first in t and last in t for t in texts), (first, last)
    tab.context.close()


def test_a_step_page_prints_without_a_blank_page(browser: Any, site_url: str) -> None:
    pack = "wealth-account-opening/"
    pdf, texts, tab = _print(browser, site_url + pack + "steps/eligibility_check/", "step")
    assert all(t.strip() for t in texts), f"a blank page in {pdf}"
    assert len(texts) <= 4
    assert "生效日期" in texts[0] and "打印版 PDF" not in "".join(texts)
    tab.context.close()


# --- phones ---------------------------------------------------------------------------


def test_on_a_phone_a_flow_diagram_pans_at_a_legible_size(browser: Any, site: Path,
                                                          site_url: str) -> None:
    flows = [p for p in built_pages(site) if re.search(r"/flows/[^/]+/$", p)]
    assert len(flows) >= 4
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="zh-CN")
    tab = context.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    wide = 0
    for path in flows:
        tab.goto(site_url + path)
        tab.wait_for_function(DIAGRAMS_DRAWN, timeout=30_000)
        state = tab.evaluate("""() => {
          const view = document.querySelector(".pb-diagram-view");
          const host = view.querySelector("div.mermaid");
          return {page: document.documentElement.scrollWidth, screen: innerWidth,
                  view: view.clientWidth, content: view.scrollWidth,
                  overflow: getComputedStyle(view).overflowX, host: host.offsetWidth,
                  focusable: view.tabIndex === 0, label: view.getAttribute("aria-label"),
                  left: view.scrollLeft,
                  natural: parseFloat(host.style.getPropertyValue("--pb-width"))}; }""")
        assert state["page"] <= state["screen"], f"{path}: the page scrolls sideways {state}"
        assert state["overflow"] == "auto" and state["focusable"] and state["label"], state
        # Drawn at 70 % of its natural size at least (labels of about 11 px), not shrunk
        # to the screen; when that is wider than the screen, its view pans, from the middle.
        assert state["natural"] > 100, state
        assert state["host"] >= 0.7 * state["natural"] - 1, f"{path}: diagram shrunk {state}"
        if state["host"] > state["view"]:
            assert state["content"] > state["view"] and state["left"] > 0, state
        wide += state["host"] > state["view"]
        name = path.strip("/").replace("/", "-")
        tab.locator(".pb-diagram-view").first.scroll_into_view_if_needed()
        tab.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"))
        # The text alternative opens under the diagram.
        summary = tab.locator("figure.pb-diagram summary").first
        summary.click()
        steps = tab.locator("figure.pb-diagram .pb-diagram-text ul > li")
        steps.first.wait_for(state="visible")
        assert steps.count() >= 3
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390
    context.close()
    assert wide >= 2, "no flow diagram is wider than a phone: the pan is not tested"


def test_the_print_and_phone_styles_are_the_sites(site: Path) -> None:
    css = (site / "assets/policybook/policybook.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    script = (site / "assets/policybook/diagrams.js").read_text(encoding="utf-8")
    assert "--pb-aspect" in script and "--pb-aspect" in css
    page = (site / "wealth-account-opening/flows/front_desk/index.html").read_text("utf-8")
    assert "assets/policybook/diagrams.js" in page
    assert 'class="pb-edition" data-edition="' in page
