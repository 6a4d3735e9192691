"""The registers' data files: which file holds which register, their headers, types
and keys. Bad data (a missing column, a value of the wrong type, an unparsable date,
an empty required cell, a value outside a column's values, a repeated key) is a
:class:`DataError` naming the file, the row and the column, never a traceback.

The checks are SQL like the controls (sqlglot trees rendered for the engine), so
the data is never read into Python: only the first few problems come back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlglot import exp

from generator.audit.compile import SQL_TYPES, THIS, col
from generator.errors import UsageError
from generator.model import Model
from generator.model.registers import TYPE_LABELS, Column, Register

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
SHOWN = 20
"""At most this many bad rows are listed per register."""
RAW = "raw"


@dataclass(frozen=True, slots=True)
class DataFile:
    register: Register
    path: Path
    format: str
    """``csv`` or ``parquet``."""

    @property
    def raw_view(self) -> str:
        return f"__raw_{self.register.id}"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: int | None
    """The line of a CSV file (the header is line 1) or the row of a Parquet file (from
    1); ``None`` where the engine cannot number rows (Spark): ``key`` names the row."""
    column: str
    message: str
    key: str = ""

    def line(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        if self.key and self.row is None:
            where += f"(主键 {self.key})"
        return f"{where}: 列 {self.column}:{self.message}" if self.column else (
            f"{where}: {self.message}")


class DataError(UsageError):
    """The data cannot be audited as it is. Exit code 2."""

    def __init__(self, problems: Iterable[Problem], more: bool = False) -> None:
        self.problems = list(problems)
        lines = ["数据有误,未执行审计:", *("  " + p.line() for p in self.problems)]
        if more:
            lines.append(f"  (每个文件只列出前 {SHOWN} 处)")
        super().__init__("\n".join(lines))

    def show(self, command: str, file: TextIO) -> None:
        print(f"policybook {command}: " + self.message.splitlines()[0], file=file)
        for line in self.message.splitlines()[1:]:
            print(line, file=file)


def data_files(model: Model, data: Path | None, named: Mapping[str, Path]) -> list[DataFile]:
    """The file of each register: ``NAME=FILE`` as given, else ``DIR/<register>.csv``
    or ``.parquet``. A register the controls read without a file is a usage error."""
    found: dict[str, DataFile] = {}
    for name, path in named.items():
        reg = model.registers.get(name)
        if reg is None:
            known = "、".join(model.registers) or "(无)"
            raise UsageError(f"--register {name}=…:没有登记簿 “{name}”。登记簿有:{known}。")
        found[name] = DataFile(reg, path, _format(path))
    if data is not None:
        if not data.is_dir():
            raise UsageError(f"--data {data}:不是文件夹。")
        for reg in model.registers.values():
            if reg.id in found:
                continue
            for suffix in FORMATS:
                path = data / f"{reg.id}{suffix}"
                if path.is_file():
                    found[reg.id] = DataFile(reg, path, FORMATS[suffix])
                    break
    needed = [r for r in needed_registers(model) if r not in found]
    if needed:
        where = f"{data}/" if data is not None else "--register"
        raise UsageError("缺少登记簿的数据文件:" + "、".join(
            f"{r}(如 {where}{r}.csv)" for r in needed) + "。")
    for f in found.values():
        if not f.path.is_file():
            raise UsageError(f"找不到登记簿 {f.register.id} 的数据文件 {f.path}。")
    return [found[r] for r in model.registers if r in found]


def needed_registers(model: Model) -> list[str]:
    """The registers some control reads, in declaration order."""
    used = {c.register for c in model.controls.values()} | {
        c.reference.register for c in model.controls.values() if c.reference}
    return [r for r in model.registers if r in used]


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}:只能读取 CSV(.csv)或 Parquet(.parquet)文件。")
    return fmt


def _raw(column: Column) -> exp.Column:
    return exp.column(column.header, table=RAW, quoted=True)


BAD = "__bad"
"""The typed view's flag: some cell of the row is bad (:func:`bad_rows` names it)."""


def _typed(column: Column) -> str:
    return f"__typed_{column.id}"


def read_columns(model: Model, register: Register) -> set[str]:
    """The columns of ``register`` something reads after the data checks: its key and
    unit column, and every column a control names (its own conditions, groups, dates
    and reference, and what a reference from another register matches and requires)."""
    found = {*register.key, *([register.unit_column] if register.unit_column else [])}
    for control in model.controls.values():
        if control.register == register.id:
            found |= {n for c in control.conditions() for n in (c.column, c.to_column) if n}
            found |= set(control.group_by)
            if control.within:
                found |= {n for n in (control.within.after, control.within.date) if n}
            if control.reference:
                found |= {control.reference.column, *(o for _, o in control.reference.match)}
        ref = control.reference
        if ref is not None and ref.register == register.id:
            found |= {*register.key, *(t for t, _ in ref.match)}
            if ref.require:
                found |= {c.column for c in ref.require.walk() if c.column}
    return found


def typed_view(f: DataFile, keep: set[str] | None = None) -> exp.Select:
    """The register as the controls see it: each column under its id, in its type (a
    cell that is not of it is NULL, and the row's ``__bad`` flag is set). Each cell is
    cast once: the flag reads the cast value. Every column is checked; ``keep``: the
    columns the view shows (default: all), so a copy holds only what is read."""
    cols = f.register.columns
    inner = exp.select(exp.Star(), *(
        exp.TryCast(this=_raw(c), to=exp.DataType.build(SQL_TYPES[c.type])).as_(_typed(c))
        for c in cols)).from_(exp.to_table(f.raw_view, alias=RAW, quoted=True))
    checks = [cond for c in cols
              for cond, _ in _bad(c, exp.column(_typed(c), table=RAW, quoted=True))]
    shown = [c for c in cols if keep is None or c.id in keep]
    return exp.select(*(exp.column(_typed(c), table=RAW, quoted=True).as_(c.id)
                        for c in shown),
                      (exp.or_(*checks) if checks else exp.false()).as_(BAD)).from_(
        inner.subquery(RAW, copy=False))


def data_check(f: DataFile) -> exp.Select:
    """One scan of the typed view: (rows with a bad cell, rows whose key repeats one
    before it)."""
    bad = exp.Sum(this=exp.If(this=col(BAD), true=exp.Literal.number(1),
                              false=exp.Literal.number(0)))
    repeated = exp.Sub(this=exp.Count(this=exp.Star()), expression=exp.Count(
        this=exp.Distinct(expressions=[_key(f.register)])))
    return exp.select(exp.Coalesce(this=bad, expressions=[exp.Literal.number(0)]).as_("bad"),
                      repeated.as_("repeated")).from_(
        exp.to_table(f.register.id, alias=THIS, quoted=True))


def _bad(column: Column, typed: exp.Expr | None = None) -> list[tuple[exp.Expr, str]]:
    """(condition on the raw cell, what is wrong) for each way ``column``'s cell can be
    bad; ``typed``: the cell already cast to the column's type, if it is at hand."""
    raw = _raw(column)
    found: list[tuple[exp.Expr, str]] = []
    is_null = exp.Is(this=raw, expression=exp.Null())
    if column.required:
        found.append((is_null, "为空,此列必填"))
    if column.type != "string":
        cast = typed if typed is not None else exp.TryCast(
            this=raw, to=exp.DataType.build(SQL_TYPES[column.type]))
        bad_type = exp.and_(exp.not_(is_null), exp.Is(this=cast, expression=exp.Null()))
        found.append((bad_type, f"不是{TYPE_LABELS[column.type]}"))
    if column.values:
        text = exp.cast(raw, "VARCHAR")
        outside = exp.and_(exp.not_(is_null), exp.not_(text.isin(
            *(exp.Literal.string(v) for v in column.values))))
        found.append((outside, "不在取值范围(" + "、".join(column.values) + ")内"))
    return found


def bad_rows(f: DataFile, row_number: exp.Expr | None) -> exp.Select:
    """The first rows with a bad cell: (row, key, column, value, what is wrong)."""
    checks = [(c, cond, why) for c in f.register.columns for cond, why in _bad(c)]
    reg = f.register
    key_cols = [reg.column(k) for k in reg.key]
    key = exp.Concat(expressions=[exp.Coalesce(this=exp.cast(_raw(k), "VARCHAR"),
                                               expressions=[exp.Literal.string("")])
                                  for k in key_cols if k], safe=True, coalesce=False)

    def case(values: list[exp.Expr]) -> exp.Expr:
        return exp.Case(ifs=[exp.If(this=cond, true=v)
                             for (_, cond, _), v in zip(checks, values, strict=True)])

    select = exp.select(
        (row_number if row_number is not None else exp.cast(exp.Null(), "BIGINT")).as_("row"),
        key.as_("key"),
        case([exp.Literal.string(c.id) for c, _, _ in checks]).as_("column"),
        case([exp.cast(_raw(c), "VARCHAR") for c, _, _ in checks]).as_("value"),
        case([exp.Literal.string(why) for _, _, why in checks]).as_("why"),
    ).from_(exp.to_table(f.raw_view, alias=RAW, quoted=True))
    if not checks:
        return select.where(exp.false())
    inner = select.subquery("b", copy=False)
    return (exp.select("*").from_(inner)
            .where(exp.not_(exp.Is(this=exp.column("column", table="b", quoted=True),
                                   expression=exp.Null())))
            .limit(SHOWN + 1))


def _key(reg: Register) -> exp.Expr:
    parts: list[exp.Expr] = []
    for i, k in enumerate(reg.key):
        if i:
            parts.append(exp.Literal.string("|"))
        parts.append(exp.cast(col(k), "VARCHAR"))
    return parts[0] if len(parts) == 1 else exp.Concat(expressions=parts, safe=True,
                                                       coalesce=False)


def duplicate_keys(f: DataFile) -> exp.Select:
    reg = f.register
    return (exp.select(_key(reg).as_("key"), exp.Count(this=exp.Star()).as_("n"))
            .from_(exp.to_table(reg.id, alias=THIS, quoted=True))
            .group_by(*(col(k) for k in reg.key))
            .having(exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1)))
            .order_by(exp.column("key", quoted=True)).limit(SHOWN + 1))
