"""Decision tables: first what a table now decides differently
(:mod:`generator.diff.effects`), then the inputs, outputs and rows that make it so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.diff.changes import Change
from generator.diff.effects import decision_effects
from generator.diff.engine import (
    At,
    Context,
    Field,
    Spec,
    Text,
    aspects,
    by_id,
    listed,
    pairs,
    plain,
    presence,
)
from generator.diff.specs.provenance import provenance_at
from generator.model import Condition, DecisionTable, EnumSet, Interval, Model

_TABLE = (
    Field("命中策略", lambda t: t.hit_policy, True, "命中规则的方式改变"),
    Text("名称", lambda t: t.title),
    Text("说明", lambda t: t.summary),
)
_COLUMN = (
    Field("取值", lambda c: [v.id for v in c.values], True, "可选的取值改变",
          show=lambda _m, v: listed(v)),
    Field("单位", lambda c: getattr(c, "unit", ""), True, "单位改变", show=plain),
    Text("名称", lambda c: c.title),
)


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


def compare(ctx: Context) -> Iterator[Change]:
    yield from decision_effects(ctx.old, ctx.new)
    for tid, a, b in pairs(ctx.old.decision_tables, ctx.new.decision_tables):
        if a is None or b is None:
            el = b or a
            yield presence(At(f"decision_table:{tid}", "decision_table", tid, el.title, el.loc),
                           a, material=True, reason="决策规则改变")
            continue
        yield from _compare_table(ctx, a, b)


def _compare_table(ctx: Context, a: DecisionTable, b: DecisionTable) -> Iterator[Change]:
    g, tid = f"decision_table:{b.id}", b.id
    table = At(g, "decision_table", tid, b.title, b.loc)
    yield from aspects(ctx, table, a, b, _TABLE)
    in_table = (("decision_table", tid),)
    for kind, old_items, new_items in (("decision_input", a.inputs, b.inputs),
                                       ("decision_output", a.outputs, b.outputs)):
        for iid, x, y in pairs(by_id(old_items), by_id(new_items)):
            it = y or x
            at = At(g, kind, f"{tid}/{iid}", it.title, it.loc, in_table)
            if x is None or y is None:
                yield presence(at, x, material=True, reason="决策的输入或结果改变")
                continue
            yield from aspects(ctx, at, x, y, _COLUMN)
    for rid, x, y in pairs(by_id(a.rows), by_id(b.rows)):
        row = y or x
        at = At(g, "decision_row", f"{tid}/{rid}", rid, row.loc, in_table)
        if x is None or y is None:
            model, side = (ctx.new, b) if x is None else (ctx.old, a)
            yield presence(at, x, material=True, reason="决策结果改变",
                           shown=_describe_row(model, side, row))
            continue
        old_when = {k: _condition_key(v) for k, v in x.when.items()}
        new_when = {k: _condition_key(v) for k, v in y.when.items()}
        if old_when != new_when or dict(x.then) != dict(y.then):
            yield at.change("changed", material=True,
                            reason="条件或结果改变" if old_when != new_when else "决策结果改变",
                            aspect="条件与结果", old=_describe_row(ctx.old, a, x),
                            new=_describe_row(ctx.new, b, y))
        yield from ctx.reword(at, "备注", x.note, y.note, judge=False)


SPEC = Spec(
    "decision_table", compare, group="decision_table:{id}", element="decision_table",
    fields=("hit_policy", "title", "summary", "inputs[].values[].id", "inputs[].values@order",
            "inputs[].unit", "inputs[].title", "outputs[].values[].id",
            "outputs[].values@order", "outputs[].title", "rows[].when", "rows[].then",
            "rows[].note", *provenance_at("", "rows[]"),
            # Every input matches exactly one row (hit_policy: unique), so the order of
            # the rows never decides anything.
            "rows@order"),
)
