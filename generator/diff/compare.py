"""Compare two models and say what changed in the procedure.

Each ``_compare_*`` function looks at one kind of element and yields
:class:`~generator.diff.changes.Change` values, the way a check yields diagnostics.
Elements are matched by id; a renamed id reads as one removed and one added.

Material means the change alters an obligation: a threshold, eligibility, who
may act, a required step or its order, a decision outcome, a required field or
check, or whether content is adopted policy (drafted → sourced). Everything else
is editorial. Each change carries the reason, so a reviewer can disagree.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.diff.changes import Change
from generator.diff.effects import decision_effects
from generator.diff.flowgraph import (
    contracted_ancestors,
    contracted_predecessors,
    outcome_targets,
)
from generator.diff.wording import (
    char_diff,
    normalise,
    obligation_change,
    parameter_display,
    similarity,
)
from generator.model import (
    IO,
    Checklist,
    Condition,
    DecisionTable,
    EnumSet,
    Flow,
    Form,
    FormField,
    Interval,
    Loc,
    Model,
    Provenance,
    Questionnaire,
    Script,
    Step,
)

Comparator = Callable[["_Context"], Iterator[Change]]
_COMPARATORS: list[Comparator] = []


def _comparator(fn: Comparator) -> Comparator:
    _COMPARATORS.append(fn)
    return fn


def compare(old: Model, new: Model) -> list[Change]:
    """Every change from ``old`` to ``new``, in the order a reviewer reads them."""
    ctx = _Context(old, new)
    changes: list[Change] = []
    for comparator in _COMPARATORS:
        changes.extend(comparator(ctx))
    return changes


@dataclass(frozen=True, slots=True)
class _Context:
    old: Model
    new: Model

    @property
    def role_names(self) -> set[str]:
        return {r.name for m in (self.old, self.new) for r in m.roles.values()}

    def reword(self, group: str, kind: str, id: str, title: str, aspect: str,
               old: str, new: str, *, judge: bool = True, loc: Loc | None = None,
               elements: tuple[tuple[str, str], ...] = (),
               steps: tuple[str, ...] = ()) -> Iterator[Change]:
        """A ``reworded`` change if the text differs: material if the new wording
        changes a number, a parameter, an obligation word or a role (``judge``).
        Differences in white space alone are not changes."""
        old, new = normalise(old), normalise(new)
        if old == new:
            return
        why = obligation_change(old, new, self.role_names) if judge else ""
        if not old or not new:
            action = "added" if not old else "removed"
            material = bool(judge)
            reason = ("新增了要求" if action == "added" else "删去了要求") if judge \
                else "说明性文字"
        else:
            action, material = "reworded", bool(why)
            reason = why or ("措辞修改,未改变数字、参数、义务用语或岗位" if judge
                             else "说明性文字")
        wording = char_diff(old, new, show_old=parameter_display(self.old.parameters),
                            show_new=parameter_display(self.new.parameters))
        yield Change(group, kind, id, title, action, material, reason, aspect=aspect,
                     old=self.old.text(old), new=self.new.text(new),
                     wording=wording if old and new else (),
                     elements=elements or ((kind, id),), loc=loc, steps=steps)


def _pairs(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(id, old or None, new or None) in the new order, then the removed ones."""
    for key, value in new.items():
        yield key, old.get(key), value
    for key, value in old.items():
        if key not in new:
            yield key, value, None


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


def match_texts(old: Sequence[str], new: Sequence[str]) -> list[tuple[str, str]]:
    """Align two lists of sentences: (old, new) pairs, ``""`` on the side where an
    item was added or removed; replaced items are paired when they are similar."""
    out: list[tuple[str, str]] = []
    old, new = [normalise(t) for t in old], [normalise(t) for t in new]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        while olds and news:
            best = max(((similarity(o, n), i, j) for i, o in enumerate(olds)
                        for j, n in enumerate(news)), default=(0.0, 0, 0))
            if best[0] < 0.4:
                break
            out.append((olds.pop(best[1]), news.pop(best[2])))
        out.extend((o, "") for o in olds)
        out.extend(("", n) for n in news)
    return out


def _listed(values: Iterable[str]) -> str:
    return "、".join(values) or "(无)"


# --- pack ---------------------------------------------------------------------------


@_comparator
def _compare_pack(ctx: _Context) -> Iterator[Change]:
    old, new = ctx.old.meta, ctx.new.meta
    if old is None or new is None:
        return
    g, loc = "pack", new.loc
    if old.version != new.version:
        yield Change(g, "pack", new.id, new.title, "changed", False, "版本号", aspect="版本",
                     old=old.version, new=new.version, loc=loc)
    if old.effective_date != new.effective_date:
        yield Change(g, "pack", new.id, new.title, "changed", True,
                     "义务开始执行的日期改变", aspect="生效日期",
                     old=old.effective_date.isoformat(), new=new.effective_date.isoformat(),
                     loc=loc)
    for aspect, a, b in (("名称", old.title, new.title), ("负责部门", old.owner, new.owner),
                         ("简介", old.summary, new.summary)):
        yield from ctx.reword(g, "pack", new.id, new.title, aspect, a, b, judge=False, loc=loc)
    yield from ctx.reword(g, "pack", new.id, new.title, "定义", old.definition,
                          new.definition, loc=loc)
    for gid, a, b in _pairs(_by_id(old.governing_documents), _by_id(new.governing_documents)):
        el = b or a
        if a is None or b is None:
            yield Change(g, "governing_document", gid, el.title, "added" if a is None else
                         "removed", el.binding == "mandatory",
                         "必须遵循的制度改变" if el.binding == "mandatory" else "参考资料",
                         elements=(("pack", new.id),), loc=el.loc)
        elif a.binding != b.binding:
            yield Change(g, "governing_document", gid, b.title, "changed", True,
                         "制度的约束力改变", aspect="约束力", old=a.binding, new=b.binding,
                         elements=(("pack", new.id),), loc=b.loc)
        elif a.title != b.title:
            yield from ctx.reword(g, "governing_document", gid, b.title, "名称", a.title,
                                  b.title, judge=False, loc=b.loc, elements=(("pack", new.id),))
    old_stages = [s.id for s in old.stages]
    new_stages = [s.id for s in new.stages]
    titles = {s.id: s.title for s in (*old.stages, *new.stages)}
    for sid in new_stages:
        if sid not in old_stages:
            yield Change(g, "stage", sid, titles[sid], "added", True, "命名环节是必经环节",
                         elements=(("pack", new.id),), loc=new.loc)
    for sid in old_stages:
        if sid not in new_stages:
            yield Change(g, "stage", sid, titles[sid], "removed", True, "命名环节是必经环节",
                         elements=(("pack", new.id),), loc=old.loc)
    common_old = [s for s in old_stages if s in new_stages]
    common_new = [s for s in new_stages if s in old_stages]
    if common_old != common_new:
        yield Change(g, "stage", "order", "命名环节顺序", "moved", True,
                     "命名环节必须按顺序完成", aspect="顺序",
                     old=" → ".join(titles[s] for s in common_old),
                     new=" → ".join(titles[s] for s in common_new),
                     elements=(("pack", new.id),), loc=new.loc)
    for sid in common_new:
        a_stage = next(s for s in old.stages if s.id == sid)
        b_stage = next(s for s in new.stages if s.id == sid)
        yield from ctx.reword(g, "stage", sid, b_stage.title, "名称", a_stage.title,
                              b_stage.title, judge=False, loc=b_stage.loc,
                              elements=(("pack", new.id),))
    for pid, a, b in _pairs(_by_id(old.principles), _by_id(new.principles)):
        if a is None or b is None:
            el = b or a
            yield Change(g, "principle", pid, el.title, "added" if a is None else "removed",
                         False, "工作原则的表述", elements=(("pack", new.id),), loc=el.loc)
        else:
            for aspect, x, y in (("名称", a.title, b.title), ("要点", a.summary, b.summary),
                                 ("说明", a.description, b.description)):
                yield from ctx.reword(g, "principle", pid, b.title, aspect, x, y, judge=False,
                                      loc=b.loc, elements=(("pack", new.id),))


# --- parameters, roles, rules ---------------------------------------------------------


def _direction(comparison: str, old: float, new: float) -> str:
    if comparison not in ("min", "max") or old == new:
        return ""
    up = new > old
    if comparison == "min":
        return "门槛提高(收紧)" if up else "门槛降低(放宽)"
    return "上限提高(放宽)" if up else "上限降低(收紧)"


@_comparator
def _compare_parameters(ctx: _Context) -> Iterator[Change]:
    g = "parameters"
    for pid, a, b in _pairs(ctx.old.parameters, ctx.new.parameters):
        if a is None or b is None:
            el = b or a
            yield Change(g, "parameter", pid, el.title, "added" if a is None else "removed",
                         True, "门槛或上限是义务的一部分", old="" if a is None else a.display,
                         new="" if b is None else b.display, loc=el.loc)
            continue
        if (a.value, a.unit) != (b.value, b.unit):
            yield Change(g, "parameter", pid, b.title, "changed", True,
                         _direction(b.comparison, float(a.value), float(b.value))
                         or "取值改变", aspect="取值", old=a.display, new=b.display, loc=b.loc)
        if a.comparison != b.comparison:
            yield Change(g, "parameter", pid, b.title, "changed", True, "比较方式改变",
                         aspect="比较方式", old=a.comparison, new=b.comparison, loc=b.loc)
        for aspect, x, y in (("名称", a.title, b.title), ("说明", a.description, b.description)):
            yield from ctx.reword(g, "parameter", pid, b.title, aspect, x, y, judge=False,
                                  loc=b.loc)


@_comparator
def _compare_roles(ctx: _Context) -> Iterator[Change]:
    g = "roles"
    for pid, a, b in _pairs(ctx.old.permissions, ctx.new.permissions):
        if a is None or b is None:
            el = b or a
            yield Change(g, "permission", pid, el.title, "added" if a is None else "removed",
                         True, "谁可以办理的权限改变", loc=el.loc)
            continue
        for aspect, x, y in (("名称", a.title, b.title), ("说明", a.description, b.description)):
            yield from ctx.reword(g, "permission", pid, b.title, aspect, x, y, judge=False,
                                  loc=b.loc)
    titles = {p.id: p.title for m in (ctx.old, ctx.new) for p in m.permissions.values()}
    for rid, a, b in _pairs(ctx.old.roles, ctx.new.roles):
        if a is None or b is None:
            el = b or a
            yield Change(g, "role", rid, el.name, "added" if a is None else "removed", True,
                         "谁可以办理改变", loc=el.loc)
            continue
        gained = [p for p in b.permissions if p not in a.permissions]
        lost = [p for p in a.permissions if p not in b.permissions]
        if gained or lost:
            yield Change(g, "role", rid, b.name, "changed", True, "岗位可以办理的事项改变",
                         aspect="权限",
                         old=_listed(titles.get(p, p) for p in lost),
                         new=_listed(titles.get(p, p) for p in gained), loc=b.loc)
        if a.part_of != b.part_of:
            yield Change(g, "role", rid, b.name, "changed", False, "组织归属", aspect="隶属",
                         old=a.part_of, new=b.part_of, loc=b.loc)
        for aspect, x, y in (("名称", a.name, b.name), ("说明", a.description, b.description)):
            yield from ctx.reword(g, "role", rid, b.name, aspect, x, y, judge=False, loc=b.loc)


def _describe_constraints(rule: Any) -> str:
    return ";".join(
        f"{c.flow} 到达 {_listed(c.to)} 前须依次经过 "
        + " → ".join(w.describe() for w in c.in_order) for c in rule.constraints)


@_comparator
def _compare_rules(ctx: _Context) -> Iterator[Change]:
    g = "rules"
    for rid, a, b in _pairs(ctx.old.rules, ctx.new.rules):
        if a is None or b is None:
            el = b or a
            yield Change(g, "rule", rid, el.title, "added" if a is None else "removed", True,
                         "规则是必须遵守的要求", old="" if a is None else ctx.old.text(a.text),
                         new="" if b is None else ctx.new.text(b.text), loc=el.loc)
            continue
        yield from ctx.reword(g, "rule", rid, b.title, "正文", a.text, b.text, loc=b.loc)
        yield from ctx.reword(g, "rule", rid, b.title, "标题", a.title, b.title, judge=False,
                              loc=b.loc)
        if a.category != b.category:
            yield Change(g, "rule", rid, b.title, "changed", False, "规则的分类", aspect="类别",
                         old=a.category, new=b.category, loc=b.loc)
        old_c, new_c = _describe_constraints(a), _describe_constraints(b)
        if old_c != new_c:
            yield Change(g, "rule", rid, b.title, "changed", True, "必经环节或其顺序的要求改变",
                         aspect="路径约束", old=old_c or "(无)", new=new_c or "(无)",
                         loc=b.loc)


# --- flows ------------------------------------------------------------------------------


def _step_title(flow: Flow | None, step_id: str) -> str:
    step = flow.step(step_id) if flow else None
    return f"“{step.title}”" if step else step_id


def _io_label(io: IO) -> str:
    return {"form": "表单", "document": "资料", "system": "系统"}[io.kind] + " " + io.value


@_comparator
def _compare_flows(ctx: _Context) -> Iterator[Change]:
    for fid, a, b in _pairs(ctx.old.flows, ctx.new.flows):
        g = f"flow:{fid}"
        if a is None or b is None:
            el = b or a
            yield Change(g, "flow", fid, el.title, "added" if a is None else "removed", True,
                         "整个流程的义务", loc=el.loc,
                         steps=tuple(s.id for s in el.steps))
            continue
        yield from _compare_flow(ctx, a, b)


def _compare_flow(ctx: _Context, a: Flow, b: Flow) -> Iterator[Change]:
    g, fid = f"flow:{b.id}", b.id
    flow_el = (("flow", fid),)
    yield from ctx.reword(g, "flow", fid, b.title, "名称", a.title, b.title, judge=False,
                          loc=b.loc)
    yield from ctx.reword(g, "flow", fid, b.title, "概述", a.summary, b.summary, judge=False,
                          loc=b.loc)
    if set(a.actors) != set(b.actors):
        names = {r.id: r.name for m in (ctx.old, ctx.new) for r in m.roles.values()}
        yield Change(g, "flow", fid, b.title, "changed", True, "参与流程的机构或岗位改变",
                     aspect="参与方", old=_listed(names.get(x, x) for x in a.actors),
                     new=_listed(names.get(x, x) for x in b.actors), loc=b.loc)
    old_ids = {s.id for s in a.steps}
    new_ids = {s.id for s in b.steps}
    common = old_ids & new_ids
    old_preds = contracted_predecessors(a, common)
    new_preds = contracted_predecessors(b, common)
    # A step moved when what can come before it changed, not merely its direct
    # predecessor: after swapping A and B in P → A → B → N, A and B moved, N did not.
    old_before = contracted_ancestors(a, common)
    new_before = contracted_ancestors(b, common)
    raw_old_preds: dict[str, set[str]] = {}
    for s in a.steps:
        for target, _ in s.successors():
            raw_old_preds.setdefault(target, set()).add(s.id)
    raw_new_preds: dict[str, set[str]] = {}
    for s in b.steps:
        for target, _ in s.successors():
            raw_new_preds.setdefault(target, set()).add(s.id)

    for step in b.steps:
        if step.id not in old_ids:
            after = sorted(raw_new_preds.get(step.id, ()))
            where = ("位于 " + "、".join(_step_title(b, p) for p in after) + " 之后") if after \
                else "流程起点"
            yield Change(g, "step", step.id, step.title, "added", True,
                         "新增了必经或可能经过的环节",
                         new=where + _actor_note(ctx.new, step), loc=step.loc,
                         elements=(("step", step.id), *flow_el), steps=(step.id,))
    for step in a.steps:
        if step.id not in new_ids:
            before = sorted(raw_old_preds.get(step.id, ()))
            where = ("原位于 " + "、".join(_step_title(a, p) for p in before) + " 之后") \
                if before else "原为流程起点"
            yield Change(g, "step", step.id, step.title, "removed", True, "删去了一个环节",
                         old=where + _actor_note(ctx.old, step), loc=step.loc,
                         elements=(("step", step.id), *flow_el), steps=(step.id,))
    for step in b.steps:
        old_step = a.step(step.id)
        if old_step is None:
            continue
        # Moved = it no longer follows a step it followed (a new extra way in is
        # reported on the transition that adds it).
        if (old_preds.get(step.id, set()) - new_preds.get(step.id, set())
                and old_before.get(step.id) != new_before.get(step.id)):
            yield Change(g, "step", step.id, step.title, "moved", True, "环节的先后顺序改变",
                         aspect="前序环节",
                         old=_after(a, old_preds.get(step.id, set()), old_step),
                         new=_after(b, new_preds.get(step.id, set()), step),
                         loc=step.loc, elements=(("step", step.id), *flow_el),
                         steps=(step.id,))
        yield from _compare_step(ctx, g, a, b, old_step, step, common)
    # The order of the list is the numbering of the printed flow sheet and the site's
    # navigation; it does not change what follows what.
    old_order = [s.id for s in a.steps if s.id in common]
    new_order = [s.id for s in b.steps if s.id in common]
    if old_order != new_order:
        matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
        kept = {sid for block in matcher.get_matching_blocks()
                for sid in old_order[block.a:block.a + block.size]}
        shifted = [sid for sid in new_order if sid not in kept]
        yield Change(g, "flow", fid, b.title, "changed", False,
                     "只改变打印和网页上的编号与排列,不改变流程走向", aspect="环节排列",
                     new="排列位置改变:" + "、".join(_step_title(b, sid) for sid in shifted),
                     loc=b.loc, steps=tuple(shifted))
    old_loops = {(lp.from_step, lp.to_step) for lp in a.loops}
    new_loops = {(lp.from_step, lp.to_step) for lp in b.loops}
    for frm, to in sorted(new_loops - old_loops):
        yield Change(g, "loop", f"{frm}->{to}", f"{_step_title(b, frm)} → {_step_title(b, to)}",
                     "added", False, "声明允许的返回路径(流程本身的变化另行列出)",
                     elements=flow_el, loc=b.loc)
    for frm, to in sorted(old_loops - new_loops):
        yield Change(g, "loop", f"{frm}->{to}", f"{_step_title(a, frm)} → {_step_title(a, to)}",
                     "removed", False, "声明允许的返回路径(流程本身的变化另行列出)",
                     elements=flow_el, loc=b.loc)


def _after(flow: Flow, preds: set[str], step: Step) -> str:
    if preds:
        return "在 " + "、".join(_step_title(flow, p) for p in sorted(preds)) + " 之后"
    return "流程起点" if step.type == "start" else "没有前序环节(无法到达)"


def _actor_note(model: Model, step: Step) -> str:
    if not step.actor:
        return ""
    role = model.roles.get(step.actor)
    return f",由{role.name if role else step.actor}办理"


def _compare_step(ctx: _Context, g: str, fa: Flow, fb: Flow, a: Step, b: Step,
                  common: set[str]) -> Iterator[Change]:
    sid = b.id
    els = (("step", sid), ("flow", fb.id))
    ch: dict[str, Any] = {"loc": b.loc, "elements": els, "steps": (sid,)}

    def role(model: Model, rid: str) -> str:
        r = model.roles.get(rid)
        return r.name if r else (rid or "(无)")

    if a.type != b.type:
        yield Change(g, "step", sid, b.title, "changed", True, "环节类型改变", aspect="类型",
                     old=a.type, new=b.type, **ch)
    if a.actor != b.actor:
        yield Change(g, "step", sid, b.title, "reassigned", True, "由谁办理改变",
                     aspect="执行岗位", old=role(ctx.old, a.actor), new=role(ctx.new, b.actor),
                     **ch)
    if a.permission != b.permission:
        titles = {p.id: p.title for m in (ctx.old, ctx.new) for p in m.permissions.values()}
        yield Change(g, "step", sid, b.title, "changed", True, "办理所需的权限改变",
                     aspect="所需权限", old=titles.get(a.permission, a.permission or "(无)"),
                     new=titles.get(b.permission, b.permission or "(无)"), **ch)
    if a.stage != b.stage:
        stages = {s.id: s.title for m in (ctx.old, ctx.new) if m.meta for s in m.meta.stages}
        yield Change(g, "step", sid, b.title, "changed", True, "环节所属的命名环节改变",
                     aspect="命名环节", old=stages.get(a.stage, a.stage or "(无)"),
                     new=stages.get(b.stage, b.stage or "(无)"), **ch)
    for aspect, x, y in (("决策表", a.decision_table, b.decision_table),
                         ("问卷", a.questionnaire, b.questionnaire),
                         ("结果", a.result, b.result),
                         ("转入流程", a.continues_in, b.continues_in)):
        if x != y:
            yield Change(g, "step", sid, b.title, "changed", True, "决策依据或流程结果改变",
                         aspect=aspect, old=x or "(无)", new=y or "(无)", **ch)
    yield from ctx.reword(g, "step", sid, b.title, "名称", a.title, b.title, **ch)
    yield from ctx.reword(g, "step", sid, b.title, "目的", a.purpose, b.purpose, judge=False,
                          **ch)
    yield from ctx.reword(g, "step", sid, b.title, "判断问题", a.question, b.question, **ch)
    for x, y in match_texts(a.actions, b.actions):
        yield from ctx.reword(g, "step", sid, b.title, "操作要点", x, y, **ch)
    yield from _compare_io(ctx, g, a, b, ch)
    if set(a.rules) != set(b.rules):
        yield Change(g, "step", sid, b.title, "changed", False,
                     "关联的规则(追溯关系;规则本身的变化另行列出)", aspect="关联规则",
                     old=_listed(r for r in a.rules if r not in b.rules),
                     new=_listed(r for r in b.rules if r not in a.rules), **ch)
    if a.type == "decision" or b.type == "decision":
        yield from _compare_outcomes(ctx, g, fa, fb, a, b, common)


def _compare_io(ctx: _Context, g: str, a: Step, b: Step,
                ch: dict[str, Any]) -> Iterator[Change]:
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
                yield from ctx.reword(g, "step", b.id, b.title, direction, x.value, twin.value,
                                      judge=False, **ch)
        for io in came:
            yield Change(g, "step", b.id, b.title, "added", True, "环节须使用或产出的资料改变",
                         aspect=direction, new=_io_label(io), **ch)
        for io in gone:
            yield Change(g, "step", b.id, b.title, "removed", True, "环节须使用或产出的资料改变",
                         aspect=direction, old=_io_label(io), **ch)


def _compare_outcomes(ctx: _Context, g: str, fa: Flow, fb: Flow, a: Step, b: Step,
                      common: set[str]) -> Iterator[Change]:
    sid = b.id
    old_targets = outcome_targets(fa, sid, common)
    new_targets = outcome_targets(fb, sid, common)
    old_out, new_out = _by_id(a.outcomes), _by_id(b.outcomes)
    els = (("step", sid), ("flow", fb.id))
    for oid, x, y in _pairs(old_out, new_out):
        ident = f"{sid}/{oid}"
        if x is None or y is None:
            o = y or x
            flow = fb if x is None else fa
            where = f"转到 {_step_title(flow, o.next)}"
            yield Change(g, "outcome", ident, f"{b.title}:{o.title}",
                         "added" if x is None else "removed", True, "决策结果改变",
                         old="" if x is None else where, new=where if x is None else "",
                         loc=o.loc, elements=els, steps=(sid,))
            continue
        if old_targets.get(oid) != new_targets.get(oid) and x.next != y.next:
            yield Change(g, "outcome", ident, f"{b.title}:{y.title}", "retargeted", True,
                         "决策结果之后要做的事改变", aspect="去向",
                         old=_step_title(fa, x.next), new=_step_title(fb, y.next), loc=y.loc,
                         elements=els, steps=(sid,))
        yield from ctx.reword(g, "outcome", ident, f"{b.title}:{y.title}", "名称", x.title,
                              y.title, loc=y.loc, elements=els, steps=(sid,))


# --- decision tables ---------------------------------------------------------------------


def _describe_condition(model: Model, table: DecisionTable, name: str, cond: Condition) -> str:
    title = next((i.title for i in table.inputs if i.id == name), name)
    if isinstance(cond, Interval):
        return f"{title} {cond.describe(model.parameters)}"
    values = {v.id: v.title for i in table.inputs if i.id == name for v in i.values}
    return f"{title} ∈ {{{'、'.join(values.get(v, v) for v in cond.values)}}}"


def _condition_key(cond: Condition) -> tuple[Any, ...]:
    """Compare bounds by the parameter they name (a parameter's value change is
    reported once, on the parameter), else by value."""
    if isinstance(cond, EnumSet):
        return ("enum", tuple(sorted(cond.values)))

    def bound(b: Any) -> Any:
        return None if b is None else (b.parameter or b.value)

    return ("interval", bound(cond.low), cond.low_inclusive, bound(cond.high),
            cond.high_inclusive)


def _describe_row(model: Model, table: DecisionTable, row: Any) -> str:
    when = ",".join(_describe_condition(model, table, k, v) for k, v in row.when.items())
    outputs = {v.id: v.title for o in table.outputs for v in o.values}
    then = ",".join(outputs.get(v, v) for v in row.then.values())
    return f"当 {when or '任意情况'} 时:{then}"


@_comparator
def _compare_decision_effects(ctx: _Context) -> Iterator[Change]:
    """First what a table now decides differently, then the rows that make it so."""
    yield from decision_effects(ctx.old, ctx.new)


@_comparator
def _compare_decision_tables(ctx: _Context) -> Iterator[Change]:
    for tid, a, b in _pairs(ctx.old.decision_tables, ctx.new.decision_tables):
        g = f"decision_table:{tid}"
        if a is None or b is None:
            el = b or a
            yield Change(g, "decision_table", tid, el.title, "added" if a is None else
                         "removed", True, "决策规则改变", loc=el.loc)
            continue
        yield from _compare_table(ctx, g, a, b)


def _compare_table(ctx: _Context, g: str, a: DecisionTable, b: DecisionTable) -> Iterator[Change]:
    tid, el = b.id, (("decision_table", b.id),)
    if a.hit_policy != b.hit_policy:
        yield Change(g, "decision_table", tid, b.title, "changed", True, "命中规则的方式改变",
                     aspect="命中策略", old=a.hit_policy, new=b.hit_policy, loc=b.loc)
    yield from ctx.reword(g, "decision_table", tid, b.title, "名称", a.title, b.title,
                          judge=False, loc=b.loc)
    yield from ctx.reword(g, "decision_table", tid, b.title, "说明", a.summary, b.summary,
                          judge=False, loc=b.loc)
    for kind, old_items, new_items in (("decision_input", a.inputs, b.inputs),
                                       ("decision_output", a.outputs, b.outputs)):
        for iid, x, y in _pairs(_by_id(old_items), _by_id(new_items)):
            if x is None or y is None:
                it = y or x
                yield Change(g, kind, f"{tid}/{iid}", it.title,
                             "added" if x is None else "removed", True, "决策的输入或结果改变",
                             loc=it.loc, elements=el)
                continue
            old_v = [v.id for v in x.values]
            new_v = [v.id for v in y.values]
            if old_v != new_v:
                yield Change(g, kind, f"{tid}/{iid}", y.title, "changed", True,
                             "可选的取值改变", aspect="取值", old=_listed(old_v),
                             new=_listed(new_v), loc=y.loc, elements=el)
            if getattr(x, "unit", "") != getattr(y, "unit", ""):
                yield Change(g, kind, f"{tid}/{iid}", y.title, "changed", True, "单位改变",
                             aspect="单位", old=getattr(x, "unit", ""),
                             new=getattr(y, "unit", ""), loc=y.loc, elements=el)
            yield from ctx.reword(g, kind, f"{tid}/{iid}", y.title, "名称", x.title, y.title,
                                  judge=False, loc=y.loc, elements=el)
    for rid, x, y in _pairs(_by_id(a.rows), _by_id(b.rows)):
        ident = f"{tid}/{rid}"
        if x is None or y is None:
            row = y or x
            model = ctx.new if x is None else ctx.old
            table = b if x is None else a
            text = _describe_row(model, table, row)
            yield Change(g, "decision_row", ident, rid, "added" if x is None else "removed",
                         True, "决策结果改变", old="" if x is None else text,
                         new=text if x is None else "", loc=row.loc, elements=el)
            continue
        old_when = {k: _condition_key(v) for k, v in x.when.items()}
        new_when = {k: _condition_key(v) for k, v in y.when.items()}
        if old_when != new_when or dict(x.then) != dict(y.then):
            yield Change(g, "decision_row", ident, rid, "changed", True,
                         "条件或结果改变" if old_when != new_when else "决策结果改变",
                         aspect="条件与结果", old=_describe_row(ctx.old, a, x),
                         new=_describe_row(ctx.new, b, y), loc=y.loc, elements=el)
        yield from ctx.reword(g, "decision_row", ident, rid, "备注", x.note, y.note,
                              judge=False, loc=y.loc, elements=el)


# --- questionnaires ------------------------------------------------------------------------


@_comparator
def _compare_questionnaires(ctx: _Context) -> Iterator[Change]:
    for qid, a, b in _pairs(ctx.old.questionnaires, ctx.new.questionnaires):
        g = f"questionnaire:{qid}"
        if a is None or b is None:
            el = b or a
            yield Change(g, "questionnaire", qid, el.title, "added" if a is None else
                         "removed", True, "风险评估的依据改变", loc=el.loc)
            continue
        yield from _compare_questionnaire(ctx, g, a, b)


def _compare_questionnaire(ctx: _Context, g: str, a: Questionnaire,
                           b: Questionnaire) -> Iterator[Change]:
    qid, el = b.id, (("questionnaire", b.id),)
    yield from ctx.reword(g, "questionnaire", qid, b.title, "名称", a.title, b.title,
                          judge=False, loc=b.loc)
    yield from ctx.reword(g, "questionnaire", qid, b.title, "填写说明", a.instructions,
                          b.instructions, loc=b.loc)
    if a.validity != b.validity:
        yield Change(g, "questionnaire", qid, b.title, "changed", True, "评估结果的有效期改变",
                     aspect="有效期参数", old=a.validity or "(无)", new=b.validity or "(无)",
                     loc=b.loc)
    for question_id, x, y in _pairs(_by_id(a.questions), _by_id(b.questions)):
        ident = f"{qid}/{question_id}"
        if x is None or y is None:
            q = y or x
            yield Change(g, "question", ident, q.text, "added" if x is None else "removed",
                         True, "计分和等级的依据改变", loc=q.loc, elements=el)
            continue
        yield from ctx.reword(g, "question", ident, y.text, "题目", x.text, y.text,
                              judge=False, loc=y.loc, elements=el)
        for aid, p, q in _pairs(_by_id(x.answers), _by_id(y.answers)):
            aident = f"{ident}/{aid}"
            if p is None or q is None:
                ans = q or p
                score = f"{ans.score} 分"
                yield Change(g, "answer", aident, f"{y.text} {ans.text}",
                             "added" if p is None else "removed", True, "计分改变",
                             old="" if p is None else score, new=score if p is None else "",
                             loc=ans.loc, elements=el)
                continue
            if p.score != q.score:
                yield Change(g, "answer", aident, f"{y.text} {q.text}", "changed", True,
                             "计分改变", aspect="分值", old=f"{p.score} 分", new=f"{q.score} 分",
                             loc=q.loc, elements=el)
            yield from ctx.reword(g, "answer", aident, f"{y.text} {q.text}", "答案", p.text,
                                  q.text, judge=False, loc=q.loc, elements=el)
    for lid, x, y in _pairs(_by_id(a.levels), _by_id(b.levels)):
        ident = f"{qid}/{lid}"
        if x is None or y is None:
            lv = y or x
            band = f"{lv.min_score}–{lv.max_score} 分"
            yield Change(g, "level", ident, f"{lid} {lv.title}",
                         "added" if x is None else "removed", True, "风险等级划分改变",
                         old="" if x is None else band, new=band if x is None else "",
                         loc=lv.loc, elements=el)
            continue
        if (x.min_score, x.max_score) != (y.min_score, y.max_score):
            yield Change(g, "level", ident, f"{lid} {y.title}", "changed", True,
                         "风险等级的分数段改变", aspect="分数段",
                         old=f"{x.min_score}–{x.max_score} 分",
                         new=f"{y.min_score}–{y.max_score} 分", loc=y.loc, elements=el)
        if x.max_product_risk != y.max_product_risk:
            yield Change(g, "level", ident, f"{lid} {y.title}", "changed", True,
                         "可购买产品的风险上限改变", aspect="产品风险上限",
                         old=x.max_product_risk or "(无)", new=y.max_product_risk or "(无)",
                         loc=y.loc, elements=el)
        yield from ctx.reword(g, "level", ident, f"{lid} {y.title}", "名称", x.title, y.title,
                              judge=False, loc=y.loc, elements=el)


# --- forms, checklists, scripts ---------------------------------------------------------------


@_comparator
def _compare_forms(ctx: _Context) -> Iterator[Change]:
    for fid, a, b in _pairs(ctx.old.forms, ctx.new.forms):
        g = f"form:{fid}"
        if a is None or b is None:
            el = b or a
            yield Change(g, "form", fid, el.title, "added" if a is None else "removed", True,
                         "须填写的表单改变", loc=el.loc)
            continue
        yield from _compare_form(ctx, g, a, b)


def _field_step(model: Model, f: FormField) -> str:
    step = model.steps.get(f.filled_at)
    return step.title if step else f.filled_at


def _compare_form(ctx: _Context, g: str, a: Form, b: Form) -> Iterator[Change]:
    fid = b.id
    for aspect, x, y in (("编号", a.code, b.code), ("名称", a.title, b.title),
                         ("用途", a.purpose, b.purpose)):
        yield from ctx.reword(g, "form", fid, b.title, aspect, x, y, judge=False, loc=b.loc)
    if a.questionnaire != b.questionnaire:
        yield Change(g, "form", fid, b.title, "changed", True, "客户须填写的问卷改变",
                     aspect="问卷", old=a.questionnaire or "(无)", new=b.questionnaire or "(无)",
                     loc=b.loc)
    old_fields, new_fields = _by_id(a.fields), _by_id(b.fields)
    for field_id, x, y in _pairs(old_fields, new_fields):
        ident = f"{fid}/{field_id}"
        el = (("form_field", ident),)
        if x is None or y is None:
            f = y or x
            model = ctx.new if x is None else ctx.old
            what = ("必填" if f.required else "选填") + f",在“{_field_step(model, f)}”填写"
            yield Change(g, "form_field", ident, f.label, "added" if x is None else "removed",
                         f.required, "必填字段改变" if f.required else "选填字段,不改变义务",
                         old="" if x is None else what, new=what if x is None else "",
                         loc=f.loc, elements=el)
            continue
        if x.required != y.required:
            yield Change(g, "form_field", ident, y.label, "changed", True, "必填要求改变",
                         aspect="是否必填", old="必填" if x.required else "选填",
                         new="必填" if y.required else "选填", loc=y.loc, elements=el)
        if x.filled_at != y.filled_at:
            yield Change(g, "form_field", ident, y.label, "changed", True, "填写字段的环节改变",
                         aspect="填写环节", old=_field_step(ctx.old, x),
                         new=_field_step(ctx.new, y), loc=y.loc, elements=el)
        old_opts = [o.label for o in x.options]
        new_opts = [o.label for o in y.options]
        if [o.id for o in x.options] != [o.id for o in y.options]:
            yield Change(g, "form_field", ident, y.label, "changed", True, "可以选择的选项改变",
                         aspect="选项", old=_listed(old_opts), new=_listed(new_opts),
                         loc=y.loc, elements=el)
        elif old_opts != new_opts:
            yield Change(g, "form_field", ident, y.label, "reworded", False, "选项的文字",
                         aspect="选项", old=_listed(old_opts), new=_listed(new_opts),
                         loc=y.loc, elements=el)
        for aspect, p, q in (("类型", x.type, y.type), ("单位", x.unit, y.unit)):
            if p != q:
                yield Change(g, "form_field", ident, y.label, "changed", False, "填写格式",
                             aspect=aspect, old=p or "(无)", new=q or "(无)", loc=y.loc,
                             elements=el)
        for aspect, p, q in (("名称", x.label, y.label), ("填写提示", x.hint, y.hint)):
            yield from ctx.reword(g, "form_field", ident, y.label, aspect, p, q, judge=False,
                                  loc=y.loc, elements=el)
    old_sections = {s.id: s for s in a.sections}
    for s in b.sections:
        if s.id in old_sections:
            yield from ctx.reword(g, "form_section", f"{fid}/{s.id}", s.title, "名称",
                                  old_sections[s.id].title, s.title, judge=False, loc=s.loc,
                                  elements=(("form", fid),))


@_comparator
def _compare_checklists(ctx: _Context) -> Iterator[Change]:
    for cid, a, b in _pairs(ctx.old.checklists, ctx.new.checklists):
        g = f"checklist:{cid}"
        if a is None or b is None:
            el = b or a
            yield Change(g, "checklist", cid, el.title, "added" if a is None else "removed",
                         True, "须完成的检查改变", loc=el.loc)
            continue
        yield from _compare_checklist(ctx, g, a, b)


def _compare_checklist(ctx: _Context, g: str, a: Checklist, b: Checklist) -> Iterator[Change]:
    cid = b.id
    for aspect, x, y in (("编号", a.code, b.code), ("名称", a.title, b.title),
                         ("说明", a.summary, b.summary)):
        yield from ctx.reword(g, "checklist", cid, b.title, aspect, x, y, judge=False,
                              loc=b.loc)
    if a.collect_role != b.collect_role:
        yield Change(g, "checklist", cid, b.title, "changed", True, "清单面向的岗位改变",
                     aspect="岗位", old=a.collect_role or "(无)", new=b.collect_role or "(无)",
                     loc=b.loc)
    if a.flow != b.flow:
        yield Change(g, "checklist", cid, b.title, "changed", True, "清单对应的流程改变",
                     aspect="流程", old=a.flow or "(无)", new=b.flow or "(无)", loc=b.loc)

    def role(model: Model, item: Any) -> str:
        rid = model.item_role(item)
        r = model.roles.get(rid)
        return r.name if r else (rid or "(无)")

    def step(model: Model, sid: str) -> str:
        s = model.steps.get(sid)
        return s.title if s else sid

    for iid, x, y in _pairs(_by_id(a.own_items), _by_id(b.own_items)):
        ident = f"{cid}/{iid}"
        els = (("checklist_item", ident),)
        if x is None or y is None:
            it = y or x
            model = ctx.new if x is None else ctx.old
            what = f"在“{step(model, it.step)}”由{role(model, it)}检查"
            yield Change(g, "checklist_item", ident, model.text(it.text),
                         "added" if x is None else "removed", True, "须完成的检查项改变",
                         old="" if x is None else what, new=what if x is None else "",
                         loc=it.loc, elements=els)
            continue
        title = ctx.new.text(y.text)
        yield from ctx.reword(g, "checklist_item", ident, title, "检查内容", x.text, y.text,
                              loc=y.loc, elements=els)
        if x.step != y.step:
            yield Change(g, "checklist_item", ident, title, "changed", True, "检查的环节改变",
                         aspect="环节", old=step(ctx.old, x.step), new=step(ctx.new, y.step),
                         loc=y.loc, elements=els)
        if ctx.old.item_role(x) != ctx.new.item_role(y):
            derived = not x.role and not y.role and x.step == y.step
            yield Change(g, "checklist_item", ident, title, "reassigned", True,
                         "随所在环节改派,由谁检查改变" if derived else "由谁检查改变",
                         aspect="检查岗位", old=role(ctx.old, x),
                         new=role(ctx.new, y), loc=y.loc, elements=els)


@_comparator
def _compare_scripts(ctx: _Context) -> Iterator[Change]:
    for sid, a, b in _pairs(ctx.old.scripts, ctx.new.scripts):
        g = f"script:{sid}"
        if a is None or b is None:
            el = b or a
            yield Change(g, "script", sid, el.title, "added" if a is None else "removed",
                         False, "营销话术是指引,不是义务", loc=el.loc)
            continue
        yield from _compare_script(ctx, g, a, b)


def _compare_script(ctx: _Context, g: str, a: Script, b: Script) -> Iterator[Change]:
    sid = b.id
    if a.step != b.step:
        yield Change(g, "script", sid, b.title, "changed", False, "话术所属环节",
                     aspect="环节", old=a.step, new=b.step, loc=b.loc)
    for aspect, x, y in (("名称", a.title, b.title), ("开场白", a.opening, b.opening),
                         ("结束语", a.closing, b.closing)):
        yield from ctx.reword(g, "script", sid, b.title, aspect, x, y, judge=False, loc=b.loc)
    for x, y in match_texts(a.key_messages, b.key_messages):
        yield from ctx.reword(g, "script", sid, b.title, "要点", x, y, judge=False, loc=b.loc)
    for _oid, x, y in _pairs(_by_id(a.objections), _by_id(b.objections)):
        if x is None or y is None:
            o = y or x
            yield Change(g, "script", sid, b.title, "added" if x is None else "removed", False,
                         "营销话术是指引,不是义务", aspect="异议处理",
                         old="" if x is None else o.objection,
                         new=o.objection if x is None else "", loc=o.loc)
            continue
        yield from ctx.reword(g, "script", sid, b.title, f"异议“{y.objection}”的应答",
                              x.answer, y.answer, judge=False, loc=y.loc)
        yield from ctx.reword(g, "script", sid, b.title, "客户异议", x.objection,
                              y.objection, judge=False, loc=y.loc)
    for x, y in match_texts(a.never_say, b.never_say):
        if x and y:
            yield from ctx.reword(g, "script", sid, b.title, "禁用语", x, y, loc=b.loc)
        else:
            yield Change(g, "script", sid, b.title, "added" if y else "removed", True,
                         "禁止员工说的话是义务", aspect="禁用语", old=x, new=y, loc=b.loc)


# --- glossary, cases, target clients ------------------------------------------------------------


@_comparator
def _compare_rest(ctx: _Context) -> Iterator[Change]:
    for tid, a, b in _pairs(ctx.old.terms, ctx.new.terms):
        if a is None or b is None:
            el = b or a
            yield Change("glossary", "term", tid, el.term, "added" if a is None else "removed",
                         False, "术语解释", loc=el.loc)
            continue
        for aspect, x, y in (("术语", a.term, b.term), ("英文", a.en, b.en),
                             ("释义", a.definition, b.definition)):
            yield from ctx.reword("glossary", "term", tid, b.term, aspect, x, y, judge=False,
                                  loc=b.loc)
    for cid, a, b in _pairs(ctx.old.cases, ctx.new.cases):
        if a is None or b is None:
            el = b or a
            yield Change("cases", "case", cid, el.title, "added" if a is None else "removed",
                         False, "测试案例验证规则,本身不是义务", loc=el.loc)
        elif (a.target, dict(a.written), dict(a.expect)) != (b.target, dict(b.written),
                                                             dict(b.expect)):
            yield Change("cases", "case", cid, b.title, "changed", False,
                         "测试案例验证规则,本身不是义务", aspect="输入与预期", loc=b.loc)
    old_t, new_t = ctx.old.target_clients, ctx.new.target_clients
    if old_t and new_t:
        g = "target_clients"
        yield from ctx.reword(g, "target_clients", new_t.id, new_t.title, "目标客户标准",
                              old_t.standard, new_t.standard, loc=new_t.loc)
        old_topics = _by_id((*old_t.sources, *old_t.mining, *old_t.development))
        new_topics = _by_id((*new_t.sources, *new_t.mining, *new_t.development))
        for tid, a, b in _pairs(old_topics, new_topics):
            if a is None or b is None:
                el = b or a
                yield Change(g, "target_topic", tid, el.title,
                             "added" if a is None else "removed", False, "目标客户的来源与挖掘方法",
                             loc=el.loc, elements=(("target_clients", new_t.id),))
                continue
            for aspect, x, y in (("名称", a.title, b.title), ("说明", a.description,
                                                                b.description),
                                 ("信号", a.signal, b.signal), ("标准", a.criterion, b.criterion),
                                 ("做法", a.action, b.action)):
                yield from ctx.reword(g, "target_topic", tid, b.title, aspect, x, y,
                                      judge=False, loc=b.loc,
                                      elements=(("target_clients", new_t.id),))


# --- provenance ---------------------------------------------------------------------------------


def group_of(model: Model, kind: str, ident: str) -> str:
    """The report section an element belongs to."""
    if kind == "step":
        step = model.steps.get(ident)
        return f"flow:{step.flow}" if step else "flows"
    parent = ident.split("/", 1)[0]
    return {
        "pack": "pack", "governing_document": "pack", "principle": "pack", "stage": "pack",
        "part": "pack", "parameter": "parameters", "permission": "roles", "role": "roles",
        "rule": "rules", "flow": f"flow:{ident}", "decision_table": f"decision_table:{ident}",
        "decision_row": f"decision_table:{parent}", "questionnaire": f"questionnaire:{ident}",
        "form": f"form:{ident}", "form_field": f"form:{parent}",
        "checklist": f"checklist:{ident}", "checklist_item": f"checklist:{parent}",
        "script": f"script:{ident}", "term": "glossary", "case": "cases",
        "target_clients": "target_clients", "target_topic": "target_clients",
    }.get(kind, kind)


def title_of(model: Model, kind: str, ident: str) -> str:
    parent, _, child = ident.partition("/")
    tables: dict[str, Mapping[str, Any]] = {
        "parameter": model.parameters, "permission": model.permissions, "role": model.roles,
        "rule": model.rules, "flow": model.flows, "step": model.steps,
        "decision_table": model.decision_tables, "questionnaire": model.questionnaires,
        "form": model.forms, "checklist": model.checklists, "script": model.scripts,
        "term": model.terms, "case": model.cases,
    }
    found = tables.get(kind, {}).get(ident)
    if found is not None:
        for attr in ("title", "name", "term"):
            if getattr(found, attr, ""):
                return str(getattr(found, attr))
    if kind == "form_field" and parent in model.forms:
        return next((f.label for f in model.forms[parent].fields if f.id == child), ident)
    if kind == "checklist_item" and parent in model.checklists:
        return next((model.text(i.text) for i in model.checklists[parent].own_items
                     if i.id == child), ident)
    if model.meta and kind in ("governing_document", "principle", "stage"):
        items: tuple[Any, ...] = {"governing_document": model.meta.governing_documents,
                                  "principle": model.meta.principles,
                                  "stage": model.meta.stages}[kind]
        return next((str(getattr(i, "title", ident)) for i in items if i.id == ident), ident)
    if kind == "pack" and model.meta:
        return model.meta.title
    return ident


def _describe_provenance(p: Provenance) -> str:
    if p.drafted:
        return "起草" + (f"(依据 {p.based_on})" if p.based_on else "")
    return "源课件 " + p.citation


@_comparator
def _compare_provenance(ctx: _Context) -> Iterator[Change]:
    old = {(kind, ident): (prov, loc) for kind, ident, prov, loc in ctx.old.elements()}
    for kind, ident, prov, loc in ctx.new.elements():
        if (kind, ident) not in old:
            continue
        before, _ = old[(kind, ident)]
        if before.inherited and prov.inherited:
            continue  # reported once, on the element it is inherited from
        group = group_of(ctx.new, kind, ident)
        title = title_of(ctx.new, kind, ident)
        elements = ((kind, ident),)
        steps = (ident,) if kind == "step" else ()
        if before.status != prov.status:
            adopted = before.drafted and not prov.drafted
            yield Change(group, kind, ident, title, "adopted" if adopted else "unadopted", True,
                         "起草内容被采纳为依据课件的正式要求" if adopted
                         else "内容改为起草,审定前不作为制度执行",
                         aspect="来源", old=_describe_provenance(before),
                         new=_describe_provenance(prov), elements=elements, loc=loc,
                         steps=steps)
        elif prov.status == "sourced" and before.citation != prov.citation:
            yield Change(group, kind, ident, title, "changed", False, "出处标注", aspect="出处",
                         old=before.citation, new=prov.citation, elements=elements, loc=loc,
                         steps=steps)
