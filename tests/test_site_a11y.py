"""The handbook's accessibility and print helpers, without a browser: task-list check
boxes labelled by their text, every flow diagram with a text alternative generated
from the flow, and the pack's edition on every page for printing.

tests/test_browser_a11y.py runs axe-core, prints and phones in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from generator.library import analyse_library
from generator.site.markup import split_front_matter
from generator.site.pages import render_site
from tests.conftest import EXAMPLE_PACK, POLICIES, ROOT


def _html(text: str) -> str:
    return markdown.markdown(
        text, extensions=["pymdownx.tasklist", "generator.site.tasklabels"],
        extension_configs={"pymdownx.tasklist": {"custom_checkbox": True}})


def test_every_check_box_is_labelled_by_its_item() -> None:
    html = _html("- [ ] 核对 **证件** [清单](x.md)\n- [x] 已签名\n\n- 普通一项\n")
    boxes = re.findall(r'<input type="checkbox" aria-labelledby="([^"]+)"', html)
    assert boxes == ["pb-task-1", "pb-task-2"]
    assert re.search(r'<span class="task-list-text" id="pb-task-1">核对 <strong>证件</strong> '
                     r'<a href="x.md">清单</a></span>', html)
    assert '<span class="task-list-text" id="pb-task-2">已签名</span>' in html
    assert '<input type="checkbox" aria-labelledby="pb-task-2" disabled checked/>' in html
    assert html.count("task-list-text") == 2  # the plain item is left alone


def test_a_nested_list_stays_after_the_label() -> None:
    html = _html("- [ ] 外层\n    - 内层\n")
    assert re.search(r'id="pb-task-1">外层</span>\s*<ul>\s*<li>内层</li>', html)


def test_mkdocs_enables_the_extension() -> None:
    assert "- generator.site.tasklabels" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("pack", [POLICIES, EXAMPLE_PACK], ids=["wealth", "cash"])
def test_every_diagram_has_a_text_alternative_of_its_flow(pack: Path) -> None:
    (analysed,) = analyse_library(pack).packs
    model = analysed.analysis.model
    pages = {p.src: p.markdown for p in render_site(model)}
    for flow in model.flows.values():
        text = pages[f"flows/{flow.id}.md"]
        assert text.count("<figure") == 1 and text.count("```mermaid") == 1
        view = re.search(r'<div class="pb-diagram-view" role="region" tabindex="0" '
                         r'aria-label="([^"]+)"', text)
        assert view is not None and "流程图" in view.group(1)
        caption = text.partition("<figcaption markdown>")[2].partition("</figcaption>")[0]
        # One item per step, numbered as everywhere else (start and end unnumbered).
        items = re.findall(r"^- (.*)$", caption, flags=re.M)
        assert len(items) == len(flow.steps)
        numbers = flow.numbers()
        for item, step in zip(items, flow.steps, strict=True):
            n = numbers.get(step.id)
            title = f"[{step.title}]"
            assert item.startswith(f"{n} {title}" if n is not None else title) \
                or step.title in item, (flow.id, step.id, item)
            for target, outcome in step.successors():
                if outcome is not None:
                    assert outcome.title in item, (flow.id, step.id)
                assert model.steps[target].title in item
                if target in numbers:
                    assert f"{numbers[target]} [" in item, (flow.id, step.id, target)
    overview = pages["overview.md"]
    assert overview.count("<figcaption") == len(model.flows)


def test_every_pack_page_carries_its_edition_for_print() -> None:
    (analysed,) = analyse_library(POLICIES).packs
    model = analysed.analysis.model
    meta = model.meta
    assert meta is not None
    for page in render_site(model):
        marked = "pb-edition" in page.markdown
        # The library's shared pages (language and check reference) belong to no pack.
        shared = page.src.startswith("language/") or page.src == "checks.md"
        assert marked == (not shared), page.src
        if marked:
            # Under the title, after the front matter (which must stay first: the
            # engines read a page's metadata only at its very start).
            front, body = split_front_matter(page.markdown)
            assert front or not page.markdown.startswith("---"), page.src
            line = body.split("\n")[2]
            assert line.startswith('<div class="pb-edition" data-edition="'), page.src
            assert meta.version.replace(".", "&#46;") in line
            assert meta.effective_date.isoformat().replace("-", "&#45;") in line
