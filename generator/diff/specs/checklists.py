"""Checklists: the checks that must be done, at which step and by whom."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.diff.changes import Change
from generator.diff.engine import (
    NONE,
    At,
    Context,
    Field,
    Spec,
    Text,
    aspects,
    by_id,
    or_none,
    pairs,
    presence,
)
from generator.diff.specs.provenance import provenance_at
from generator.model import Checklist, Model

_CHECKLIST = (
    Text("编号", lambda c: c.code),
    Text("名称", lambda c: c.title),
    Text("说明", lambda c: c.summary),
    Text("抬头栏目", lambda c: "、".join(c.header_fields)),
    Text("续页栏目", lambda c: "、".join(c.page_fields)),
    Field("岗位", lambda c: c.collect_role, True, "清单面向的岗位改变", show=or_none),
    Field("流程", lambda c: c.flow, True, "清单对应的流程改变", show=or_none),
)


def _role(model: Model, item: Any) -> str:
    rid = model.item_role(item)
    r = model.roles.get(rid)
    return r.name if r else (rid or NONE)


def _step(model: Model, sid: str) -> str:
    s = model.steps.get(sid)
    return s.title if s else sid


def compare(ctx: Context) -> Iterator[Change]:
    for cid, a, b in pairs(ctx.old.checklists, ctx.new.checklists):
        if a is None or b is None:
            el = b or a
            yield presence(At(f"checklist:{cid}", "checklist", cid, el.title, el.loc), a,
                           material=True, reason="须完成的检查改变")
            continue
        yield from _compare_checklist(ctx, a, b)


def _compare_checklist(ctx: Context, a: Checklist, b: Checklist) -> Iterator[Change]:
    g, cid = f"checklist:{b.id}", b.id
    yield from aspects(ctx, At(g, "checklist", cid, b.title, b.loc), a, b, _CHECKLIST)
    for iid, x, y in pairs(by_id(a.own_items), by_id(b.own_items)):
        ident = f"{cid}/{iid}"
        els = (("checklist_item", ident),)
        if x is None or y is None:
            it = y or x
            model = ctx.new if x is None else ctx.old
            yield presence(At(g, "checklist_item", ident, model.text(it.text), it.loc, els), x,
                           material=True, reason="须完成的检查项改变",
                           shown=f"在“{_step(model, it.step)}”由{_role(model, it)}检查")
            continue
        at = At(g, "checklist_item", ident, ctx.new.text(y.text), y.loc, els)
        yield from ctx.reword(at, "检查内容", x.text, y.text)
        if x.step != y.step:
            yield at.change("changed", material=True, reason="检查的环节改变", aspect="环节",
                            old=_step(ctx.old, x.step), new=_step(ctx.new, y.step))
        if ctx.old.item_role(x) != ctx.new.item_role(y):
            derived = not x.role and not y.role and x.step == y.step
            yield at.change("reassigned", material=True,
                            reason="随所在环节改派,由谁检查改变" if derived else "由谁检查改变",
                            aspect="检查岗位", old=_role(ctx.old, x), new=_role(ctx.new, y))


SPEC = Spec(
    "checklist", compare, group="checklist:{id}", element="checklist",
    fields=("code", "title", "summary", "header_fields", "page_fields",
            "collect.role", "flow", "items[].text",
            "items[].step", "items[].role", *provenance_at("", "items[]")),
)
