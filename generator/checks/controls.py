"""Audit controls fit their registers: every comparison compares a column with a value,
parameter or column of its type, every literal is one the column may hold, a period is
in days, months or years, and a reference names a register keyed by one column.

Unknown registers, columns and parameters are ``ref.unknown-*`` findings; these checks
skip what does not resolve, so one mistake is reported once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at
from generator.diagnostics import Diagnostic
from generator.kinds.controls import conditions
from generator.model import Loc, Model
from generator.model.registers import (
    NUMERIC,
    ORDERED,
    PERCENT_UNITS,
    PERIOD_UNITS,
    TYPE_LABELS,
    Column,
    Condition,
    Control,
    Scalar,
)

_HINT_TYPES = "列的类型在登记簿的 columns 中声明(string、integer、decimal、date、boolean)。"


def _column(model: Model, register: str, column: str) -> Column | None:
    reg = model.registers.get(register)
    return reg.column(column) if reg else None


def _label(col: Column) -> str:
    return f"{col.id}({TYPE_LABELS[col.type]})"


def _literal_fits(col: Column, value: Scalar) -> bool:
    if col.type == "boolean":
        return isinstance(value, bool)
    if col.type in NUMERIC:
        return isinstance(value, int | float) and not isinstance(value, bool) and (
            col.type == "decimal" or float(value).is_integer())
    return isinstance(value, str)


def _same_kind(a: Column, b: Column) -> bool:
    return a.type == b.type or (a.type in NUMERIC and b.type in NUMERIC)


def _mismatch(model: Model, loc: Loc, tokens: tuple[str | int, ...], message: str,
              hint: str = _HINT_TYPES) -> Diagnostic:
    return at(model, loc, *tokens).diagnostic("control.type-mismatch", message, hint)


def _condition_types(model: Model, c: Control, register: str,
                     cond: Condition) -> Iterator[Diagnostic]:
    col = _column(model, register, cond.column) if cond.column else None
    if col is None:
        return
    what = f"审计控制 {c.id} 的条件"
    if cond.op == "in":
        for i, value in enumerate(cond.values):
            if not _literal_fits(col, value):
                yield _mismatch(model, cond.loc, ("in", i),
                                f"{what}把 {_label(col)} 与 {value!r} 比较,类型不符。")
        return
    if cond.op != "compare":
        return
    if cond.operator not in ("=", "!=") and col.type not in ORDERED:
        yield _mismatch(model, cond.loc, ("op",),
                        f"{what}对 {_label(col)} 用了 “{cond.operator}”,是/否列只能比较相等。",
                        "是/否列用 op: \"=\" 或 \"!=\",或写 in: [true]。")
    if cond.param:
        param = model.parameters.get(cond.param)
        if param is not None and col.type not in NUMERIC:
            yield _mismatch(model, cond.loc, ("param",),
                            f"{what}把 {_label(col)} 与参数 {param.id}({param.display})比较;"
                            "参数是数值,只能与整数或金额列比较。")
    elif cond.to_column:
        other = _column(model, register, cond.to_column)
        if other is not None and not _same_kind(col, other):
            yield _mismatch(model, cond.loc, ("to_column",),
                            f"{what}把 {_label(col)} 与 {_label(other)} 比较,类型不符。")
    elif cond.value is not None and not _literal_fits(col, cond.value):
        yield _mismatch(model, cond.loc, ("value",),
                        f"{what}把 {_label(col)} 与 {cond.value!r} 比较,类型不符。",
                        _HINT_TYPES + "数字不加引号;是/否写 true 或 false;日期写 \"YYYY-MM-DD\"。")


def _bound_types(model: Model, c: Control) -> Iterator[Diagnostic]:
    if c.bound is None:
        return
    param = model.parameters.get(c.bound.param)
    if param is None:
        return
    percent = param.unit in PERCENT_UNITS
    if c.check == "rate" and not percent:
        yield c.bound.loc.diagnostic(
            "control.type-mismatch",
            f"审计控制 {c.id} 的比例限额参数 {param.id} 的单位是 “{param.unit}”,不是 %。",
            "比例(rate)与单位为 % 的参数比较;计数请用 count。")
    if c.check == "count" and (percent or param.unit in PERIOD_UNITS):
        yield c.bound.loc.diagnostic(
            "control.type-mismatch",
            f"审计控制 {c.id} 的计数限额参数 {param.id} 的单位是 “{param.unit}”,不是个数。",
            "计数(count)与单位为 名、个 等的参数比较;比例请用 rate,期限请用 within。")


def _within_types(model: Model, c: Control) -> Iterator[Diagnostic]:
    w = c.within
    if w is None:
        return
    for name in ("after", "date"):
        col = _column(model, c.register, getattr(w, name)) if getattr(w, name) else None
        if col is not None and col.type != "date":
            yield _mismatch(model, w.loc, (name,),
                            f"审计控制 {c.id} 的期限列 {_label(col)} 不是日期列。")


def _reference_types(model: Model, c: Control) -> Iterator[Diagnostic]:
    ref = c.reference
    target = model.registers.get(ref.register) if ref else None
    if ref is None or target is None or len(target.key) != 1:
        return
    mine = _column(model, c.register, ref.column)
    key = target.column(target.key[0])
    if mine is not None and key is not None and not _same_kind(mine, key):
        yield _mismatch(model, ref.loc, ("column",),
                        f"审计控制 {c.id} 以 {_label(mine)} 引用登记簿 {target.id} 的主键 "
                        f"{_label(key)},类型不符。")
    for theirs, ours in ref.match:
        a, b = target.column(theirs), _column(model, c.register, ours)
        if a is not None and b is not None and not _same_kind(a, b):
            yield _mismatch(model, ref.loc, ("match", theirs),
                            f"审计控制 {c.id} 要求 {target.id}.{_label(a)} 与 {_label(b)} 相同,"
                            "类型不符。")


@check("control.type-mismatch",
       "审计控制把列与同类型的值、参数或列比较;期限用日期列,比例用 % 参数。")
def type_mismatch(model: Model) -> Iterator[Diagnostic]:
    for c in model.controls.values():
        for register, cond in conditions(c):
            yield from _condition_types(model, c, register, cond)
        yield from _bound_types(model, c)
        yield from _within_types(model, c)
        yield from _reference_types(model, c)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _bad_values(model: Model, c: Control, register: str, cond: Condition) -> Iterator[Diagnostic]:
    col = _column(model, register, cond.column) if cond.column else None
    if col is None or cond.op not in ("in", "compare"):
        return
    values = [(("in", i), v) for i, v in enumerate(cond.values)] if cond.op == "in" else (
        [(("value",), cond.value)] if cond.value is not None else [])
    for tokens, value in values:
        if not isinstance(value, str):
            continue  # a wrong type is control.type-mismatch
        if col.values and value not in col.values:
            yield at(model, cond.loc, *tokens).diagnostic(
                "control.bad-value",
                f"审计控制 {c.id} 的条件中,列 {col.id} 不会取值 “{value}”。",
                f"该列的取值有:{'、'.join(col.values)}(登记簿 {register} 的 values)。")
        elif col.type == "date" and not _is_date(value):
            yield at(model, cond.loc, *tokens).diagnostic(
                "control.bad-value",
                f"审计控制 {c.id} 的条件中,“{value}” 不是日期。",
                "日期写作 \"YYYY-MM-DD\",如 \"2026-12-01\"。")


@check("control.bad-value", "审计控制中写的值是该列可取的值(取值范围内、日期格式正确)。")
def bad_value(model: Model) -> Iterator[Diagnostic]:
    for c in model.controls.values():
        for register, cond in conditions(c):
            yield from _bad_values(model, c, register, cond)


@check("control.bad-period", "期限控制的参数以天、个月或年为单位。")
def bad_period(model: Model) -> Iterator[Diagnostic]:
    for c in model.controls.values():
        w = c.within
        param = model.parameters.get(w.period) if w else None
        if w is None or param is None or param.unit in PERIOD_UNITS:
            continue
        yield at(model, w.loc, "period").diagnostic(
            "control.bad-period",
            f"审计控制 {c.id} 的期限参数 {param.id} 的单位是 “{param.unit}”,不是天、个月或年。",
            "期限(within)用单位为 天、个月 或 年 的参数;数值上限请用 each 的比较或 count。")


@check("control.bad-reference", "引用核对所指的登记簿以一列为主键。")
def bad_reference(model: Model) -> Iterator[Diagnostic]:
    for c in model.controls.values():
        ref = c.reference
        target = model.registers.get(ref.register) if ref else None
        if ref is None or target is None or len(target.key) == 1:
            continue
        yield at(model, ref.loc, "register").diagnostic(
            "control.bad-reference",
            f"审计控制 {c.id} 引用的登记簿 {target.id} 以 {'、'.join(target.key)} "
            "几列为主键,一列的值无法指明其中一行。",
            "被引用的登记簿须以一列为主键(如编号列);其余须一致的列写在 match 中。")
