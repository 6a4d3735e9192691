"""The flow diagram of the printed flow sheets: a layered layout drawn as static SVG."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import POLICIES

from generator.model import Flow, Loc, Loop, Model, Outcome, Provenance, Step, StepType
from generator.pipeline import analyse
from generator.printables.flowchart import Diagram, Frame, Node, layout, wrap

LOC = Loc("flows/test.yaml", 1, 1, "")
PROV = Provenance("drafted")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def model() -> Model:
    return analyse(POLICIES, checks=False).model


def step(id: str, type: StepType = "task", next: str = "",
         outcomes: tuple[str, ...] = ()) -> Step:
    return Step(id, "test", type, f"环节{id}", PROV, LOC, actor="wealth_manager", next=next,
                outcomes=tuple(Outcome(f"o{k}", f"结果{k}", target, LOC)
                               for k, target in enumerate(outcomes)))


def flow(*steps: Step, loops: tuple[Loop, ...] = ()) -> Flow:
    return Flow("test", "测试流程", "", 1, ("wealth_manager",), "", steps, loops, PROV, LOC)


def draw(f: Flow, frame: Frame | None = None) -> Diagram:
    numbers = {s.id: k + 1 for k, s in enumerate(f.steps)}
    return layout(f, lambda r: "财富经理", lambda s: s, numbers, frame)


def boxes(nodes: dict[str, Node]) -> list[tuple[str, float, float, float, float]]:
    return [(n.id, n.x - n.w / 2, n.y, n.x + n.w / 2, n.y + n.h)
            for n in nodes.values() if not n.dummy]


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_every_step_sits_below_all_its_predecessors(model: Model) -> None:
    for f in model.flows.values():
        graph = draw(f).graph
        for e in graph.edges:
            if not e.back:
                assert graph.nodes[e.dst].layer > graph.nodes[e.src].layer, (f.id, e)
                assert graph.nodes[e.dst].y > graph.nodes[e.src].y, (f.id, e)


def test_no_two_boxes_overlap(model: Model) -> None:
    for f in model.flows.values():
        for (a, ax0, ay0, ax1, ay1), (b, bx0, by0, bx1, by1) in itertools.combinations(
                boxes(draw(f).graph.nodes), 2):
            apart = ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0
            assert apart, (f.id, a, b)


def test_every_step_title_and_outcome_is_drawn(model: Model) -> None:
    for f in model.flows.values():
        drawn = "".join(t for page in draw(f).pages for t in texts(page.svg))
        for s in f.steps:
            assert model.text(s.title).replace(" ", "") in drawn.replace(" ", ""), s.id
            for o in s.outcomes:
                assert o.title.replace(" ", "") in drawn.replace(" ", ""), (s.id, o.id)


def test_decisions_are_diamonds_and_terminals_are_rounded() -> None:
    f = flow(step("s", "start", next="d"), step("d", "decision", outcomes=("a", "e")),
             step("a", next="e"), step("e", "end"))
    svg = ET.fromstring(draw(f).pages[0].svg)
    diamonds = [p for p in svg.iter(f"{SVG}polygon") if len(p.get("points", "").split()) == 4]
    assert len(diamonds) == 1
    rounded = [r for r in svg.iter(f"{SVG}rect") if float(r.get("rx", "0")) > 5]
    assert len(rounded) == 2  # start and end
    arrows = [p for p in svg.iter(f"{SVG}polygon") if len(p.get("points", "").split()) == 3]
    assert len(arrows) == 4  # s→d, d→a, d→e, a→e


def test_a_loop_is_drawn_back_up_dashed_and_the_layout_terminates() -> None:
    f = flow(step("s", "start", next="a"), step("a", next="d"),
             step("d", "decision", outcomes=("a", "e")), step("e", "end"))
    diagram = draw(f)
    back = [e for e in diagram.graph.edges if e.back]
    assert [(e.src, e.dst) for e in back] == [("d", "a")]
    assert "stroke-dasharray" in diagram.pages[0].svg


def test_two_outcomes_to_the_same_step_share_one_arrow_with_both_labels() -> None:
    f = flow(step("s", "start", next="d"), step("d", "decision", outcomes=("e", "e")),
             step("e", "end"))
    graph = draw(f).graph
    edges = [e for e in graph.edges if e.src == "d"]
    assert len(edges) == 1 and edges[0].label == "结果0;结果1"


def test_a_long_flow_is_split_over_pages_with_matching_connectors() -> None:
    chain = [step(f"t{k}", next=f"t{k + 1}") for k in range(30)]
    f = flow(step("s", "start", next="t0"), *chain[:-1],
             step("t29", next="e"), step("e", "end"))
    frame = Frame(first_height=150, height=200)
    diagram = draw(f, frame)
    assert len(diagram.pages) >= 3
    for page in diagram.pages:
        assert page.height_mm <= frame.height + 0.5
        assert page.width_mm <= frame.width + 0.5
    # Each break: the same letter leaves one page (至下页) and enters the next (接上页).
    for upper, lower in itertools.pairwise(diagram.pages):
        out = texts(upper.svg)
        inn = texts(lower.svg)
        leaving = {out[k - 1] for k, t in enumerate(out) if t == "至下页"}
        entering = {inn[k - 1] for k, t in enumerate(inn) if t == "接上页"}
        assert leaving and leaving <= entering
    drawn = "".join(t for page in diagram.pages for t in texts(page.svg))
    assert all(f"环节t{k}" in drawn for k in range(30))


def test_a_short_flow_fits_one_page_at_a_readable_size() -> None:
    f = flow(step("s", "start", next="a"), step("a", next="e"), step("e", "end"))
    diagram = draw(f)
    assert len(diagram.pages) == 1
    assert diagram.scale >= 0.8
    assert re.search(r'width="[\d.]+mm"', diagram.pages[0].svg)


def test_wrap_breaks_chinese_but_not_latin_words() -> None:
    lines = wrap("客户金融资产是否达到 100万元 标准 R-ELIG-EXC", 10, 60)
    assert all(len(line) <= 12 for line in lines)
    assert any("R-ELIG-EXC" in line for line in lines)
    assert "".join(lines).replace(" ", "") == "客户金融资产是否达到100万元标准R-ELIG-EXC"


def test_nothing_is_drawn_outside_the_page_window(model: Model) -> None:
    """Boxes and outcome labels (white-backed rectangles) lie inside the viewBox."""
    for f in model.flows.values():
        for page in draw(f).pages:
            svg = ET.fromstring(page.svg)
            width = float(svg.get("viewBox", "").split()[2])
            for rect in svg.iter(f"{SVG}rect"):
                x, w = float(rect.get("x", "0")), float(rect.get("width", "0"))
                assert x >= 0 and x + w <= width + 0.01, (f.id, rect.attrib)
