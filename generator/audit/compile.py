"""Controls → SQL, once: each control becomes two sqlglot expression trees (its
violations and the number of rows or groups it checked) over typed views named after
the registers. The trees are dialect-free; :func:`sql` renders them for DuckDB or Spark,
so both engines run the same compiled controls (no second hand-written set).

Every violation row has three columns: ``key`` (the row's key, or the group's values,
joined by ``|``), ``unit`` (the register's unit column, when the register declares one
and the check is per row or grouped by it) and ``detail`` (the values that decided).

Semantics, the same on every engine: a condition that is unknown (an empty cell in a
comparison) is not satisfied; ``where`` keeps the rows it is true for; a ``reference``
checks only rows with a value; ``within`` checks only rows with its ``after`` date, and
the deadline is ``after + period`` (its last day included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

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
class Compiled:
    control: Control
    violations: exp.Select
    checked: exp.Select
    unit: str
    """What ``checked`` counts: 行 or 组."""
    register: Register | None = None
    """The control's register (set by :meth:`Compiler.compile`)."""
    row_scope: exp.Expr | None = None
    """For a check per row: the rows it checks, so that the counts of every such control
    of a register come from one scan (:func:`row_counts`) rather than one each."""


def sql(expression: exp.Expr, dialect: str) -> str:
    """The expression in ``dialect`` (``duckdb`` or ``spark``), every identifier quoted."""
    return expression.sql(dialect=dialect, identify=True)


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

    def compile(self, control: Control) -> Compiled:
        compiled = {"each": self._each, "count": self._grouped, "rate": self._grouped,
                    "reference": self._reference, "within": self._within}[control.check](control)
        return replace(compiled, register=self.register(control.register))

    def _select(self, reg: Register, detail: exp.Expr,
                where: exp.Expr) -> exp.Select:
        source = exp.to_table(reg.id, alias=THIS, quoted=True)
        return (exp.select(self.key(reg).as_("key"), self.unit(reg).as_("unit"),
                           detail.as_("detail"))
                .from_(source).where(where))

    def _count(self, reg: Register, where: exp.Expr) -> exp.Select:
        """Rows checked, per unit when the register has a unit column."""
        table = exp.to_table(reg.id, alias=THIS, quoted=True)
        select = exp.select(self.unit(reg).as_("unit"),
                            exp.Count(this=exp.Star()).as_("checked")).from_(table).where(where)
        return select.group_by(col(reg.unit_column)) if reg.unit_column else select

    def _detail(self, reg: Register, control: Control) -> exp.Expr:
        names = [c.column for c in control.conditions() if c.column]
        names += [c.to_column for c in control.conditions() if c.to_column]
        names = [n for n in dict.fromkeys(names) if reg.column(n) and n not in reg.key]
        return _join("; ", [_shown(n) for n in names]) if names else exp.Literal.string("")

    def _each(self, control: Control) -> Compiled:
        reg = self.register(control.register)
        assert control.require is not None
        scope = self.scope(control, reg)
        broken = self.violated(control.require, reg, THIS)
        return Compiled(control, self._select(reg, self._detail(reg, control),
                                              exp.and_(scope, broken)),
                        self._count(reg, scope), "行", row_scope=scope)

    def _grouped(self, control: Control) -> Compiled:
        reg = self.register(control.register)
        assert control.bound is not None
        groups = list(control.group_by)
        scope = self.scope(control, reg, *(exp.Not(this=exp.Is(this=col(g), expression=exp.Null()))
                                           for g in groups))
        rows = exp.Count(this=exp.Star())
        limit = _number(self.model.parameters[control.bound.param].value)
        if control.check == "count":
            measured: exp.Expr = rows
            detail = _concat(exp.Literal.string("行数="), exp.cast(rows, "VARCHAR"))
            ok: exp.Expr = (exp.LTE if control.bound.direction == "at_most" else exp.GTE)(
                this=rows, expression=limit)
        else:
            assert control.require is not None
            counted = exp.Sum(this=exp.If(this=self.holds(self.condition(control.require, reg,
                                                                          THIS)),
                                          true=exp.Literal.number(1),
                                          false=exp.Literal.number(0)))
            measured = exp.Mul(this=counted, expression=exp.Literal.number(100))
            detail = _concat(exp.Literal.string("满足="), exp.cast(counted, "VARCHAR"),
                             exp.Literal.string("; 行数="), exp.cast(rows, "VARCHAR"))
            ok = (exp.LTE if control.bound.direction == "at_most" else exp.GTE)(
                this=measured, expression=exp.Mul(this=limit, expression=rows))
        key = (_join("|", [exp.cast(col(g), "VARCHAR") for g in groups]) if groups
               else exp.Literal.string("(全部)"))
        unit = self.unit(reg, groups)
        table = exp.to_table(reg.id, alias=THIS, quoted=True)
        violations = (exp.select(key.as_("key"), unit.as_("unit"), detail.as_("detail"))
                      .from_(table).where(scope))
        if groups:
            violations = violations.group_by(*(col(g) for g in groups))
        violations = violations.having(exp.not_(ok))
        inner = exp.select(unit.as_("unit")).from_(table).where(scope)
        if groups:
            inner = inner.group_by(*(col(g) for g in groups))
        else:
            inner = inner.having(exp.GT(this=exp.Count(this=exp.Star()),
                                        expression=exp.Literal.number(0)))
        unit_of = exp.column("unit", table="g", quoted=True)
        checked = exp.select(unit_of.as_("unit"), exp.Count(this=exp.Star()).as_("checked")
                             ).from_(inner.subquery("g", copy=False)).group_by(unit_of)
        return Compiled(control, violations, checked, "组")

    def _reference(self, control: Control) -> Compiled:
        reg = self.register(control.register)
        ref = control.reference
        assert ref is not None
        target = self.register(ref.register)
        target_key = target.key[0]
        on = exp.and_(exp.EQ(this=col(ref.column), expression=col(target_key, OTHER)),
                      *(exp.EQ(this=col(theirs, OTHER), expression=col(ours))
                        for theirs, ours in ref.match))
        joined = exp.Join(this=exp.to_table(target.id, alias=OTHER, quoted=True),
                          on=on, side="LEFT")
        has_value = exp.Not(this=exp.Is(this=col(ref.column), expression=exp.Null()))
        scope = self.scope(control, reg, has_value)
        missing = exp.Is(this=col(target_key, OTHER), expression=exp.Null())
        broken: exp.Expr = missing
        shown = [c.column for c in ref.require.walk() if c.column] if ref.require else []
        if ref.require:
            broken = exp.or_(missing, self.violated(ref.require, target, OTHER))
        found = _join("; ", [_shown(n, OTHER, f"{target.id}.{n}")
                             for n in dict.fromkeys(shown)]) if shown else exp.Literal.string(
            f"{target.id}=存在")
        detail = _concat(_shown(ref.column), exp.Literal.string("; "),
                         exp.Case(ifs=[exp.If(this=missing,
                                              true=exp.Literal.string(f"{target.id}=未找到"))],
                                  default=found))
        violations = self._select(reg, detail, exp.and_(scope, broken)).join(joined)
        checked = self._count(reg, scope)
        # The register is joined only for violations; counting needs no join.
        return Compiled(control, violations, checked, "行", row_scope=scope)

    def deadline(self, control: Control) -> exp.Expr:
        w = control.within
        assert w is not None
        param = self.model.parameters[w.period]
        unit = PERIOD_UNITS[param.unit]
        return exp.cast(exp.DateAdd(this=col(w.after), expression=_number(param.value),
                                    unit=exp.Var(this=unit)), "DATE")

    def _within(self, control: Control) -> Compiled:
        reg = self.register(control.register)
        w = control.within
        assert w is not None
        as_of = exp.cast(exp.Literal.string(self.as_of.isoformat()), "DATE")
        has_after = exp.Not(this=exp.Is(this=col(w.after), expression=exp.Null()))
        scope = self.scope(control, reg, has_after)
        deadline = self.deadline(control)
        date = (exp.Coalesce(this=col(w.date), expressions=[as_of]) if w.date else as_of)
        late = exp.GT(this=date, expression=deadline)
        parts = [_shown(w.after)]
        if w.date:
            parts.append(_shown(w.date))
        parts.append(_concat(exp.Literal.string("期限="), exp.cast(deadline, "VARCHAR")))
        return Compiled(control, self._select(reg, _join("; ", parts), exp.and_(scope, late)),
                        self._count(reg, scope), "行", row_scope=scope)


def row_counts(reg: Register, compiled: Sequence[Compiled]) -> exp.Select:
    """One scan of ``reg`` counting the rows each of ``compiled`` (checks per row of
    ``reg``) checks: columns ``unit``, ``c0``, ``c1``, …, per unit when ``reg`` has one."""
    sums = [exp.Sum(this=exp.If(this=exp.Coalesce(this=exp.paren(c.row_scope),
                                                  expressions=[exp.false()]),
                                true=exp.Literal.number(1), false=exp.Literal.number(0))
                    ).as_(f"c{i}") for i, c in enumerate(compiled) if c.row_scope is not None]
    unit = (exp.cast(col(reg.unit_column), "VARCHAR") if reg.unit_column
            else exp.cast(exp.Null(), "VARCHAR"))
    select = exp.select(unit.as_("unit"), *sums).from_(
        exp.to_table(reg.id, alias=THIS, quoted=True))
    return select.group_by(col(reg.unit_column)) if reg.unit_column else select


def compile_controls(model: Model, as_of: dt.date) -> list[Compiled]:
    """Every control of ``model`` whose registers exist, in file order."""
    compiler = Compiler(model, as_of)
    return [compiler.compile(c) for c in model.controls.values()]
