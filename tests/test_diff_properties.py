"""Properties of the model comparison, over many random edits of a flow: removed
steps are reported exactly, and removing a step (its neighbours joined up, as an
editor would) never makes another step look moved or a decision look re-targeted."""

from __future__ import annotations

import copy
from dataclasses import replace
from functools import cache

from conftest import POLICIES
from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff import PACK

from generator.diff import compare
from generator.model import Flow, Model, Step
from generator.pipeline import analyse


@cache
def model(which: str) -> Model:
    analysis = analyse(PACK if which == "example" else POLICIES, checks=False)
    assert analysis.ok
    return analysis.model


def with_flow(base: Model, flow: Flow) -> Model:
    new = copy.copy(base)
    new.flows = {**base.flows, flow.id: flow}
    new.steps = {s.id: s for f in new.flows.values() for s in f.steps}
    return new


def without(flow: Flow, removed: set[str]) -> Flow:
    """The flow without the given task steps, each edge into one redirected to its next."""
    by_id = {s.id: s for s in flow.steps}

    def through(target: str) -> str:
        seen = set()
        while target in removed and target not in seen:
            seen.add(target)
            target = by_id[target].next
        return target

    steps: list[Step] = []
    for s in flow.steps:
        if s.id in removed:
            continue
        if s.type == "decision":
            s = replace(s, outcomes=tuple(replace(o, next=through(o.next)) for o in s.outcomes))
        elif s.next:
            s = replace(s, next=through(s.next))
        steps.append(s)
    return replace(flow, steps=tuple(steps))


def tasks(m: Model) -> list[tuple[str, str]]:
    return [(f.id, s.id) for f in m.flows.values() for s in f.steps if s.type == "task"]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), which=st.sampled_from(["example", "shipped"]))
def test_removed_steps_are_reported_and_nothing_else_moves(data: st.DataObject,
                                                           which: str) -> None:
    base = model(which)
    flow_id = data.draw(st.sampled_from(sorted({f for f, _ in tasks(base)})))
    candidates = sorted(s for f, s in tasks(base) if f == flow_id)
    removed = data.draw(st.sets(st.sampled_from(candidates), min_size=1))
    new = with_flow(base, without(base.flows[flow_id], removed))
    changes = compare(base, new)
    assert {c.id for c in changes if c.kind == "step" and c.action == "removed"
            and not c.aspect} == removed
    assert not [c for c in changes if c.action in ("moved", "retargeted")]
    assert all(c.material for c in changes if c.kind == "step" and c.action == "removed")
    # The other way round, the same steps are added.
    back = compare(new, base)
    assert {c.id for c in back if c.kind == "step" and c.action == "added"
            and not c.aspect} == removed


@settings(max_examples=60, deadline=None)
@given(data=st.data(), which=st.sampled_from(["example", "shipped"]))
def test_reassignments_are_reported_exactly(data: st.DataObject, which: str) -> None:
    base = model(which)
    flow_id = data.draw(st.sampled_from(sorted({f for f, _ in tasks(base)})))
    flow = base.flows[flow_id]
    roles = sorted(base.roles)
    actors = data.draw(st.dictionaries(
        st.sampled_from([s.id for s in flow.steps if s.actor]), st.sampled_from(roles)))
    new_flow = replace(flow, steps=tuple(replace(s, actor=actors.get(s.id, s.actor))
                                         for s in flow.steps))
    changes = compare(base, with_flow(base, new_flow))
    expected = {sid for sid, role in actors.items() if base.steps[sid].actor != role}
    assert {c.id for c in changes if c.kind == "step" and c.action == "reassigned"} == expected
    assert all(c.material for c in changes)
    assert {c.id for c in changes if c.kind == "step"} == expected


def test_a_pack_compared_with_itself_has_no_changes() -> None:
    for which in ("example", "shipped"):
        assert compare(model(which), model(which)) == []
