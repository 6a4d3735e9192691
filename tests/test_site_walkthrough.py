"""Case walkthroughs (案例演练): every flow case is a training page with the path the
test proves, highlighted on the flow's diagram, and each decision explained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLE_PACK, POLICIES

from generator.checks.cases import results
from generator.pipeline import analyse
from generator.site.nav import navigation
from generator.site.pages import render_site


@pytest.mark.parametrize("pack", [POLICIES, EXAMPLE_PACK], ids=["wealth", "cash"])
def test_a_page_per_flow_case_with_the_checked_path(pack: Path) -> None:
    model = analyse(pack).model
    pages = {p.src: p for p in render_site(model)}
    flow_cases = [c for c in model.cases.values() if c.kind == "flow"]
    assert flow_cases
    assert {f"cases/{c.id}.md" for c in flow_cases} == {s for s in pages if
                                                        s.startswith("cases/")}
    for case in flow_cases:
        text = pages[f"cases/{case.id}.md"].markdown
        visited = results(model)[case.id].visited
        ids = {s.id: f"n{i}" for i, s in enumerate(model.flows[case.target].steps)}
        highlighted = re.findall(r"class (n\d+) pbVisited", text)
        assert highlighted == [ids[s] for s in dict.fromkeys(visited)], case.id
        assert "linkStyle" in text
        # The walked steps' list (the diagram's own text alternative, in its caption,
        # lists every step of the flow and marks the walked ones).
        walked = text.partition("</figure>")[2]
        listed = re.findall(r"^1\. \[", walked, flags=re.M)
        assert len(listed) == len(visited), case.id
        caption = text.partition("<figcaption")[2].partition("</figcaption>")[0]
        assert caption.count("（本案例经过）") == len(set(visited)), case.id
        decisions = [s for s in visited if model.steps[s].type == "decision"]
        assert len(re.findall(r"^### \d+\. ", text, flags=re.M)) == len(decisions)
        assert ("## 情形" in text and "出处" in text) or "起草" in text


def test_table_decisions_are_explained_by_their_row() -> None:
    model = analyse(POLICIES).model
    text = {p.src: p for p in render_site(model)}["cases/exception_granted.md"].markdown
    assert "这个结果对应" in text
    assert "客户在本行的金融资产合计 &lt; 100万元；一级分行审批情况 属于：未报批" in text
    assert "第二部分 四(二)「严格执行客户准入资格审定」" in text


def test_nav_has_the_walkthroughs() -> None:
    model = analyse(POLICIES).model
    pages = render_site(model)
    nav = navigation(model, pages, [])
    (group,) = [item["案例演练"] for item in nav if isinstance(item, dict) and "案例演练" in item]
    assert len(group) == sum(1 for c in model.cases.values() if c.kind == "flow")
