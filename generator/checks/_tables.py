"""The analysis of a decision table: where no row matches (gaps), where two rows do
(overlaps), and which rows never decide (shadowed, empty). No checks are registered
here; :mod:`generator.checks.decisions` reports what this finds.

Each numeric input is split into elementary intervals at every bound the rows use
(and at its declared minimum and maximum): the points themselves and the open
intervals between them. A row's condition contains an elementary interval either
wholly or not at all, so one sample value per interval decides it. The table is
then explored as the product of every input's cells (enumeration values or
elementary intervals), carrying a bitmask of the rows that still match; a prefix
whose mask is empty is one gap, reported once for the whole region it spans.

Every finding carries a counterexample (:func:`case_yaml`) written as a ready-to-paste test case in
the ``cases`` format.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.model import DecisionInput, DecisionTable, Interval, Row, format_quantity

INTEGER_UNITS = frozenset({"名", "个", "天", "分"})
"""Units counted in whole numbers: no gap hides between 199 and 200 名."""

MAX_GAPS = 5
"""Gaps reported per table; the message gives the total."""


@dataclass(frozen=True, slots=True)
class Cell:
    """A set of inputs that every row treats alike: an elementary interval of a
    numeric input, or enumeration values. ``value`` is the sample for test cases."""

    value: float | str
    lo: float = -math.inf
    lo_incl: bool = False
    hi: float = math.inf
    hi_incl: bool = False
    values: tuple[str, ...] = ()


def _merge(run: list[Cell]) -> Cell:
    """Adjacent cells as one region (a gap is reported once, not per elementary cell)."""
    first, last = run[0], run[-1]
    return Cell(first.value, first.lo, first.lo_incl, last.hi, last.hi_incl,
                tuple(v for c in run for v in c.values))


def describe(spec: DecisionInput, cell: Cell) -> str:
    if spec.type == "enum":
        return f"{spec.id} 为 {'、'.join(cell.values)}"

    def q(x: float) -> str:
        return format_quantity(_number(x), spec.unit) if spec.unit else _show(x)

    if cell.lo == cell.hi:
        return f"{spec.id} = {q(cell.lo)}"
    parts = []
    if math.isfinite(cell.lo):
        parts.append(("≥ " if cell.lo_incl else "> ") + q(cell.lo))
    if math.isfinite(cell.hi):
        parts.append(("≤ " if cell.hi_incl else "< ") + q(cell.hi))
    return f"{spec.id} " + " 且 ".join(parts) if parts else f"{spec.id} 任意"


@dataclass(slots=True)
class Analysis:
    gaps: list[tuple[tuple[Cell, ...], int]] = field(default_factory=list)
    """(a point in the gap, how many leading inputs describe it: the rest is “any”)."""
    gap_count: int = 0
    first: set[int] = field(default_factory=set)
    """Rows that are the first match somewhere."""
    matched: set[int] = field(default_factory=set)
    pairs: dict[tuple[int, int], tuple[Cell, ...]] = field(default_factory=dict)
    """(earlier row, later row) → a point both match."""
    cover: dict[int, set[int]] = field(default_factory=dict)
    """Row → earlier rows that match where it does."""


# --- a table the analysis can read ------------------------------------------------------


def well_formed(table: DecisionTable) -> bool:
    """Conditions on declared inputs of the right type, with known parameters
    (decision.bad-condition and ref.unknown-parameter report the others)."""
    inputs = {i.id: i for i in table.inputs}
    for row in table.rows:
        for name, cond in row.when.items():
            spec = inputs.get(name)
            if spec is None or (spec.type == "number") != isinstance(cond, Interval):
                return False
            if isinstance(cond, Interval) and any(
                    b is not None and math.isnan(b.value) for b in (cond.low, cond.high)):
                return False  # an unknown parameter: ref.unknown-parameter
    return True


# --- cells ------------------------------------------------------------------------------


def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _show(x: float) -> str:
    return f"{_number(x)}"


def number_cells(spec: DecisionInput, rows: tuple[Row, ...]) -> list[Cell]:
    """One sample per elementary interval of a numeric input's domain."""
    points: set[float] = set()
    for row in rows:
        cond = row.when.get(spec.id)
        if isinstance(cond, Interval):
            points.update(b.value for b in (cond.low, cond.high) if b is not None)
    lo = float(spec.minimum) if spec.minimum is not None else -math.inf
    hi = float(spec.maximum) if spec.maximum is not None else math.inf
    points.update(p for p in (lo, hi) if math.isfinite(p))
    inside = sorted(p for p in points if lo <= p <= hi)
    integer = spec.unit in INTEGER_UNITS
    cells: list[Cell] = []
    bounds = [lo, *inside, hi]
    for a, b in itertools.pairwise(bounds):
        if a < b:
            sample = _between(a, b, integer)
            if sample is not None:
                cells.append(Cell(sample, a, False, b, False))
        if b in inside and math.isfinite(b) and (not cells or cells[-1].lo != b):
            cells.append(Cell(b, b, True, b, True))
    return cells


def _between(a: float, b: float, integer: bool) -> float | None:
    """A readable value strictly between ``a`` and ``b`` (an integer when there is one)."""
    if math.isinf(a) and math.isinf(b):
        return 0.0
    if math.isinf(a):
        return float(math.ceil(b) - 1)
    if math.isinf(b):
        return float(math.floor(a) + 1)
    candidate = float(math.floor(a) + 1)
    if candidate < b:
        # the value just below the upper bound reads best for "a bit too little"
        top = float(math.ceil(b) - 1)
        return top if top > a else candidate
    return None if integer else (a + b) / 2


def _cells(table: DecisionTable) -> list[list[Cell]]:
    out = []
    for spec in table.inputs:
        if spec.type == "enum":
            out.append([Cell(v.id, values=(v.id,)) for v in spec.values])
        else:
            out.append(number_cells(spec, table.rows))
    return out


def _matches(row: Row, spec: DecisionInput, cell: Cell) -> bool:
    cond = row.when.get(spec.id)
    if cond is None:
        return True
    if isinstance(cond, Interval):
        return isinstance(cell.value, float | int) and cond.contains(float(cell.value))
    return cond.contains(str(cell.value))


def analyse_table(table: DecisionTable) -> Analysis:
    cells = _cells(table)
    n = len(table.rows)
    masks = [[sum(1 << j for j, row in enumerate(table.rows) if _matches(row, spec, c))
              for c in input_cells] for spec, input_cells in zip(table.inputs, cells, strict=True)]
    result = Analysis()
    chosen: list[Cell] = []
    everyone = (1 << n) - 1

    def gap(run: list[Cell], depth: int) -> None:
        result.gap_count += 1
        if len(result.gaps) < MAX_GAPS:
            rest = [c[0] for c in cells[depth + 1:]]
            result.gaps.append(((*chosen, _merge(run), *rest), depth + 1))

    def walk(depth: int, mask: int) -> None:
        if depth == len(cells):
            _record(result, mask, tuple(chosen))
            return
        run: list[Cell] = []  # adjacent cells no row matches, given the choices so far
        for cell, m in zip(cells[depth], masks[depth], strict=True):
            if mask & m == 0:
                run.append(cell)
                continue
            if run:
                gap(run, depth)
                run = []
            chosen.append(cell)
            walk(depth + 1, mask & m)
            chosen.pop()
        if run:
            gap(run, depth)

    if all(cells):
        walk(0, everyone)
    return result


def _record(result: Analysis, mask: int, point: tuple[Cell, ...]) -> None:
    rows = [j for j in range(mask.bit_length()) if mask >> j & 1]
    result.first.add(rows[0])
    result.matched.update(rows)
    for k, b in enumerate(rows):
        if k:
            result.cover.setdefault(b, set()).update(rows[:k])
        for a in rows[:k]:
            result.pairs.setdefault((a, b), point)


# --- counterexamples as test cases ------------------------------------------------------


def _yaml_scalar(value: object) -> str:
    if isinstance(value, float):
        return _show(value)
    return str(value)


def _parameter_bounds(table: DecisionTable, input_id: str) -> dict[float, str]:
    """Bound value → the parameter it was written as, for one numeric input."""
    found: dict[float, str] = {}
    for row in table.rows:
        cond = row.when.get(input_id)
        if isinstance(cond, Interval):
            for b in (cond.low, cond.high):
                if b is not None and b.parameter:
                    found[b.value] = b.parameter
    return found


def _input_yaml(table: DecisionTable, input_id: str, value: float | str) -> str:
    """A sample as a case input; next to a parameter bound it is written relative to the
    parameter, so that the pasted case keeps working when the parameter moves."""
    if isinstance(value, float):
        for bound, param in _parameter_bounds(table, input_id).items():
            offset = value - bound
            if offset == 0:
                return f"{{ param: {param} }}"
            if abs(offset) <= 1:
                return f"{{ param: {param}, offset: {_show(offset)} }}"
    return _yaml_scalar(value)


def case_yaml(table: DecisionTable, point: tuple[Cell, ...], case_id: str, title: str,
              expect: Mapping[str, str], comment: str = "") -> tuple[str, ...]:
    given = ", ".join(f"{spec.id}: {_input_yaml(table, spec.id, c.value)}"
                      for spec, c in zip(table.inputs, point, strict=True))
    wanted = ", ".join(f"{k}: {v}" for k, v in expect.items())
    rules = ", ".join(table.rules)
    lines = [
        "可作为测试案例粘贴到 cases/ 下的文件" + ("(请填写预期结果):" if "TODO" in wanted
                                               else ":"),
        f"  - id: {case_id}",
        f"    title: {title}",
        f"    rules: [{rules}]",
        f"    decision: {table.id}",
        f"    input: {{ {given} }}",
        f"    expect: {{ {wanted} }}" + (f"  # {comment}" if comment else ""),
    ]
    return tuple(lines)


def describe_point(table: DecisionTable, point: tuple[Cell, ...], n: int | None = None) -> str:
    """The point in words, by its first ``n`` inputs (all when None)."""
    return "、".join(describe(spec, c) for spec, c in list(zip(table.inputs, point,
                                                               strict=True))[:n])
