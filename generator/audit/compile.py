"""Controls → sqlglot expression trees, once: a per-row control becomes its scope (the
rows it checks), the condition under which a row in scope breaks it, the detail shown
(the values that decided) and, for a reference, the join to the other register; a
per-group control becomes its scope, its groups, what a rate counts and its bound.
:mod:`generator.audit.scan` assembles them into one query per register. The trees are
dialect-free; :func:`sql` renders them for DuckDB or Spark, so both engines run the same
compiled controls (no second hand-written set).

Semantics, the same on every engine: a condition that is unknown (an empty cell in a
comparison) is not satisfied; ``where`` keeps the rows it is true for; a ``reference``
checks only rows with a value; ``within`` checks only rows with its ``after`` date, and
the deadline is ``after + period`` (its last day included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlglot import exp

from generator.model import Model
from generator.model.registers import (
    PERIOD_UNITS,
    Column,
    Condition,
    Control,
    Register,
    Scalar,
)

SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "decimal": "DECIMAL(18, 2)",
             "date": "DATE", "boolean": "BOOLEAN"}
THIS, OTHER = "t", "r"
"""Table aliases: the control's register, the referenced one."""
EMPTY = "∅"
"""How an empty cell shows in a violation's detail."""


@dataclass(frozen=True, slots=True)
class RowCheck:
    """A check of each row: the rows it checks (``scope``), those of them that break it
    (``broken``: never NULL in scope), what decided (``detail``) and the referenced
    register it joins, if any."""

    scope: exp.Expr
    broken: exp.Expr
    detail: exp.Expr
    join: exp.Join | None = None


@dataclass(frozen=True, slots=True)
class GroupCheck:
    """A check of each group of ``groups``: its rows in scope are counted (``n``) and,
    for a rate, those satisfying ``counted`` (``m``); :meth:`Compiled.ok` decides."""

    scope: exp.Expr
    groups: tuple[str, ...]
    counted: exp.Expr | None
    limit: exp.Expr
    at_most: bool


@dataclass(frozen=True, slots=True)
class Compiled:
    control: Control
    register: Register
    row: RowCheck | None = None
    group: GroupCheck | None = None

    @property
    def unit(self) -> str:
        """What the control checks: 行 (rows) or 组 (groups)."""
        return "行" if self.row is not None else "组"

    def ok(self, n: exp.Expr, m: exp.Expr) -> exp.Expr:
        """A group of ``n`` rows in scope, ``m`` of them counted, passes."""
        g = self.group
        assert g is not None
        if g.counted is None:
            measured, bound = n, g.limit
        else:
            measured = exp.Mul(this=m, expression=exp.Literal.number(100))
            bound = exp.Mul(this=g.limit, expression=n)
        return (exp.LTE if g.at_most else exp.GTE)(this=measured, expression=bound)

    def detail(self, n: exp.Expr, m: exp.Expr) -> exp.Expr:
        g = self.group
        assert g is not None
        if g.counted is None:
            return _concat(exp.Literal.string("行数="), exp.cast(n, "VARCHAR"))
        return _concat(exp.Literal.string("满足="), exp.cast(m, "VARCHAR"),
                       exp.Literal.string("; 行数="), exp.cast(n, "VARCHAR"))


def sql(expression: exp.Expr, dialect: str) -> str:
    """The expression in ``dialect`` (``duckdb`` or ``spark``), every identifier quoted.
    The tree is rendered as it is, not copied first: every query is built for the one
    call that renders it (sqlglot may rewrite it while rendering)."""
    return expression.sql(dialect=dialect, identify=True, copy=False)


def col(name: str, table: str = THIS) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _type(name: str) -> exp.DataType:
    return exp.DataType.build(SQL_TYPES[name])


def _text(e: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=exp.cast(e, "VARCHAR"), expressions=[exp.Literal.string(EMPTY)])


def _concat(*parts: exp.Expr) -> exp.Expr:
    return exp.Concat(expressions=list(parts), safe=True, coalesce=False)


def _join(sep: str, parts: Sequence[exp.Expr]) -> exp.Expr:
    if len(parts) == 1:
        return parts[0]
    out: list[exp.Expr] = []
    for i, p in enumerate(parts):
        if i:
            out.append(exp.Literal.string(sep))
        out.append(p)
    return _concat(*out)


def _shown(name: str, table: str = THIS, label: str = "") -> exp.Expr:
    return _concat(exp.Literal.string(f"{label or name}="), _text(col(name, table)))


def _literal(value: Scalar, column: Column | None) -> exp.Expr:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if column is not None and column.type == "date":
        return exp.cast(exp.Literal.string(value), "DATE")
    return exp.Literal.string(value)


def _number(value: float | int) -> exp.Expr:
    number: float | int = int(value) if float(value).is_integer() else value
    return exp.Literal.number(number)


_COMPARE = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}


class Compiler:
    def __init__(self, model: Model, as_of: dt.date) -> None:
        self.model = model
        self.as_of = as_of

    def register(self, register_id: str) -> Register:
        return self.model.registers[register_id]

    def condition(self, cond: Condition, register: Register, table: str) -> exp.Expr:
        if cond.op in ("all", "any"):
            parts = [self.condition(p, register, table) for p in cond.parts]
            return exp.and_(*parts) if cond.op == "all" else exp.or_(*parts)
        if cond.op == "not":
            return exp.not_(exp.paren(self.condition(cond.parts[0], register, table)))
        column = register.column(cond.column)
        this = col(cond.column, table)
        if cond.op == "present":
            present = exp.Not(this=exp.Is(this=this, expression=exp.Null()))
            return present if cond.present else exp.Is(this=this, expression=exp.Null())
        if cond.op == "in":
            return this.isin(*(_literal(v, column) for v in cond.values))
        if cond.param:
            other: exp.Expr = _number(self.model.parameters[cond.param].value)
        elif cond.to_column:
            other = col(cond.to_column, table)
        else:
            assert cond.value is not None
            other = _literal(cond.value, column)
        return _COMPARE[cond.operator](this=this, expression=other)

    def violated(self, cond: Condition, register: Register, table: str) -> exp.Expr:
        """True exactly where ``cond`` is not satisfied (an unknown comparison is not),
        never NULL; written without ``NOT COALESCE(…)`` so that engines push it into
        their scans like a hand-written filter."""
        if cond.op in ("all", "any"):
            parts = [self.violated(p, register, table) for p in cond.parts]
            return exp.or_(*parts) if cond.op == "all" else exp.and_(*parts)
        if cond.op == "not":
            return self.holds(self.condition(cond.parts[0], register, table))
        this = col(cond.column, table)
        is_null = exp.Is(this=this, expression=exp.Null())
        if cond.op == "present":
            return is_null if cond.present else exp.Not(this=is_null)
        column = register.column(cond.column)
        if cond.op == "in":
            outside = exp.not_(this.isin(*(_literal(v, column) for v in cond.values)))
            return exp.paren(exp.or_(is_null, outside))
        nulls: list[exp.Expr] = [is_null]
        if cond.to_column:
            nulls.append(exp.Is(this=col(cond.to_column, table), expression=exp.Null()))
        broken = exp.not_(exp.paren(self.condition(cond, register, table)))
        return exp.paren(exp.or_(*nulls, broken))

    @staticmethod
    def holds(e: exp.Expr) -> exp.Expr:
        """True only where ``e`` is true (unknown is not satisfied)."""
        return exp.Coalesce(this=exp.paren(e), expressions=[exp.false()])

    def scope(self, control: Control, reg: Register, *extra: exp.Expr) -> exp.Expr:
        # In a WHERE clause an unknown condition already drops the row: no COALESCE.
        parts: list[exp.Expr] = (
            [exp.paren(self.condition(control.where, reg, THIS))] if control.where else [])
        parts += extra
        return exp.and_(*parts) if parts else exp.true()

    def key(self, reg: Register) -> exp.Expr:
        return _join("|", [exp.cast(col(k), "VARCHAR") for k in reg.key])

    def unit(self, reg: Register, group_by: Sequence[str] | None = None) -> exp.Expr:
        if reg.unit_column and (group_by is None or reg.unit_column in group_by):
            return exp.cast(col(reg.unit_column), "VARCHAR")
        return exp.cast(exp.Null(), "VARCHAR")

    def compile(self, control: Control, alias: str = OTHER) -> Compiled:
        """``alias`` names the referenced register's table (one per reference)."""
        reg = self.register(control.register)
        if control.check in ("count", "rate"):
            return Compiled(control, reg, group=self._grouped(control, reg))
        row = {"each": self._each, "reference": self._reference,
               "within": self._within}[control.check](control, reg, alias)
        return Compiled(control, reg, row=row)

    def _detail(self, reg: Register, control: Control) -> exp.Expr:
        names = [c.column for c in control.conditions() if c.column]
        names += [c.to_column for c in control.conditions() if c.to_column]
        names = [n for n in dict.fromkeys(names) if reg.column(n) and n not in reg.key]
        return _join("; ", [_shown(n) for n in names]) if names else exp.Literal.string("")

    def _each(self, control: Control, reg: Register, alias: str) -> RowCheck:
        assert control.require is not None
        return RowCheck(self.scope(control, reg), self.violated(control.require, reg, THIS),
                        self._detail(reg, control))

    def _grouped(self, control: Control, reg: Register) -> GroupCheck:
        assert control.bound is not None
        groups = tuple(control.group_by)
        scope = self.scope(control, reg, *(exp.Not(this=exp.Is(this=col(g), expression=exp.Null()))
                                           for g in groups))
        counted = None
        if control.check == "rate":
            assert control.require is not None
            counted = self.holds(self.condition(control.require, reg, THIS))
        limit = _number(self.model.parameters[control.bound.param].value)
        return GroupCheck(scope, groups, counted, limit, control.bound.direction == "at_most")

    def _reference(self, control: Control, reg: Register, alias: str) -> RowCheck:
        ref = control.reference
        assert ref is not None
        target = self.register(ref.register)
        target_key = target.key[0]
        on = exp.and_(exp.EQ(this=col(ref.column), expression=col(target_key, alias)),
                      *(exp.EQ(this=col(theirs, alias), expression=col(ours))
                        for theirs, ours in ref.match))
        joined = exp.Join(this=exp.to_table(target.id, alias=alias, quoted=True),
                          on=on, side="LEFT")
        has_value = exp.Not(this=exp.Is(this=col(ref.column), expression=exp.Null()))
        scope = self.scope(control, reg, has_value)
        missing = exp.Is(this=col(target_key, alias), expression=exp.Null())
        broken: exp.Expr = missing
        shown = [c.column for c in ref.require.walk() if c.column] if ref.require else []
        if ref.require:
            broken = exp.or_(missing, self.violated(ref.require, target, alias))
        found = _join("; ", [_shown(n, alias, f"{target.id}.{n}")
                             for n in dict.fromkeys(shown)]) if shown else exp.Literal.string(
            f"{target.id}=存在")
        detail = _concat(_shown(ref.column), exp.Literal.string("; "),
                         exp.Case(ifs=[exp.If(this=missing,
                                              true=exp.Literal.string(f"{target.id}=未找到"))],
                                  default=found))
        return RowCheck(scope, exp.paren(broken), detail, joined)

    def deadline(self, control: Control) -> exp.Expr:
        w = control.within
        assert w is not None
        param = self.model.parameters[w.period]
        unit = PERIOD_UNITS[param.unit]
        return exp.cast(exp.DateAdd(this=col(w.after), expression=_number(param.value),
                                    unit=exp.Var(this=unit)), "DATE")

    def _within(self, control: Control, reg: Register, alias: str) -> RowCheck:
        w = control.within
        assert w is not None
        as_of = exp.cast(exp.Literal.string(self.as_of.isoformat()), "DATE")
        has_after = exp.Not(this=exp.Is(this=col(w.after), expression=exp.Null()))
        scope = self.scope(control, reg, has_after)
        deadline = self.deadline(control)
        date = (exp.Coalesce(this=col(w.date), expressions=[as_of]) if w.date else as_of)
        parts = [_shown(w.after)]
        if w.date:
            parts.append(_shown(w.date))
        parts.append(_concat(exp.Literal.string("期限="), exp.cast(deadline, "VARCHAR")))
        return RowCheck(scope, exp.GT(this=date, expression=deadline), _join("; ", parts))


def compile_controls(model: Model, as_of: dt.date) -> list[Compiled]:
    """Every control of ``model``, in file order; each reference joins its register
    under its own alias (``r0``, ``r1``, …)."""
    compiler = Compiler(model, as_of)
    return [compiler.compile(c, f"{OTHER}{i}") for i, c in enumerate(model.controls.values())]
