"""Where the compiled controls run. An engine attaches each data file as a raw view,
creates the typed views, and runs SQL it is given in its dialect; the SQL itself comes
from :mod:`generator.audit.compile` and :mod:`generator.audit.data`, the same trees for
every engine.

- :class:`DuckDBEngine`, the default: embedded, reads CSV and Parquet where they lie,
  streams, spills to disk past its memory limit.
- :class:`generator.audit.spark.SparkEngine`: the same SQL as Spark SQL, for a whole
  bank's registers (``--engine spark``; PySpark is the optional extra ``[spark]``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from sqlglot import exp

from generator.audit.compile import sql
from generator.audit.data import DataFile, typed_view
from generator.errors import UsageError


class Engine(Protocol):
    dialect: str
    row_number: exp.Expr | None
    """How the engine numbers a raw view's rows in file order, or ``None``."""
    header_offset: int
    """Added to the row number of a CSV file: its header is line 1."""

    def attach(self, f: DataFile) -> list[str]:
        """Make ``f`` the raw view ``f.raw_view``; returns the file's column names."""

    def create_view(self, name: str, select: exp.Select) -> None: ...

    def create_typed(self, f: DataFile, select: exp.Select) -> None:
        """Make ``select`` (the typed view of ``f``) the table ``f.register.id``: a view
        over a columnar file, a copy read once from a text file."""

    def rows(self, select: exp.Expr) -> Iterator[tuple[Any, ...]]:
        """The rows of ``select``, fetched a batch at a time."""

    def close(self) -> None: ...


def open_engine(name: str, *, memory_limit: str | None = None, threads: int | None = None,
                temp_directory: Path | None = None) -> Engine:
    if name == "duckdb":
        return DuckDBEngine(memory_limit=memory_limit, threads=threads,
                            temp_directory=temp_directory)
    if name == "spark":
        from generator.audit.spark import SparkEngine

        spark: Engine = SparkEngine(threads=threads)
        return spark
    raise UsageError(f"未知的执行引擎 “{name}”:可选 duckdb、spark。")


def create_typed_views(engine: Engine, files: list[DataFile],
                       keep: dict[str, set[str]] | None = None) -> None:
    """``keep``: per register, the columns read after the data checks (default: all)."""
    for f in files:
        engine.create_typed(f, typed_view(f, None if keep is None else keep[f.register.id]))


MEMORY_LIMIT = "512MB"
"""DuckDB's default memory limit here (its own default is 80% of the RAM): past it,
joins, aggregates and sorts spill to the temporary folder, so a bank's register takes
disk, not memory."""


class DuckDBEngine:
    dialect = "duckdb"
    row_number: exp.Expr | None = exp.Window(this=exp.RowNumber())
    header_offset = 1

    def __init__(self, *, memory_limit: str | None = None, threads: int | None = None,
                 temp_directory: Path | None = None) -> None:
        import duckdb

        self._duckdb = duckdb
        self._temp = Path(tempfile.mkdtemp(prefix="policybook-audit-",
                                           dir=temp_directory))
        # In memory, spilling into the temporary folder past the memory limit (the copy
        # of a CSV register too: a database file would compress it, at a third of the
        # audit's time).
        try:
            self.con = duckdb.connect(":memory:")
            self.con.execute("SET temp_directory = "
                             + exp.Literal.string(str(self._temp / "spill")).sql("duckdb"))
            self.con.execute("SET memory_limit = " + exp.Literal.string(
                memory_limit or MEMORY_LIMIT).sql("duckdb"))
            if threads:
                self.con.execute(f"SET threads = {int(threads)}")
        except duckdb.Error as exc:
            shutil.rmtree(self._temp, ignore_errors=True)
            raise UsageError(f"无法启动 DuckDB:{_first_line(exc)}") from None

    def attach(self, f: DataFile) -> list[str]:
        path = exp.Literal.string(str(f.path)).sql("duckdb")
        name = exp.to_identifier(f.raw_view, quoted=True).sql("duckdb")
        try:
            reader = self._csv_reader(path) if f.format == "csv" else f"read_parquet({path})"
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {reader}")
            described = self.con.execute(f"DESCRIBE {name}").fetchall()
        except self._duckdb.OutOfMemoryException as exc:
            raise _failed(exc) from None
        except self._duckdb.Error as exc:
            from generator.audit.data import DataError, Problem

            raise DataError([Problem(str(f.path), None, "", f"无法读取:{_first_line(exc)}")]
                            ) from None
        return [str(row[0]) for row in described]

    def _csv_reader(self, path: str) -> str:
        """Every cell as text (the typed views cast them), the dialect sniffed once: a
        view that sniffed on every scan would pay for it in every control."""
        sniffed = self.con.execute(
            f"SELECT Delimiter, Quote, Escape, Columns FROM sniff_csv({path}, header = true, "
            "all_varchar = true)").fetchone()
        delim, quote, escape, found = sniffed or (",", '"', '"', [])
        headers = [str(c["name"]) for c in found]
        columns = "{" + ", ".join(f"{exp.Literal.string(h).sql('duckdb')}: 'VARCHAR'"
                                  for h in headers) + "}"

        def lit(text: str, default: str) -> str:
            return exp.Literal.string(default if text == "(empty)" else text).sql("duckdb")

        return (f"read_csv({path}, header = true, auto_detect = false, columns = {columns}, "
                f"delim = {lit(delim, ',')}, quote = {lit(quote, _QUOTE)}, "
                f"escape = {lit(escape, _QUOTE)})")

    def create_view(self, name: str, select: exp.Select) -> None:
        ident = exp.to_identifier(name, quoted=True).sql("duckdb")
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {ident} AS {sql(select, 'duckdb')}")

    def create_typed(self, f: DataFile, select: exp.Select) -> None:
        if f.format != "csv":
            self.create_view(f.register.id, select)
            return
        ident = exp.to_identifier(f.register.id, quoted=True).sql("duckdb")
        # The copy's row order does not matter (the scans order what they return; bad
        # rows are numbered from the file itself): let the threads insert as they go.
        self.con.execute("SET preserve_insertion_order = false")
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {ident} AS "
                             f"{sql(select, 'duckdb')}")
        except self._duckdb.Error as exc:
            raise _failed(exc) from None
        finally:
            self.con.execute("SET preserve_insertion_order = true")

    def rows(self, select: exp.Expr) -> Iterator[tuple[Any, ...]]:
        try:
            cursor = self.con.execute(sql(select, "duckdb"))
            while batch := cursor.fetchmany(10_000):
                yield from batch
        except self._duckdb.Error as exc:  # out of memory or of temporary disk space
            raise _failed(exc) from None

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._temp, ignore_errors=True)


_QUOTE = '"'


def _failed(exc: Exception) -> UsageError:
    return UsageError(f"DuckDB 执行失败:{_first_line(exc)}(可调整 --memory-limit、--temp-dir "
                      "或 --threads)")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
