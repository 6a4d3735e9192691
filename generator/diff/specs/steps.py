"""One step of a flow, its inputs and outputs, and the outcomes of a decision."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from generator.diff.changes import Change
from generator.diff.engine import (
    NONE,
    At,
    Context,
    Field,
    Text,
    aspects,
    by_id,
    listed,
    match_texts,
    or_none,
    pairs,
    presence,
)
from generator.diff.flowgraph import outcome_targets
from generator.diff.wording import similarity
from generator.model import IO, Flow, Model, Step

STEP_FIELDS = tuple(f"steps[].{name}" for name in (
    "type", "actor", "permission", "stage", "decision_table", "questionnaire", "result",
    "continues_in", "title", "purpose", "question", "actions", "inputs", "outputs", "rules",
    "next", "outcomes[].next", "outcomes[].title",
))
"""What :func:`compare_step` looks at; ``next`` and ``outcomes[].next`` are the
flow's shape (moved steps, re-targeted outcomes)."""


def step_title(flow: Flow | None, step_id: str) -> str:
    step = flow.step(step_id) if flow else None
    return f"“{step.title}”" if step else step_id


def _role(model: Model, rid: str) -> str:
    r = model.roles.get(rid)
    return r.name if r else (rid or NONE)


_REFERENCE = "决策依据或流程结果改变"
_HEAD = (
    Field("类型", lambda s: s.type, True, "环节类型改变"),
    Field("执行岗位", lambda s: s.actor, True, "由谁办理改变", show=_role, action="reassigned"),
)
_BODY = (
    Field("决策表", lambda s: s.decision_table, True, _REFERENCE, show=or_none),
    Field("问卷", lambda s: s.questionnaire, True, _REFERENCE, show=or_none),
    Field("结果", lambda s: s.result, True, _REFERENCE, show=or_none),
    Field("转入流程", lambda s: s.continues_in, True, _REFERENCE, show=or_none),
    Text("名称", lambda s: s.title, judge=True),
    Text("目的", lambda s: s.purpose),
    Text("判断问题", lambda s: s.question, judge=True),
)


def compare_step(ctx: Context, at: At, fa: Flow, fb: Flow, a: Step, b: Step,
                 common: set[str]) -> Iterator[Change]:
    yield from aspects(ctx, at, a, b, _HEAD)
    if a.permission != b.permission:
        titles = {p.id: p.title for m in (ctx.old, ctx.new) for p in m.permissions.values()}
        yield at.change("changed", material=True, reason="办理所需的权限改变",
                        aspect="所需权限", old=titles.get(a.permission, a.permission or NONE),
                        new=titles.get(b.permission, b.permission or NONE))
    if a.stage != b.stage:
        stages = {s.id: s.title for m in (ctx.old, ctx.new) if m.meta for s in m.meta.stages}
        yield at.change("changed", material=True, reason="环节所属的命名环节改变",
                        aspect="命名环节", old=stages.get(a.stage, a.stage or NONE),
                        new=stages.get(b.stage, b.stage or NONE))
    yield from aspects(ctx, at, a, b, _BODY)
    for x, y in match_texts(a.actions, b.actions):
        yield from ctx.reword(at, "操作要点", x, y)
    yield from _compare_io(ctx, at, a, b)
    if set(a.rules) != set(b.rules):
        yield at.change("changed", material=False,
                        reason="关联的规则(追溯关系;规则本身的变化另行列出)", aspect="关联规则",
                        old=listed(r for r in a.rules if r not in b.rules),
                        new=listed(r for r in b.rules if r not in a.rules))
    if a.type == "decision" or b.type == "decision":
        yield from _compare_outcomes(ctx, at, fa, fb, a, b, common)


def _io_label(io: IO) -> str:
    return {"form": "表单", "document": "资料", "system": "系统"}[io.kind] + " " + io.value


def _compare_io(ctx: Context, at: At, a: Step, b: Step) -> Iterator[Change]:
    """Forms a step uses or produces are obligations; a renamed document or system
    (the same slot, similar words) is a rewording."""
    for direction, old_io, new_io in (("输入", a.inputs, b.inputs),
                                      ("输出", a.outputs, b.outputs)):
        gone = [io for io in old_io if (io.kind, io.value) not in
                {(x.kind, x.value) for x in new_io}]
        came = [io for io in new_io if (io.kind, io.value) not in
                {(x.kind, x.value) for x in old_io}]
        for x in list(gone):
            twin = next((y for y in came if y.kind == x.kind != "form"
                         and similarity(x.value, y.value) >= 0.5), None)
            if twin is not None:
                gone.remove(x)
                came.remove(twin)
                yield from ctx.reword(at, direction, x.value, twin.value, judge=False)
        why = "环节须使用或产出的资料改变"
        for io in came:
            yield at.change("added", material=True, reason=why, aspect=direction,
                            new=_io_label(io))
        for io in gone:
            yield at.change("removed", material=True, reason=why, aspect=direction,
                            old=_io_label(io))


def _compare_outcomes(ctx: Context, step: At, fa: Flow, fb: Flow, a: Step, b: Step,
                      common: set[str]) -> Iterator[Change]:
    sid = b.id
    old_targets = outcome_targets(fa, sid, common)
    new_targets = outcome_targets(fb, sid, common)
    for oid, x, y in pairs(by_id(a.outcomes), by_id(b.outcomes)):
        o = y or x
        at = replace(step, kind="outcome", id=f"{sid}/{oid}", title=f"{b.title}:{o.title}",
                     loc=o.loc)
        if x is None or y is None:
            where = f"转到 {step_title(fb if x is None else fa, o.next)}"
            yield presence(at, x, material=True, reason="决策结果改变", shown=where)
            continue
        if old_targets.get(oid) != new_targets.get(oid) and x.next != y.next:
            yield at.change("retargeted", material=True, reason="决策结果之后要做的事改变",
                            aspect="去向", old=step_title(fa, x.next),
                            new=step_title(fb, y.next))
        yield from ctx.reword(at, "名称", x.title, y.title)
