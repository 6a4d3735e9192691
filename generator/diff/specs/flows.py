"""Flows: steps added, removed, moved (what can come before them changed),
re-assigned, and decision outcomes sent elsewhere."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import replace

from generator.diff.changes import Change
from generator.diff.engine import At, Context, Spec, Text, aspects, listed, pairs, presence
from generator.diff.flowgraph import contracted_ancestors, contracted_predecessors
from generator.diff.specs.provenance import provenance_at
from generator.diff.specs.steps import STEP_FIELDS, compare_step, step_title
from generator.model import Flow, Model, Step

_FLOW = (Text("名称", lambda f: f.title), Text("概述", lambda f: f.summary))
_LOOP_REASON = "声明允许的返回路径(流程本身的变化另行列出)"


def compare(ctx: Context) -> Iterator[Change]:
    for fid, a, b in pairs(ctx.old.flows, ctx.new.flows):
        if a is None or b is None:
            el = b or a
            yield presence(At(f"flow:{fid}", "flow", fid, el.title, el.loc,
                              steps=tuple(s.id for s in el.steps)), a,
                           material=True, reason="整个流程的义务")
            continue
        yield from _compare_flow(ctx, a, b)


def _predecessors(flow: Flow) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s in flow.steps:
        for target, _ in s.successors():
            out.setdefault(target, set()).add(s.id)
    return out


def _compare_flow(ctx: Context, a: Flow, b: Flow) -> Iterator[Change]:
    g, fid = f"flow:{b.id}", b.id
    flow = At(g, "flow", fid, b.title, b.loc)
    yield from aspects(ctx, flow, a, b, _FLOW)
    if set(a.actors) != set(b.actors):
        names = {r.id: r.name for m in (ctx.old, ctx.new) for r in m.roles.values()}
        yield flow.change("changed", material=True, reason="参与流程的机构或岗位改变",
                          aspect="参与方", old=listed(names.get(x, x) for x in a.actors),
                          new=listed(names.get(x, x) for x in b.actors))
    old_ids = {s.id for s in a.steps}
    new_ids = {s.id for s in b.steps}
    common = old_ids & new_ids
    old_preds = contracted_predecessors(a, common)
    new_preds = contracted_predecessors(b, common)
    # A step moved when what can come before it changed, not merely its direct
    # predecessor: after swapping A and B in P → A → B → N, A and B moved, N did not.
    old_before = contracted_ancestors(a, common)
    new_before = contracted_ancestors(b, common)
    raw_old_preds, raw_new_preds = _predecessors(a), _predecessors(b)

    def at(step: Step) -> At:
        return At(g, "step", step.id, step.title, step.loc, (("step", step.id), ("flow", fid)),
                  (step.id,))

    for step in b.steps:
        if step.id not in old_ids:
            after = sorted(raw_new_preds.get(step.id, ()))
            where = ("位于 " + "、".join(step_title(b, p) for p in after) + " 之后") if after \
                else "流程起点"
            yield presence(at(step), None, material=True, reason="新增了必经或可能经过的环节",
                           shown=where + _actor_note(ctx.new, step))
    for step in a.steps:
        if step.id not in new_ids:
            before = sorted(raw_old_preds.get(step.id, ()))
            where = ("原位于 " + "、".join(step_title(a, p) for p in before) + " 之后") \
                if before else "原为流程起点"
            yield presence(at(step), step, material=True, reason="删去了一个环节",
                           shown=where + _actor_note(ctx.old, step))
    for step in b.steps:
        old_step = a.step(step.id)
        if old_step is None:
            continue
        # Moved = it no longer follows a step it followed (a new extra way in is
        # reported on the transition that adds it).
        if (old_preds.get(step.id, set()) - new_preds.get(step.id, set())
                and old_before.get(step.id) != new_before.get(step.id)):
            yield at(step).change(
                "moved", material=True, reason="环节的先后顺序改变", aspect="前序环节",
                old=_after(a, old_preds.get(step.id, set()), old_step),
                new=_after(b, new_preds.get(step.id, set()), step))
        yield from compare_step(ctx, at(step), a, b, old_step, step, common)
    yield from _order(flow, a, b, common)
    yield from _loops(flow, a, b)


def _order(flow: At, a: Flow, b: Flow, common: set[str]) -> Iterator[Change]:
    # The order of the list is the numbering of the printed flow sheet and the site's
    # navigation; it does not change what follows what.
    old_order = [s.id for s in a.steps if s.id in common]
    new_order = [s.id for s in b.steps if s.id in common]
    if old_order == new_order:
        return
    matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
    kept = {sid for block in matcher.get_matching_blocks()
            for sid in old_order[block.a:block.a + block.size]}
    shifted = [sid for sid in new_order if sid not in kept]
    yield replace(flow, steps=tuple(shifted)).change(
        "changed", material=False, reason="只改变打印和网页上的编号与排列,不改变流程走向",
        aspect="环节排列", new="排列位置改变:" + "、".join(step_title(b, s) for s in shifted))


def _loops(flow: At, a: Flow, b: Flow) -> Iterator[Change]:
    old_loops = {(lp.from_step, lp.to_step) for lp in a.loops}
    new_loops = {(lp.from_step, lp.to_step) for lp in b.loops}
    els = (("flow", flow.id),)
    for frm, to in sorted(new_loops - old_loops):
        yield At(flow.group, "loop", f"{frm}->{to}",
                 f"{step_title(b, frm)} → {step_title(b, to)}", b.loc, els).change(
            "added", material=False, reason=_LOOP_REASON)
    for frm, to in sorted(old_loops - new_loops):
        yield At(flow.group, "loop", f"{frm}->{to}",
                 f"{step_title(a, frm)} → {step_title(a, to)}", b.loc, els).change(
            "removed", material=False, reason=_LOOP_REASON)


def _after(flow: Flow, preds: set[str], step: Step) -> str:
    if preds:
        return "在 " + "、".join(step_title(flow, p) for p in sorted(preds)) + " 之后"
    return "流程起点" if step.type == "start" else "没有前序环节(无法到达)"


def _actor_note(model: Model, step: Step) -> str:
    if not step.actor:
        return ""
    role = model.roles.get(step.actor)
    return f",由{role.name if role else step.actor}办理"


SPEC = Spec(
    "flow", compare, group="flow:{id}", element="flow", items={"steps": "step"},
    fields=("title", "summary", "actors", "steps@order", "loops[].from", "loops[].to",
            *STEP_FIELDS, *provenance_at("", "steps[]")),
)
