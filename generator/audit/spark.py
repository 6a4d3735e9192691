"""``--engine spark``: the compiled controls as Spark SQL, for a whole bank's registers.

The SQL is the same sqlglot trees the DuckDB engine runs, rendered in the Spark
dialect. The session is local (``local[N]``) unless one is given; ANSI mode is off so
that a cast that fails gives NULL, as ``TRY_CAST`` does in DuckDB (the data checks rely
on it; the typed views only ever cast checked data). Spark does not number a file's
rows, so bad data is named by its key instead of its line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlglot import exp

from generator.audit.compile import sql
from generator.audit.data import DataError, DataFile, Problem
from generator.errors import UsageError

DEBIAN_JAVA = Path("/usr/lib/jvm/java-17-openjdk-amd64")


def local_session(threads: int | None = None) -> Any:
    """A local Spark session for auditing (Java 17; Debian's OpenJDK when JAVA_HOME is
    unset)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("--engine spark 需要 PySpark:pip install 'policybook[spark]'"
                         "(另需 Java 17)。") from None
    if "JAVA_HOME" not in os.environ and DEBIAN_JAVA.is_dir():
        os.environ["JAVA_HOME"] = str(DEBIAN_JAVA)
    return (SparkSession.builder.master(f"local[{threads or '*'}]")
            .appName("policybook-audit")
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", str(max(2, (threads or 2) * 2)))
            .getOrCreate())


class SparkEngine:
    dialect = "spark"
    row_number: exp.Expr | None = None
    header_offset = 0

    def __init__(self, *, threads: int | None = None, session: Any = None) -> None:
        self._owned = session is None
        self.spark = session if session is not None else local_session(threads)

    def attach(self, f: DataFile) -> list[str]:
        reader = self.spark.read
        try:
            if f.format == "csv":
                frame = (reader.option("header", True).option("inferSchema", False)
                         .option("encoding", "UTF-8").csv(str(f.path)))
            else:
                frame = reader.parquet(str(f.path))
        except Exception as exc:  # the JVM's errors come as several exception types
            raise DataError([Problem(str(f.path), None, "",
                                     f"无法读取:{str(exc).strip().splitlines()[0]}")]) from None
        frame.createOrReplaceTempView(f.raw_view)
        return [str(c) for c in frame.columns]

    def create_view(self, name: str, select: exp.Select) -> None:
        self.spark.sql(sql(select, "spark")).createOrReplaceTempView(name)

    def create_typed(self, f: DataFile, select: exp.Select) -> None:
        # Spark reads a file again on each query; the audit runs two per register.
        self.create_view(f.register.id, select)

    def rows(self, select: exp.Expr) -> Iterator[tuple[Any, ...]]:
        for row in self.spark.sql(sql(select, "spark")).toLocalIterator():
            yield tuple(row)

    def close(self) -> None:
        if self._owned:
            self.spark.stop()
