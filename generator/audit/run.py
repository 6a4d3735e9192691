"""``audit()``: the data files checked, every control run, the result returned.

Read top to bottom: attach the files → check their headers, types and keys → create
the typed views → count what each control checks → collect the violations. The
registers stay in the engine; only counts and violations come back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from generator.audit.compile import Compiled, compile_controls, row_counts
from generator.audit.data import (
    SHOWN,
    DataError,
    DataFile,
    Problem,
    bad_rows,
    duplicate_keys,
)
from generator.audit.engines import Engine, create_typed_views
from generator.model import Model
from generator.model.registers import Control


@dataclass(frozen=True, slots=True)
class Violation:
    control: str
    key: str
    unit: str
    detail: str


@dataclass(slots=True)
class ControlResult:
    control: Control
    checked: int
    unit: str
    """What ``checked`` counts: 行 (rows) or 组 (groups)."""
    violations: int = 0
    checked_by_unit: dict[str, int] = field(default_factory=dict)
    violations_by_unit: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class AuditResult:
    as_of: dt.date
    engine: str
    files: list[DataFile]
    controls: list[ControlResult]
    violations: list[Violation]

    @property
    def clean(self) -> bool:
        return not self.violations


def check_data(engine: Engine, files: list[DataFile]) -> None:
    """Raise :class:`DataError` with every problem found (the first few per file)."""
    problems: list[Problem] = []
    more = False
    for f in files:
        headers = set(engine.attach(f))
        missing = [c for c in f.register.columns if c.header not in headers]
        problems += [Problem(str(f.path), 1 if f.format == "csv" else None, c.id,
                             f"文件中没有表头 “{c.header}”(登记簿 {f.register.id} 的列 "
                             f"{c.id})") for c in missing]
    if problems:
        raise DataError(problems)
    for f in files:
        # Clean data is the common case: look for a bad cell in parallel first, and
        # number the rows (in file order, one thread) only when there is one.
        if not any(True for _ in engine.rows(bad_rows(f, None))):
            continue
        found = list(engine.rows(bad_rows(f, engine.row_number)))
        more = more or len(found) > SHOWN
        offset = engine.header_offset if f.format == "csv" else 0
        for row, key, column, value, why in found[:SHOWN]:
            shown = f"“{value}”" if value is not None else "空值"
            problems.append(Problem(str(f.path), None if row is None else int(row) + offset,
                                    str(column), f"{shown} {why}" if value is not None
                                    else str(why), key=str(key or "")))
    if problems:
        raise DataError(problems, more)
    create_typed_views(engine, files)
    for f in files:
        found = list(engine.rows(duplicate_keys(f)))
        more = more or len(found) > SHOWN
        problems += [Problem(str(f.path), None, "、".join(f.register.key),
                             f"主键 “{key}” 出现了 {n} 次(每行的主键须唯一)")
                     for key, n in found[:SHOWN]]
    if problems:
        raise DataError(problems, more)


def _union(selects: list[exp.Select]) -> exp.Select:
    """``UNION ALL`` of ``selects``, as a query to select from."""
    union: exp.Query = selects[0]
    for s in selects[1:]:
        union = exp.union(union, s, distinct=False)
    return exp.select("*").from_(union.subquery("u"))


def _tagged(i: int, select: exp.Select, columns: tuple[str, ...]) -> exp.Select:
    return exp.select(exp.Literal.number(i).as_("control"),
                      *(exp.column(c, table="q", quoted=True) for c in columns)
                      ).from_(select.subquery("q"))


def run_controls(engine: Engine, compiled: list[Compiled]) -> tuple[list[ControlResult],
                                                                    Iterator[Violation]]:
    results = [ControlResult(c.control, 0, c.unit) for c in compiled]
    if not compiled:
        return results, iter(())

    def count(i: int, unit: Any, n: Any) -> None:
        r = results[i]
        r.checked += int(n or 0)
        if unit is not None:
            r.checked_by_unit[str(unit)] = r.checked_by_unit.get(str(unit), 0) + int(n or 0)

    per_row: dict[str, list[int]] = {}
    for i, c in enumerate(compiled):
        if c.row_scope is not None:
            per_row.setdefault(c.control.register, []).append(i)
    for indexes in per_row.values():
        reg = compiled[indexes[0]].register
        assert reg is not None
        for unit, *ns in engine.rows(row_counts(reg, [compiled[i] for i in indexes])):
            for i, n in zip(indexes, ns, strict=True):
                count(i, unit, n)
    grouped = [(i, c) for i, c in enumerate(compiled) if c.row_scope is None]
    if grouped:
        for i, unit, n in engine.rows(_union([_tagged(i, c.checked, ("unit", "checked"))
                                              for i, c in grouped])):
            count(int(i), unit, n)
    violations = _union(
        [_tagged(i, c.violations, ("key", "unit", "detail")) for i, c in enumerate(compiled)]
    ).order_by(exp.column("control", quoted=True),
                              exp.column("key", quoted=True))

    def stream() -> Iterator[Violation]:
        for i, key, unit, detail in engine.rows(violations):
            r = results[int(i)]
            r.violations += 1
            if unit is not None:
                r.violations_by_unit[str(unit)] = r.violations_by_unit.get(str(unit), 0) + 1
            yield Violation(r.control.id, str(key), "" if unit is None else str(unit),
                            str(detail or ""))

    return results, stream()


def audit(model: Model, files: list[DataFile], engine: Engine, as_of: dt.date,
          engine_name: str = "duckdb") -> AuditResult:
    check_data(engine, files)
    attached = {f.register.id for f in files}
    runnable = [c for c in model.controls.values() if c.register in attached
                and (c.reference is None or c.reference.register in attached)]
    compiled = [c for c in compile_controls(model, as_of) if c.control in runnable]
    results, violations = run_controls(engine, compiled)
    found = list(violations)
    return AuditResult(as_of, engine_name, files, results, found)
