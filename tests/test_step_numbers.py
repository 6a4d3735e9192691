"""One numbering of the steps in every output: the web diagram and the flow page's step
table, the step pages, the printed flow sheet and the checklists all print
:meth:`generator.model.Flow.numbers`; and the legend under the diagrams names every
shape the diagrams draw."""

from __future__ import annotations

import functools
import re

import pytest

from generator.library import analyse_library
from generator.model import Model
from generator.printables.build import plan
from generator.printables.views import ChecklistDoc, FlowSheetDoc
from generator.site.library import SitePack, render_library
from generator.site.mermaid import LEGEND, SHAPE_NAMES
from tests.conftest import LIBRARY


@functools.cache
def library() -> tuple[tuple[str, Model], ...]:
    return tuple((p.prefix, p.analysis.model)
                 for p in analyse_library(LIBRARY, checks=False).packs)


@functools.cache
def pages() -> dict[str, str]:
    packs = [SitePack(prefix, model) for prefix, model in library()]
    return {p.src: p.markdown for p in render_library(packs)}


def _flows() -> list[tuple[str, Model, str]]:
    return [(prefix, model, flow_id) for prefix, model in library() for flow_id in model.flows]


NODE = re.compile(r'^\s+n\d+[\[({]+"(?:(\d+)\. )?(.*?)(?:<br/>|")', re.M)
TABLE_ROW = re.compile(r"^\| (\d+|—) \| \[(.*?)\]\(", re.M)


def _unmd(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize(("prefix", "model", "flow_id"), _flows(),
                         ids=[f"{p}{f}" for p, _m, f in _flows()])
def test_every_output_numbers_the_steps_alike(prefix: str, model: Model, flow_id: str) -> None:
    flow = model.flows[flow_id]
    expected = {model.text(s.title): flow.numbers().get(s.id) for s in flow.steps}
    assert sorted(n for n in expected.values() if n) == list(range(1, len(flow.numbers()) + 1))
    page = pages()[f"{prefix}flows/{flow_id}.md"]

    diagram = page.split("```mermaid", 1)[1].split("```", 1)[0]
    drawn = {m.group(2): int(m.group(1)) if m.group(1) else None for m in NODE.finditer(diagram)}
    assert drawn == expected  # the web diagram shows the numbers

    table = page.split("{#steps}", 1)[1].split("\n## ", 1)[0]
    listed = {_unmd(m.group(2)): None if m.group(1) == "—" else int(m.group(1))
              for m in TABLE_ROW.finditer(table)}
    assert listed == expected

    for step in flow.steps:
        if step.type in ("task", "decision"):
            page = pages()[f"{prefix}steps/{step.id}.md"]
            facts = page.split('<div class="pb-facts-table"', 1)[1].split("</div>", 1)[0]
            assert f"| {expected[model.text(step.title)]} |" in facts, step.id

    printed = {p.id: p.doc for p in plan(model, section=prefix)}
    sheet = printed[flow_id]
    assert isinstance(sheet, FlowSheetDoc)
    assert {r.title: r.number for r in sheet.steps} == {
        t: n for t, n in expected.items() if n}

    groups = [(g.title, g.number) for doc in printed.values() if isinstance(doc, ChecklistDoc)
              for f in doc.flows if f.title == model.text(flow.title) for g in f.steps]
    assert groups, "no checklist prints this flow's steps"
    for title, number in groups:
        assert number == expected[title], title


def test_the_legend_names_every_shape_the_diagrams_draw() -> None:
    shapes = {"圆角框": r'\(\["', "方框": r'\d+\["', "六边形": r'\{\{"', "双边框": r'\[\["'}
    legend = dict(LEGEND)
    assert set(SHAPE_NAMES.values()) <= set(legend)
    overview = pages()["wealth-account-opening/overview.md"]
    for name in legend:
        assert f"| {name} | {legend[name]} |" in overview
    drawn: set[str] = set()
    for page in pages().values():
        for diagram in re.findall(r"```mermaid\n(.*?)```", page, re.S):
            drawn |= {name for name, mark in shapes.items() if re.search(mark, diagram)}
            if "-.->" in diagram:
                drawn.add("虚线")
    assert drawn == set(legend)  # every shape drawn is explained, and no other
