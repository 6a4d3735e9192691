"""axe-core over many pages of a served site in Debian Chromium, several tabs at once.

Used by ``tests/test_browser_a11y.py``. Each tab has a context of its own (its own
renderer process), so on two cores one tab lays out a page while another runs axe. A
page is checked in one call into the page after it loaded: wait for its diagrams (only
where it has any), then run axe; the page reports how long each part took. What the
check finds is checked once more after a pause, so that a passing state of the page (a
tooltip over a link, a script still laying out the sidebar) is not reported; a real
violation stays.

The async API runs in a thread of its own: the sync API's fixtures of the same module
may hold an event loop in the test's thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORT = {"width": 1280, "height": 900}
DIAGRAM_TIMEOUT_MS = 30_000

# Material turns each <pre class="mermaid"> into a drawn <div class="mermaid">.
DIAGRAMS_DRAWN = """() => document.querySelectorAll("pre.mermaid").length === 0
  && [...document.querySelectorAll("div.mermaid")].every(
       d => d.getBoundingClientRect().height > 50)"""

# resultTypes: the passes and the rest are listed without their nodes (the rules run all
# the same). preload: axe loads the media before its rules run (no-autoplay-audio waits
# for them) and, by default, the page's style sheets parsed again into a CSSOM of its
# own, which only css-orientation-lock reads: an experimental rule, which a run by tags
# leaves out. So the CSSOM is not loaded (6% of axe's time a page).
RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                     resultTypes: ["violations"],
                                     preload: {assets: ["media"], timeout: 10000}});
  return {
    version: r.testEngine.version,
    rules: r.passes.length + r.incomplete.length + r.violations.length
           + r.inapplicable.length,
    found: r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
      .flatMap(v => v.nodes.map(n => ({rule: v.id, impact: v.impact,
                                       target: n.target.join(" "),
                                       why: n.failureSummary.split("\\n").slice(1, 2).join("")})))
  };
}"""

CHECK = """async ([tags, timeout]) => {
  const drawn = @DRAWN@;
  const started = performance.now();
  const diagrams = document.querySelectorAll(".mermaid").length;
  while (diagrams && !drawn()) {
    if (performance.now() - started > timeout)
      throw new Error(`${diagrams} diagram(s) not drawn in ${timeout} ms`);
    await new Promise(next => requestAnimationFrame(next));
  }
  const ready = performance.now();
  const result = await (@RUN_AXE@)(tags);
  return {...result, diagrams, wait: (ready - started) / 1000,
          axe: (performance.now() - ready) / 1000,
          marks: [...document.querySelectorAll("[data-pb-tool], .pb-selftest-data, figure")]
                   .map(e => e.dataset.pbTool ? "tool" : e.tagName === "FIGURE" ? "figure"
                                                                        : "selftest")};
}""".replace("@DRAWN@", DIAGRAMS_DRAWN).replace("@RUN_AXE@", RUN_AXE)


@dataclass
class Checked:
    """One page, as axe found it, and where the time went (seconds)."""

    path: str
    navigation: float
    wait: float
    axe: float
    again: float
    diagrams: int
    rules: int
    found: list[dict[str, str]]
    marks: set[str] = field(default_factory=set)
    """What the page held when axe ran: ``tool``, ``selftest``, ``figure``."""


@dataclass
class Run:
    pages: list[Checked]
    seconds: float
    version: str
    canary: list[dict[str, str]]
    """What axe found on the last page checked after an unlabelled box was added to it."""


async def _check_all(url: str, paths: Sequence[str], axe: Path, tabs: int) -> Run:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        todo = iter(paths)  # shared by the tabs: each takes the next page when free
        pages: list[Checked] = []
        versions: set[str] = set()

        async def tab_loop() -> Any:
            context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN",
                                                reduced_motion="reduce")
            await context.add_init_script(path=str(axe))
            tab = await context.new_page()
            for path in todo:
                started = time.perf_counter()
                await tab.goto(url + path)
                navigation = time.perf_counter() - started
                r = await tab.evaluate(CHECK, [TAGS, DIAGRAM_TIMEOUT_MS])
                again = 0.0
                if r["found"]:
                    started = time.perf_counter()
                    await tab.wait_for_timeout(1_000)
                    r.update(await tab.evaluate(RUN_AXE, TAGS))
                    again = time.perf_counter() - started
                versions.add(r["version"])
                pages.append(Checked(path, navigation, r["wait"], r["axe"], again,
                                     r["diagrams"], r["rules"], r["found"], set(r["marks"])))
            return tab

        started = time.perf_counter()
        opened = await asyncio.gather(*(tab_loop() for _ in range(tabs)))
        seconds = time.perf_counter() - started
        # The harness can fail: an unlabelled check box on the last page is found.
        tab = opened[0]
        await tab.evaluate("""() => (document.querySelector("article") || document.body)
            .insertAdjacentHTML("beforeend", '<input type="checkbox" id="pb-canary">')""")
        canary = (await tab.evaluate(RUN_AXE, TAGS))["found"]
        await browser.close()
    order = {path: n for n, path in enumerate(paths)}
    pages.sort(key=lambda c: order[c.path])
    return Run(pages, seconds, ", ".join(sorted(versions)), canary)


def check_pages(url: str, paths: Sequence[str], axe: Path, tabs: int = 2) -> Run:
    """axe-core (``TAGS``) over every page of ``paths`` under ``url``, ``tabs`` at once."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _check_all(url, paths, axe, tabs)).result()


def breakdown(run: Run) -> str:
    """Where the time went: wall time, and per page (summed over the tabs)."""
    pages = run.pages
    n = len(pages) or 1
    drawn = [c for c in pages if c.diagrams]
    total = sum(c.navigation + c.wait + c.axe + c.again for c in pages)
    return (f"{len(pages)} pages in {run.seconds:.1f} s ({run.seconds / n:.2f} s a page); "
            f"tab time {total:.1f} s: navigation {sum(c.navigation for c in pages):.1f} s "
            f"({sum(c.navigation for c in pages) / n:.3f} a page), diagram wait "
            f"{sum(c.wait for c in drawn):.1f} s over {len(drawn)} pages with diagrams "
            f"({sum(c.wait for c in drawn) / (len(drawn) or 1):.3f} each), axe "
            f"{sum(c.axe for c in pages):.1f} s ({sum(c.axe for c in pages) / n:.3f} a page, "
            f"slowest {max((c.axe for c in pages), default=0):.2f}), re-checks "
            f"{sum(c.again for c in pages):.1f} s on {sum(bool(c.again) for c in pages)} pages")
