"""Decision tables: no gaps, no overlaps, no shadowed or redundant rows; conditions and
outputs that refer to what the table declares.

The analysis of a table (its cells, the walk over their product, counterexamples as
test cases) is :mod:`generator.checks._tables`; this module registers the checks that
report it.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at, per_model
from generator.checks._tables import (
    INTEGER_UNITS,
    MAX_GAPS,
    Analysis,
    Cell,
    analyse_table,
    case_yaml,
    describe,
    describe_point,
    number_cells,
    well_formed,
)
from generator.diagnostics import Diagnostic, Severity
from generator.model import DecisionTable, EnumSet, Interval, Loc, Model

__all__ = [  # the analysis, for those who imported it from here
    "INTEGER_UNITS", "MAX_GAPS", "Analysis", "Cell", "analyse_table", "case_yaml", "describe",
    "number_cells",
]  # fmt: skip


# --- conditions and outputs -------------------------------------------------------------


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


# --- the checks -------------------------------------------------------------------------

@per_model
def analyses(model: Model) -> dict[str, Analysis]:
    """The analysis of every well-formed table (once per model)."""
    return {t.id: analyse_table(t) for t in model.decision_tables.values() if well_formed(t)}


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
                f"{describe_point(table, point, described)} 时没有任何规则行匹配。",
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
                f"{describe_point(table, point)} 时两行都匹配。",
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
                f"{describe_point(table, point)} 时两行都匹配。",
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
