"""Registers (``registers/*.yaml``): the data exports a bank keeps (clients, managers,
approvals), their typed columns and key; and the controls (``controls/*.yaml``) that
audit them against the rules: declarative checks ``policybook audit`` compiles to SQL.

A control is one of five checks over one register (after its ``where`` filter):

- ``each``: every row satisfies a condition;
- ``count``: the rows per group stay within a parameter (``at_most``/``at_least``);
- ``rate``: the share of rows per group that satisfy a condition stays within a
  parameter in per cent;
- ``reference``: a column's value names a row of another register (by its key),
  optionally one that satisfies a condition;
- ``within``: a date falls within a parameter's period (天, 个月, 年) of another date
  of the row, or the as-of date does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.model.core import Loc, Provenance

ColumnType = Literal["string", "integer", "decimal", "date", "boolean"]
COLUMN_TYPES: tuple[ColumnType, ...] = ("string", "integer", "decimal", "date", "boolean")
TYPE_LABELS = {"string": "文字", "integer": "整数", "decimal": "金额/小数", "date": "日期",
               "boolean": "是/否"}
NUMERIC = frozenset({"integer", "decimal"})
ORDERED = frozenset({"integer", "decimal", "date", "string"})
"""Types ``<``, ``<=``, ``>``, ``>=`` compare (strings in their code-point order)."""
PERIOD_UNITS = {"天": "DAY", "日": "DAY", "个月": "MONTH", "月": "MONTH", "年": "YEAR"}
"""Units a period parameter may have, and the SQL interval unit they become."""
PERCENT_UNITS = frozenset({"%", "％"})


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    title: str
    type: ColumnType
    loc: Loc
    header: str
    """The column's header in the file (an export's own name; default: the id)."""
    required: bool = False
    """Every row must have a value (an empty cell is bad data)."""
    values: tuple[str, ...] = ()
    """For a string column: the values it may hold (an enumeration)."""
    unit: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Register:
    id: str
    title: str
    source_system: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    provenance: Provenance
    loc: Loc
    title_en: str = ""
    description: str = ""
    unit_column: str = ""
    """The column naming the organisation unit a row belongs to (a centre): the audit
    report breaks violations down by it."""

    def column(self, column_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)


Scalar = str | int | float | bool


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition on one row: a comparison, a membership, presence, or ``all``/``any``/
    ``not`` of conditions."""

    op: Literal["all", "any", "not", "compare", "in", "present"]
    loc: Loc
    column: str = ""
    operator: str = ""
    """For ``compare``: ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``."""
    value: Scalar | None = None
    param: str = ""
    to_column: str = ""
    """For ``compare``: exactly one of ``value``, ``param`` and ``to_column`` is set."""
    values: tuple[Scalar, ...] = ()
    """For ``in``."""
    present: bool = True
    """For ``present``: ``true`` (the cell has a value) or ``false`` (it is empty)."""
    parts: tuple[Condition, ...] = ()

    def walk(self) -> list[Condition]:
        """This condition and every condition inside it."""
        return [self, *(c for p in self.parts for c in p.walk())]


@dataclass(frozen=True, slots=True)
class Bound:
    """A count or rate kept within a parameter: ``at_most`` or ``at_least``."""

    direction: Literal["at_most", "at_least"]
    param: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Reference:
    column: str
    register: str
    """The register whose key the column's value must name."""
    loc: Loc
    match: tuple[tuple[str, str], ...] = ()
    """(column of the referenced register, column of this one) that must be equal."""
    require: Condition | None = None
    """A condition the referenced row must satisfy (its columns)."""


@dataclass(frozen=True, slots=True)
class Within:
    after: str
    """The date column the period starts from; rows without it are not checked."""
    period: str
    """The parameter whose value and unit (天, 个月, 年) are the period."""
    loc: Loc
    date: str = ""
    """The date column that must fall in the period; ``""``: the as-of date must (a
    validity). An empty date is a violation once the period has ended on the as-of date."""


ControlCheck = Literal["each", "count", "rate", "reference", "within"]


@dataclass(frozen=True, slots=True)
class Control:
    id: str
    title: str
    check: ControlCheck
    register: str
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc
    description: str = ""
    where: Condition | None = None
    require: Condition | None = None
    """``each``: the condition every row satisfies; ``rate``: the rows counted."""
    group_by: tuple[str, ...] = ()
    bound: Bound | None = None
    reference: Reference | None = None
    within: Within | None = None

    @property
    def parameters(self) -> tuple[str, ...]:
        """The parameters the control reads, in the order it names them."""
        found: list[str] = []
        for cond in self.conditions():
            if cond.param:
                found.append(cond.param)
        if self.bound:
            found.append(self.bound.param)
        if self.within:
            found.append(self.within.period)
        return tuple(dict.fromkeys(found))

    def conditions(self) -> list[Condition]:
        """Every condition on this control's register (not the referenced one's)."""
        return [c for top in (self.where, self.require) if top for c in top.walk()]
