"""What a change does to a decision: the same situation, a different result.

A threshold moved in ``parameters.yaml`` or a row's condition rewritten changes
which clients are eligible. Rather than leave the reviewer to work that out, both
versions of each decision table are evaluated on every region of the input space
that either version distinguishes (each bound exactly, between bounds, beyond
them; every enumerated value) and the regions whose result differs are listed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from generator.diff.changes import Change
from generator.model import DecisionTable, EnumSet, Interval, Model, format_quantity

MAX_CASES = 5000
"""Tables with more input combinations than this are not sampled."""
MAX_SHOWN = 4


@dataclass(frozen=True, slots=True)
class _Region:
    value: float | str
    label: str


def _numeric_regions(name: str, unit: str, minimum: float | None,
                     tables: tuple[DecisionTable, ...]) -> list[_Region]:
    bounds = sorted({b.value for t in tables for row in t.rows
                     for cond in [row.when.get(name)] if isinstance(cond, Interval)
                     for b in (cond.low, cond.high) if b is not None and b.value == b.value})

    def show(x: float) -> str:
        return format_quantity(x, unit)

    if not bounds:
        return [_Region(minimum if minimum is not None else 0.0, "任意")]
    regions: list[_Region] = []
    below = bounds[0] - max(1.0, abs(bounds[0]) / 2)
    if minimum is None or below >= minimum:
        regions.append(_Region(below, f"< {show(bounds[0])}"))
    for low, high in itertools.pairwise(bounds):
        regions.append(_Region(low, f"= {show(low)}"))
        regions.append(_Region((low + high) / 2, f"介于 {show(low)} 与 {show(high)} 之间"))
    regions.append(_Region(bounds[-1], f"= {show(bounds[-1])}"))
    regions.append(_Region(bounds[-1] + max(1.0, abs(bounds[-1]) / 2), f"> {show(bounds[-1])}"))
    return regions


def _enum_regions(name: str, tables: tuple[DecisionTable, ...]) -> list[_Region]:
    titles: dict[str, str] = {}
    for t in tables:
        for i in t.inputs:
            if i.id == name:
                titles.update({v.id: v.title for v in i.values})
        for row in t.rows:
            cond = row.when.get(name)
            if isinstance(cond, EnumSet):
                for v in cond.values:
                    titles.setdefault(v, v)
    return [_Region(v, title) for v, title in titles.items()]


def _result(table: DecisionTable, inputs: dict[str, float | str]) -> str:
    rows = table.evaluate(inputs)
    if not rows:
        return "(没有结果)"
    if len(rows) > 1:
        return "(多个结果:" + "、".join(r.id for r in rows) + ")"
    titles = {v.id: v.title for o in table.outputs for v in o.values}
    return ",".join(titles.get(v, v) for v in rows[0].then.values())


def decision_effects(old: Model, new: Model) -> Iterator[Change]:
    for tid, b in new.decision_tables.items():
        a = old.decision_tables.get(tid)
        if a is None:
            continue
        names = [i.id for i in b.inputs if i.id in {x.id for x in a.inputs}]
        axes: list[list[_Region]] = []
        titles = []
        for name in names:
            spec = next(i for i in b.inputs if i.id == name)
            titles.append(spec.title)
            if spec.type == "number":
                axes.append(_numeric_regions(name, spec.unit, spec.minimum, (a, b)))
            else:
                axes.append(_enum_regions(name, (a, b)))
        if not axes or any(not axis for axis in axes):
            continue
        total = 1
        for axis in axes:
            total *= len(axis)
        if total > MAX_CASES:
            continue
        differing: list[tuple[str, str, str]] = []
        for combo in itertools.product(*axes):
            inputs = {n: r.value for n, r in zip(names, combo, strict=True)}
            before, after = _result(a, inputs), _result(b, inputs)
            if before != after:
                where = " 且 ".join(
                    f"{t}为“{r.label}”" if isinstance(r.value, str) else f"{t} {r.label}"
                    for t, r in zip(titles, combo, strict=True) if r.label != "任意")
                differing.append((where, before, after))
        if not differing:
            continue
        shown = [f"{w}:{x} → {y}" for w, x, y in differing[:MAX_SHOWN]]
        more = f";另有 {len(differing) - MAX_SHOWN} 种情况" if len(differing) > MAX_SHOWN else ""
        yield Change(f"decision_table:{tid}", "decision_table", tid, b.title, "changed",
                     material=True, reason="同样的情况得到不同的审定结果", aspect="审定结果",
                     new=";".join(shown) + more, loc=b.loc,
                     elements=(("decision_table", tid),))
