"""Decision tables: no gaps, no overlaps, no shadowed or redundant rows.

Each numeric input is split into elementary intervals at every bound the rows use
(and at its declared minimum and maximum): the points themselves and the open
intervals between them. A row's condition contains an elementary interval either
wholly or not at all, so one sample value per interval decides it. The table is
then explored as the product of every input's cells (enumeration values or
elementary intervals), carrying a bitmask of the rows that still match; a prefix
whose mask is empty is one gap, reported once for the whole region it spans.

Every finding carries a counterexample written as a ready-to-paste test case in
the ``cases`` format.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from generator.checks import check
from generator.checks._common import at, per_model
from generator.diagnostics import Diagnostic, Severity
from generator.model import (
    DecisionInput,
    DecisionTable,
    EnumSet,
    Interval,
    Loc,
    Model,
    Row,
    format_quantity,
)

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


# --- structure --------------------------------------------------------------------------


def _well_formed(table: DecisionTable) -> bool:
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


@check("decision.bad-condition", "规则行的条件只引用决策表的输入,且类型相符、取值已声明。")
def bad_condition(model: Model) -> Iterator[Diagnostic]:
    for table in model.decision_tables.values():
        inputs = {i.id: i for i in table.inputs}
        for row in table.rows:
            for name, cond in row.when.items():
                spec = inputs.get(name)
                if spec is None:
                    yield at(model, cond.loc, key=True).diagnostic(
                        "decision.bad-condition",
                        f"决策表 {table.id} 第 {row.id} 行的条件引用了不存在的输入 “{name}”。",
                        f"输入有:{'、'.join(inputs)}。")
                elif spec.type == "number" and not isinstance(cond, Interval):
                    yield cond.loc.diagnostic(
                        "decision.bad-condition",
                        f"输入 {name} 是数值,第 {row.id} 行却给了取值列表。",
                        "数值条件写作 {gte: 下限, lt: 上限}。")
                elif spec.type == "enum" and isinstance(cond, Interval):
                    yield cond.loc.diagnostic(
                        "decision.bad-condition",
                        f"输入 {name} 是枚举,第 {row.id} 行却给了数值区间。",
                        f"枚举条件写作取值列表,例如 [{spec.values[0].id}]。")
                elif isinstance(cond, EnumSet):
                    allowed = [v.id for v in spec.values]
                    for i, value in enumerate(cond.values):
                        if value not in allowed:
                            yield at(model, cond.loc, i).diagnostic(
                                "decision.bad-condition",
                                f"第 {row.id} 行的条件值 “{value}” 不是输入 {name} 的取值。",
                                f"{name} 的取值有:{'、'.join(allowed)}。")


@check("decision.bad-output", "每一行为每个输出给出一个已声明的值。")
def bad_output(model: Model) -> Iterator[Diagnostic]:
    for table in model.decision_tables.values():
        outputs = {o.id: o for o in table.outputs}
        for row in table.rows:
            for name, value in row.then.items():
                out = outputs.get(name)
                if out is None:
                    yield at(model, row.loc, "then", name, key=True).diagnostic(
                        "decision.bad-output",
                        f"决策表 {table.id} 第 {row.id} 行给出了不存在的输出 “{name}”。",
                        f"输出有:{'、'.join(outputs)}。")
                elif value not in [v.id for v in out.values]:
                    yield at(model, row.loc, "then", name).diagnostic(
                        "decision.bad-output",
                        f"第 {row.id} 行的结果 “{value}” 不是输出 {name} 的取值。",
                        f"{name} 的取值有:{'、'.join(v.id for v in out.values)}。")
            for name in outputs:
                if name not in row.then:
                    yield at(model, row.loc, "then").diagnostic(
                        "decision.bad-output",
                        f"决策表 {table.id} 第 {row.id} 行没有给出输出 {name} 的值。",
                        "每一行都要为每个输出给出结果。")
        for i, output in enumerate(table.outputs):
            produced = {row.then.get(output.id) for row in table.rows}
            for j, declared in enumerate(output.values):
                if declared.id not in produced:
                    yield at(model, table.loc, "outputs", i, "values", j).diagnostic(
                        "decision.bad-output",
                        f"决策表 {table.id} 的输出值 {output.id}: {declared.id} "
                        "没有任何规则行给出。",
                        "删除这个取值,或增加给出它的规则行;使用该决策表的决策环节"
                        "只需为规则行能给出的值设置结果。", severity=Severity.WARNING)


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


def _describe_point(table: DecisionTable, point: tuple[Cell, ...], n: int | None = None) -> str:
    return "、".join(describe(spec, c) for spec, c in list(zip(table.inputs, point,
                                                               strict=True))[:n])


# --- the checks -------------------------------------------------------------------------

@per_model
def analyses(model: Model) -> dict[str, Analysis]:
    """The analysis of every well-formed table (once per model)."""
    return {t.id: analyse_table(t) for t in model.decision_tables.values() if _well_formed(t)}


def _rows_loc(model: Model, table: DecisionTable) -> Loc:
    return at(model, table.loc, "rows", key=True)


@check("decision.gap", "决策表没有遗漏:每一种输入组合都有规则行匹配。")
def gap(model: Model) -> Iterator[Diagnostic]:
    for table_id, a in analyses(model).items():
        table = model.decision_tables[table_id]
        for n, (point, described) in enumerate(a.gaps, 1):
            total = (f"(共 {a.gap_count} 处,仅列出前 {MAX_GAPS} 处)"
                     if a.gap_count > MAX_GAPS else "")
            outputs = {o.id: "TODO" for o in table.outputs}
            yield _rows_loc(model, table).diagnostic(
                "decision.gap",
                f"决策表 {table.id} 有遗漏{total}:"
                f"{_describe_point(table, point, described)} 时没有任何规则行匹配。",
                "增加一行覆盖这些输入,或放宽相邻行的条件;边界值请注意 gte/gt、lte/lt 的区别。",
                related=case_yaml(table, point, f"{table.id}_gap_{n}",
                                  f"决策表 {table.id} 遗漏的输入", outputs, "没有规则行给出结果"))


@check("decision.overlap", "决策表没有重叠:任何输入不会同时匹配结果不同的两行。")
def overlap(model: Model) -> Iterator[Diagnostic]:
    for table_id, a in analyses(model).items():
        table = model.decision_tables[table_id]
        shadowed = _shadowed(table, a)
        for (i, j), point in a.pairs.items():
            first, second = table.rows[i], table.rows[j]
            if j in shadowed or dict(first.then) == dict(second.then):
                continue
            yield second.loc.diagnostic(
                "decision.overlap",
                f"决策表 {table.id} 的第 {first.id} 行和第 {second.id} 行重叠且结果不同:"
                f"{_describe_point(table, point)} 时两行都匹配。",
                "收窄其中一行的条件,使每种输入只匹配一行(hit_policy: unique)。",
                related=case_yaml(table, point, f"{table.id}_overlap_{first.id}_{second.id}",
                                  f"决策表 {table.id} 重叠的输入", dict(first.then),
                                  f"第 {second.id} 行给出 "
                                  + ",".join(f"{k}: {v}" for k, v in second.then.items())))


@check("decision.redundant", "决策表中结果相同的两行也不应重叠(每种输入只匹配一行)。")
def redundant(model: Model) -> Iterator[Diagnostic]:
    for table_id, a in analyses(model).items():
        table = model.decision_tables[table_id]
        shadowed = _shadowed(table, a)
        for (i, j), point in a.pairs.items():
            first, second = table.rows[i], table.rows[j]
            if j in shadowed or dict(first.then) != dict(second.then):
                continue
            yield second.loc.diagnostic(
                "decision.redundant",
                f"决策表 {table.id} 的第 {first.id} 行和第 {second.id} 行重叠(结果相同):"
                f"{_describe_point(table, point)} 时两行都匹配。",
                "合并这两行,或收窄其中一行的条件。",
                severity=Severity.WARNING,
                related=case_yaml(table, point, f"{table.id}_{first.id}_{second.id}",
                                  f"决策表 {table.id} 两行都匹配的输入", dict(first.then)))


def _shadowed(table: DecisionTable, a: Analysis) -> set[int]:
    return {j for j in a.matched if j not in a.first}


@check("decision.shadowed", "决策表中每一行都有它独自决定的输入(不被前面的行完全覆盖)。")
def shadowed(model: Model) -> Iterator[Diagnostic]:
    for table_id, a in analyses(model).items():
        table = model.decision_tables[table_id]
        for j in sorted(_shadowed(table, a)):
            row = table.rows[j]
            earlier = [table.rows[i].id for i in sorted(a.cover.get(j, ()))]
            point = next(p for (x, y), p in a.pairs.items() if y == j)
            yield row.loc.diagnostic(
                "decision.shadowed",
                f"决策表 {table.id} 的第 {row.id} 行被前面的行({'、'.join(earlier)})完全覆盖,"
                "它匹配的每种输入都已由前面的行决定。",
                "删除这一行,或改正它或前面行的条件。",
                related=case_yaml(table, point, f"{table.id}_{row.id}_shadowed",
                                  f"决策表 {table.id} 第 {row.id} 行匹配的输入", dict(row.then),
                                  "前面的行也匹配"))


@check("decision.empty-row", "决策表中每一行的条件都有输入能满足。")
def empty_row(model: Model) -> Iterator[Diagnostic]:
    for table_id, a in analyses(model).items():
        table = model.decision_tables[table_id]
        for j, row in enumerate(table.rows):
            if j not in a.matched:
                yield row.loc.diagnostic(
                    "decision.empty-row",
                    f"决策表 {table.id} 的第 {row.id} 行没有任何输入能满足,永远不会被使用。",
                    "检查区间的下限是否小于上限、是否在输入的 minimum 与 maximum 之间,"
                    "以及枚举条件的取值是否已声明。")
