"""The same controls on Apache Spark (local mode, Java 17): the differential test says
DuckDB and Spark report the same violations, with the same details, and count the same
rows, on the same data. Skipped when PySpark or Java is missing (``tools/setup.sh``
installs the ``[spark]`` extra, so ``make test`` runs it)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LIBRARY, run_cli

from benchmarks.registers_synth import AS_OF, write_registers
from generator.audit.data import DataError, data_files
from generator.audit.engines import DuckDBEngine, Engine
from generator.audit.run import AuditResult, Violation, audit
from generator.audit.spark import DEBIAN_JAVA
from generator.pipeline import analyse

pytest.importorskip("pyspark")
if not (os.environ.get("JAVA_HOME") or DEBIAN_JAVA.is_dir() or shutil.which("java")):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

pytestmark = pytest.mark.slow  # a JVM and a Spark session: about two minutes
PACK = LIBRARY / "wealth-account-opening"
MODEL = analyse(PACK, checks=False).model


def test_the_command_runs_on_spark(tmp_path: Path) -> None:
    write_registers(tmp_path, 200, 1, "csv")
    result = run_cli("audit", PACK, "--data", tmp_path, "--as-of", "2026-12-01",
                     "--engine", "spark")
    assert result.code == 1, result.err
    assert "执行引擎 spark" in result.out
    # First: the command owns (and stops) its session; the others share one.


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from generator.audit.spark import local_session

    session = local_session(2)
    yield session
    session.stop()


def _run(engine: Engine, folder: Path, as_of: dt.date = AS_OF
         ) -> tuple[AuditResult, list[Violation]]:
    try:
        result = audit(MODEL, data_files(MODEL, folder, {}), engine, as_of, engine.dialect)
        return result, list(result.violations)
    finally:
        engine.close()


def _spark(session: Any) -> Engine:
    from generator.audit.spark import SparkEngine

    return SparkEngine(session=session)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_duckdb_and_spark_report_the_same_violations(spark: Any, tmp_path: Path,
                                                     fmt: str) -> None:
    expected = write_registers(tmp_path, 900, 2, fmt)
    duck, duck_found = _run(DuckDBEngine(), tmp_path)
    sparked, spark_found = _run(_spark(spark), tmp_path)
    assert spark_found == duck_found  # same rows, keys, units, details, order
    assert [(r.control.id, r.checked, r.violations, r.checked_by_unit)
            for r in sparked.controls] == [
        (r.control.id, r.checked, r.violations, r.checked_by_unit) for r in duck.controls]
    assert sparked.rules == duck.rules  # the per-rule figures, per unit too
    assert {r.control.id: r.violations for r in sparked.controls} == expected


def test_the_time_limits_agree_on_another_as_of_date(spark: Any, tmp_path: Path) -> None:
    write_registers(tmp_path, 300, 1, "csv")
    later = AS_OF + dt.timedelta(days=40)  # month ends, leap-free: add_months vs INTERVAL
    assert _run(_spark(spark), tmp_path, later)[1] == _run(DuckDBEngine(), tmp_path, later)[1]


def test_bad_data_on_spark_names_the_file_key_and_column(spark: Any, tmp_path: Path) -> None:
    write_registers(tmp_path, 200, 0, "csv")
    path = tmp_path / "clients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    cells = lines[3].split(",")
    cells[head.index("开户日期")] = "2026-13-01"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        _run(_spark(spark), tmp_path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.row, problem.key, problem.column) == (
        str(path), None, cells[0], "opened_on")
    assert "“2026-13-01” 不是日期" in problem.line()
