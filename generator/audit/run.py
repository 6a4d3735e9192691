"""``audit()``: the data files checked, every control run, the result streamed.

Read top to bottom: attach the files → check their headers → create the typed views
(a CSV file is read once, into a columnar copy on disk) → one scan per register checks
the cells and the keys → one scan per register runs every control over it
(:mod:`generator.audit.scan`). The registers stay in the engine; the counts and the
violations come back a batch at a time, and the violations go to the reporter as they
come: no list of them is ever kept here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.audit.compile import Compiled, compile_controls
from generator.audit.data import (
    SHOWN,
    DataError,
    DataFile,
    Problem,
    bad_rows,
    data_check,
    duplicate_keys,
    read_columns,
)
from generator.audit.engines import Engine, create_typed_views
from generator.audit.scan import Counts, Scan, scans
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
    counts: Counts

    @property
    def unit(self) -> str:
        """What ``checked`` counts: 行 (rows) or 组 (groups)."""
        return self.counts.unit

    @property
    def checked(self) -> int:
        return self.counts.checked

    @property
    def violations(self) -> int:
        return self.counts.violations

    @property
    def checked_by_unit(self) -> dict[str, int]:
        return self.counts.checked_by_unit

    @property
    def violations_by_unit(self) -> dict[str, int]:
        return self.counts.violations_by_unit


@dataclass(slots=True)
class AuditResult:
    """The counts are complete once ``violations`` (an iterator, read once) is
    exhausted: the reporters write the violations as they come, the summary last."""

    as_of: dt.date
    engine: str
    files: list[DataFile]
    controls: list[ControlResult]
    violations: Iterator[Violation]
    rules: dict[str, Counts] = field(default_factory=dict)
    """Each audited rule's figures, in one unit: rows when one of its controls checks
    rows, else groups."""

    @property
    def total(self) -> int:
        return sum(r.violations for r in self.controls)

    @property
    def clean(self) -> bool:
        return self.total == 0


def check_data(engine: Engine, files: list[DataFile], model: Model | None = None) -> None:
    """Raise :class:`DataError` with every problem found (the first few per file).
    With ``model``, the typed views show only the columns its controls read (every
    column is still checked)."""
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
    create_typed_views(engine, files, None if model is None else {
        f.register.id: read_columns(model, f.register) for f in files})
    found = {f.register.id: next(iter(engine.rows(data_check(f)))) for f in files}
    for f in files:
        # Clean data is the common case: rows are numbered (in file order, one
        # thread) only when a bad one was counted.
        if not found[f.register.id][0]:
            continue
        rows = list(engine.rows(bad_rows(f, engine.row_number)))
        more = more or len(rows) > SHOWN
        offset = engine.header_offset if f.format == "csv" else 0
        for row, key, column, value, why in rows[:SHOWN]:
            shown = f"“{value}”" if value is not None else "空值"
            problems.append(Problem(str(f.path), None if row is None else int(row) + offset,
                                    str(column), f"{shown} {why}" if value is not None
                                    else str(why), key=str(key or "")))
    if problems:
        raise DataError(problems, more)
    for f in files:
        if not found[f.register.id][1]:
            continue
        keys = list(engine.rows(duplicate_keys(f)))
        more = more or len(keys) > SHOWN
        problems += [Problem(str(f.path), None, "、".join(f.register.key),
                             f"主键 “{key}” 出现了 {n} 次(每行的主键须唯一)")
                     for key, n in keys[:SHOWN]]
    if problems:
        raise DataError(problems, more)


def _units(compiled: list[Compiled]) -> dict[str, str]:
    """Each rule's unit: 行 when one of its controls checks rows, else 组."""
    units: dict[str, str] = {}
    for c in compiled:
        for rule in c.control.rules:
            if units.get(rule) != "行":
                units[rule] = c.unit
    return units


def _read(engine: Engine, scan: Scan, results: list[ControlResult],
          rules: dict[str, Counts]) -> Iterator[Violation]:
    """The scan's violations, as they come; its counts (a row per set and unit, after
    the violations' rows in the order of the items: -1 sorts first) added up."""
    query = scan.query()
    at = {name: i for i, name in enumerate(scan.columns)}
    measured = list(scan.rules.items())
    # What each kind of count row adds: (result or rule counts, checked, broken) columns.
    per_row = [(results[i].counts, at[f"s{k}"], at[f"v{k}"])
               for k, (i, c) in enumerate(scan.controls) if c.row is not None]
    per_row += [(rules[rule], at[rs], at[rv])
                for (rule, _), (rs, rv) in zip(measured, scan.measures, strict=True)]
    per_set: dict[int, list[tuple[Counts, int, int, list[tuple[Counts, int]]]]] = {}
    for k, (i, c) in enumerate(scan.controls):
        if c.group is not None:
            extra = [(rules[rule], at[f"mr{j}_{k}"])
                     for j, (rule, ks) in enumerate(measured) if k in ks]
            per_set.setdefault(scan.group_set(c), []).append(
                (results[i].counts, at[f"n{k}"], at[f"gv{k}"], extra))
    for row in engine.rows(query):
        item, unit = int(row[0]), row[2]
        unit = None if unit is None else str(unit)
        if item >= 0:
            _, c = scan.controls[item]
            yield Violation(c.control.id, str(row[3]), unit or "", str(row[4] or ""))
            continue
        which = int(row[1])
        if which == 0:
            for counts, s, v in per_row:
                counts.add(unit, int(row[s]), int(row[v]))
            continue
        for counts, n, gv, extra in per_set.get(which, []):
            if not row[n]:
                continue
            broken = int(row[gv])
            counts.add(unit, int(row[n]), broken)
            for rule_counts, uncounted in extra:
                if broken:
                    # The broken groups' rows that no per-row control of the rule counted.
                    rule_counts.add(unit, 0, int(row[uncounted]))


def run_controls(engine: Engine, compiled: list[Compiled]) -> tuple[
        list[ControlResult], dict[str, Counts], Iterator[Violation]]:
    """The results (filled in as the violations are read) and the violations."""
    results = [ControlResult(c.control, Counts(c.unit)) for c in compiled]
    units = _units(compiled)
    rules = {rule: Counts(unit) for rule, unit in units.items()}

    def stream() -> Iterator[Violation]:
        for scan in scans(compiled, units):
            yield from _read(engine, scan, results, rules)
        for rule, unit in units.items():
            if unit == "组":
                for r in results:
                    if rule in r.control.rules:
                        for u, n in r.checked_by_unit.items():
                            rules[rule].add(u, n, r.violations_by_unit.get(u, 0))
                        rules[rule].add(None, r.checked - sum(r.checked_by_unit.values()),
                                        r.violations - sum(r.violations_by_unit.values()))

    return results, rules, stream()


def audit(model: Model, files: list[DataFile], engine: Engine, as_of: dt.date,
          engine_name: str = "duckdb") -> AuditResult:
    check_data(engine, files, model)
    attached = {f.register.id for f in files}
    runnable = [c for c in model.controls.values() if c.register in attached
                and (c.reference is None or c.reference.register in attached)]
    compiled = [c for c in compile_controls(model, as_of) if c.control in runnable]
    results, rules, violations = run_controls(engine, compiled)
    return AuditResult(as_of, engine_name, files, results, violations, rules)
