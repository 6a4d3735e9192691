"""``policybook audit``: every control of the shipped pack finds exactly its injected
violations and none of the clean rows on its boundary (200 vs 201 clients, assets at
the threshold vs − 0.01, a risk assessment on its last valid day vs the day after, a
contact on day 7 vs day 8, a first review on day 90 vs 91); bad data is an error
naming the file, row and column; the exit codes and the formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import LIBRARY, run_cli

from benchmarks.registers_synth import AS_OF, write_registers
from generator.audit.data import DataError, data_files
from generator.audit.engines import DuckDBEngine
from generator.audit.run import AuditResult, Violation, audit
from generator.model import Model
from generator.pipeline import analyse

PACK = LIBRARY / "wealth-account-opening"
K = 3


@cache
def model() -> Model:
    return analyse(PACK, checks=False).model


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("registers")
    return folder, write_registers(folder, 1200, K, "csv")


@dataclass(frozen=True)
class Run:
    result: AuditResult
    violations: list[Violation]


def run(folder: Path, as_of: dt.date = AS_OF) -> Run:
    engine = DuckDBEngine()
    try:
        result = audit(model(), data_files(model(), folder, {}), engine, as_of)
        return Run(result, list(result.violations))
    finally:
        engine.close()


def keys(result: Run, control: str) -> set[str]:
    return {v.key for v in result.violations if v.control == control}


def test_every_control_of_the_shipped_pack_is_exercised(registers: tuple[Path, dict[str, int]]
                                                        ) -> None:
    _, expected = registers
    assert set(expected) == set(model().controls)


def test_each_control_finds_exactly_its_injected_violations(
        registers: tuple[Path, dict[str, int]]) -> None:
    folder, expected = registers
    found = run(folder)
    assert dict(Counter(v.control for v in found.violations)) == expected
    assert {r.control.id: r.violations for r in found.result.controls} == expected


def test_the_boundaries(registers: tuple[Path, dict[str, int]]) -> None:
    result = run(registers[0])
    everything = {v.key for v in result.violations}
    # 200 clients is the cap; 201 is one too many.
    assert keys(result, "C-MAINT-CAP") == {f"MC{j:07d}" for j in range(K)}
    assert "MB0000001" not in everything
    # Assets 999999.99 with a tier-1 approval pass; without one they do not.
    assert keys(result, "C-ELIG-STANDARD") == {f"XELIG{j:06d}" for j in range(K)}
    assert not any(k.startswith("XBAPP") for k in everything)
    assert keys(result, "C-ELIG-APPROVAL") == {f"XAPPR{j:06d}" for j in range(K)}
    # Assessed 12 months before the as-of date: its last valid day; one day more lapses.
    assert keys(result, "C-RISK-VALID") == {f"XRVAL{j:06d}" for j in range(K)}
    assert not any(k.startswith("XBRV") for k in everything)
    # A welcome contact on day 7 passes, day 8 does not; a review not yet due passes.
    assert keys(result, "C-WELCOME") == {f"XWELC{j:06d}" for j in range(K)}
    assert not any(k.startswith("XBWC") for k in everything)
    assert keys(result, "C-FIRST-REVIEW") == {f"XREV{j:06d}" for j in range(K)}
    # Opened on day 90 after the approval passes, on day 91 does not; an approval written
    # valid for 91 days, or approved without its date once 90 days are over, does not
    # either; a refusal has no validity to check.
    assert keys(result, "C-APPROVAL-AT-OPENING") == {f"XAPVO{j:06d}" for j in range(K)}
    assert not any(k.startswith(("XBAPV", "XBAPP")) for k in everything)
    assert keys(result, "C-APPROVAL-VALID-UNTIL") == (
        {f"AVL{j:06d}" for j in range(K)} | {f"AVN{j:06d}" for j in range(K)})
    assert not any(k.startswith(("AOV", "AOK", "AEX", "ARF", "ANO")) for k in everything
                   if k.startswith("A"))
    # The unmaintained clients' centre is the one under the maintenance rate.
    assert keys(result, "C-MAINT-RATE") == {"C999"}
    # Closed clients are out of the maintenance controls' scope.
    assert not any(k.startswith("XBCL") for k in everything)


def test_a_violation_names_its_rule_citation_and_parameter_values(
        registers: tuple[Path, dict[str, int]]) -> None:
    result = run_cli("audit", PACK, "--data", registers[0], "--as-of", "2026-12-01",
                     "--format", "json")
    assert result.code == 1, result.err
    report = json.loads(result.out)
    cap = next(v for v in report["violations"] if v["control"] == "C-MAINT-CAP")
    assert cap == {"control": "C-MAINT-CAP", "register": "clients", "key": "MC0000000",
                   "unit": "", "rules": [{"id": "R-MAINT-CAP", "citation": "第二部分 四(六)3"}],
                   "parameters": {"max_clients_per_manager": "200名"}, "detail": "行数=201"}
    rule = next(r for r in report["rules"] if r["rule"] == "R-MAINT-CAP")
    assert (rule["violations"], rule["controls"]) == (K, ["C-MAINT-CAP"])
    assert rule["checked"] > K and 0 < rule["rate"] < 1


def test_moving_the_as_of_date_moves_the_time_limits(registers: tuple[Path, dict[str, int]]
                                                     ) -> None:
    later = run(registers[0], AS_OF + dt.timedelta(days=1))
    # The assessments on their last day lapse the day after.
    assert {f"XBRV{j:06d}" for j in range(K)} <= keys(later, "C-RISK-VALID")
    # An approval's validity is counted to the opening, not to the as-of date.
    assert keys(later, "C-APPROVAL-AT-OPENING") == keys(run(registers[0]),
                                                        "C-APPROVAL-AT-OPENING")


def test_parquet_reads_the_same(tmp_path: Path) -> None:
    expected = write_registers(tmp_path, 600, 2, "parquet")
    result = run(tmp_path)
    assert dict(Counter(v.control for v in result.violations)) == expected


def test_clean_data_exits_0_and_violations_exit_1(tmp_path: Path) -> None:
    write_registers(tmp_path / "clean", 400, 0, "csv")
    clean = run_cli("audit", PACK, "--data", tmp_path / "clean", "--as-of", "2026-12-01")
    assert clean.code == 0, clean.out + clean.err
    assert clean.out.endswith(f"共 {len(model().controls)} 项审计控制,未发现违规。\n")
    write_registers(tmp_path / "bad", 400, 1, "csv")
    found = run_cli("audit", PACK, "--data", tmp_path / "bad", "--as-of", "2026-12-01")
    assert found.code == 1
    assert ("clients XELIG000000: C-ELIG-STANDARD 违反 R-ELIG 第二部分 四(二)、R-ELIG-EXC"
            in found.out)


def test_register_files_named_one_by_one(registers: tuple[Path, dict[str, int]]) -> None:
    folder = registers[0]
    args = [f"--register={name}={folder / name}.csv" for name in ("clients", "managers",
                                                                   "approvals")]
    assert run_cli("audit", PACK, *args, "--as-of", "2026-12-01", "-f", "csv").code == 1


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown", "html"])
def test_every_format_writes_a_file(registers: tuple[Path, dict[str, int]], fmt: str,
                                    tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    assert run_cli("audit", PACK, "--data", registers[0], "--as-of", "2026-12-01",
                   "-f", fmt, "-o", out).code == 1
    text = out.read_text(encoding="utf-8-sig")
    assert "C-MAINT-CAP" in text
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {r["control"] for r in rows} == set(model().controls)
    if fmt == "html":
        assert "<svg" in text and "C999" in text


# --- bad data and wrong usage ---------------------------------------------------------------


def _copy(folder: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(folder, dest)
    return dest


def _edit(path: Path, line: int, column: str, value: str) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize(("header", "value", "column", "words"), [
    ("开户日期", "2026-13-01", "opened_on", "“2026-13-01” 不是日期"),
    ("开户时金融资产(元)", "一百万", "financial_assets", "“一百万” 不是金额/小数"),
    ("状态", "actve", "status", "不在取值范围(active、closed)内"),
    ("客户号", "", "client_id", "为空,此列必填"),
])
def test_a_bad_cell_names_the_file_line_and_column(
        registers: tuple[Path, dict[str, int]], tmp_path: Path, header: str, value: str,
        column: str, words: str) -> None:
    data = _copy(registers[0], tmp_path)
    _edit(data / "clients.csv", 5, header, value)
    result = run_cli("audit", PACK, "--data", data, "--as-of", "2026-12-01")
    assert result.code == 2 and "Traceback" not in result.err
    assert f"{data / 'clients.csv'}:5: 列 {column}:" in result.err
    assert words in result.err


def test_a_missing_column_and_a_duplicate_key(registers: tuple[Path, dict[str, int]],
                                             tmp_path: Path) -> None:
    data = _copy(registers[0], tmp_path)
    _edit(data / "managers.csv", 1, "在岗", "是否在岗")
    missing = run_cli("audit", PACK, "--data", data)
    assert missing.code == 2
    assert f"{data / 'managers.csv'}:1: 列 active:文件中没有表头 “在岗”" in missing.err
    data = _copy(registers[0], tmp_path / "again")
    _edit(data / "clients.csv", 3, "客户号", "K0000000000")
    with pytest.raises(DataError) as raised:
        run(data)
    (problem,) = raised.value.problems
    assert (problem.column, problem.message) == (
        "client_id", "主键 “K0000000000” 出现了 2 次(每行的主键须唯一)")


@pytest.mark.parametrize("args", [
    [], ["--data", "nowhere"], ["--register", "clients"], ["--register", "client=x.csv"],
    ["--data", ".", "--as-of", "2026-02-30"],
])
def test_wrong_usage_exits_2(args: list[str]) -> None:
    result = run_cli("audit", PACK, *args)
    assert result.code == 2 and result.err.startswith("policybook audit: ")


def test_a_register_without_its_file_is_named(tmp_path: Path,
                                              registers: tuple[Path, dict[str, int]]) -> None:
    data = _copy(registers[0], tmp_path)
    (data / "approvals.csv").unlink()
    result = run_cli("audit", PACK, "--data", data)
    assert result.code == 2 and "approvals" in result.err
