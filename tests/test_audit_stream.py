"""The audit streams: the engine's violations reach the report as they come (nothing
is fetched before the report reads, no list of them is kept), CSV/JSON/text write every
one, Markdown/HTML keep the first few per control and say how many there are; each
rule's figures are in one unit (rows, or groups when all its controls check groups),
rows counted once however many of the rule's controls they break; the HTML charts are
accessible SVG with the numbers in tables; the DuckDB settings are options."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tracemalloc
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import LIBRARY, run_cli

from benchmarks.registers_synth import AS_OF, write_registers
from generator.audit.data import data_files
from generator.audit.engines import DuckDBEngine
from generator.audit.report import (
    FORMATS,
    SHOWN_PER_CONTROL,
    rule_summaries,
    write_csv,
    write_markdown,
)
from generator.audit.run import AuditResult, ControlResult, Violation, audit
from generator.audit.scan import Counts
from generator.model import Model
from generator.pipeline import analyse

PACK = LIBRARY / "wealth-account-opening"
K = 3


@cache
def model() -> Model:
    return analyse(PACK, checks=False).model


class Produced:
    """A stream of ``n`` violations of one control that counts what it has produced."""

    def __init__(self, n: int, control: str = "C-WELCOME") -> None:
        self.n, self.control, self.produced = n, control, 0

    def __iter__(self) -> Iterator[Violation]:
        for i in range(self.n):
            self.produced += 1
            yield Violation(self.control, f"K{i:09d}", "C001",
                            f"opened_on=2026-01-{i % 28 + 1:02d}")


def _result(stream: Produced) -> AuditResult:
    controls = [ControlResult(c, Counts("组" if c.check in ("count", "rate") else "行"))
                for c in model().controls.values()]
    welcome = next(r for r in controls if r.control.id == stream.control)
    welcome.counts.add("C001", stream.n * 10, stream.n)
    rules = {"R-FOLLOW-UP": Counts("行", stream.n * 10, stream.n)}
    return AuditResult(AS_OF, "duckdb", [], controls, iter(stream), rules)


class Sink(io.StringIO):
    """Records, at each write of a violation, how many the stream had produced."""

    def __init__(self, stream: Produced) -> None:
        super().__init__()
        self.stream, self.seen = stream, []

    def write(self, text: str) -> int:
        if "K0" in text:
            self.seen.append(self.stream.produced)
        return super().write(text)


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_the_streamed_formats_write_each_violation_as_it_comes(fmt: str) -> None:
    stream = Produced(5000)
    sink = Sink(stream)
    FORMATS[fmt](model(), _result(stream), sink)
    # The first violation was written when one had been produced, not all 5000.
    assert sink.seen[0] == 1 and sink.seen[-1] == 5000
    assert sink.getvalue().count("K0") == 5000
    if fmt == "json":
        report = json.loads(sink.getvalue())
        assert len(report["violations"]) == 5000 and report["violations_total"] == 5000


def test_streaming_holds_no_list_of_the_violations() -> None:
    """50,000 violations through the CSV writer into a sink that keeps nothing: the
    peak of Python's allocations stays far below what a list of them would take (below
    a list of a tenth of them: 1 MB, where the writer's peak is about 140 kB, whatever
    the number; a list of all of them would take 10 MB). Under tracemalloc, 200,000
    took 15 s for the same proof."""

    class Nowhere(io.TextIOBase):
        written = 0

        def write(self, text: str) -> int:
            self.written += len(text)
            return len(text)

    n = 50_000
    model()  # analysed before the count starts
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    kept = [Violation("C-WELCOME", f"K{i:09d}", "C001", f"opened_on=2026-01-{i % 28 + 1:02d}")
            for i in range(n // 10)]
    size_of_list = tracemalloc.get_traced_memory()[0] - base
    del kept
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    sink = Nowhere()
    write_csv(model(), _result(Produced(n)), sink)  # type: ignore[arg-type]
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    assert sink.written > n * 50
    # A list of a tenth of them took more than the whole streamed report did.
    assert peak < size_of_list, (peak, size_of_list)


def test_markdown_keeps_the_first_of_each_control_and_says_how_many() -> None:
    stream = Produced(SHOWN_PER_CONTROL * 4)
    out = io.StringIO()
    write_markdown(model(), _result(stream), out)
    text = out.getvalue()
    assert stream.produced == SHOWN_PER_CONTROL * 4  # all were read, for the counts
    assert text.count("| `C-WELCOME` |") == SHOWN_PER_CONTROL
    assert f"共 {SHOWN_PER_CONTROL * 4} 处违规;每项控制只列出前 {SHOWN_PER_CONTROL} 处" in text
    assert f"C-WELCOME 共 {SHOWN_PER_CONTROL * 4} 处" in text


class Counting(DuckDBEngine):
    """Counts the control queries started and the rows they yielded."""

    def __init__(self) -> None:
        super().__init__()
        self.scans = 0
        self.yielded = 0

    def rows(self, select: Any) -> Iterator[tuple[Any, ...]]:
        if "GROUPING SETS" not in select.sql("duckdb"):
            yield from super().rows(select)
            return
        self.scans += 1
        for row in super().rows(select):
            self.yielded += 1
            yield row


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("stream")
    return folder, write_registers(folder, 1500, K, "csv")


def test_the_engine_is_read_only_as_the_report_reads(registers: tuple[Path, dict[str, int]]
                                                     ) -> None:
    engine = Counting()
    try:
        result = audit(model(), data_files(model(), registers[0], {}), engine, AS_OF)
        assert engine.scans == 0  # the data checked; no control query run yet
        first = next(result.violations)
        assert engine.scans == 1 and first.control
        rest = list(result.violations)
        # one scan per register with per-row controls (clients, approvals), one for the cap
        assert engine.scans == 3
        assert 1 + len(rest) == sum(registers[1].values()) == result.total
        assert engine.yielded > 1 + len(rest)  # the counts came through the same rows
    finally:
        engine.close()


def _run(folder: Path) -> tuple[AuditResult, list[Violation]]:
    engine = DuckDBEngine()
    try:
        result = audit(model(), data_files(model(), folder, {}), engine, AS_OF)
        return result, list(result.violations)
    finally:
        engine.close()


def test_each_rule_is_measured_in_one_unit(registers: tuple[Path, dict[str, int]]) -> None:
    result, _ = _run(registers[0])
    by_id = {r.control.id: r for r in result.controls}
    for s in rule_summaries(model(), result):
        units = {by_id[c].unit for c in s.controls}
        assert s.unit == ("行" if "行" in units else "组"), s
    rules = {s.rule: s for s in rule_summaries(model(), result)}
    # 已开户客户维护率: three controls, two per row and one per centre; the rule counts
    # the active clients once, not clients + clients + centres.
    maint = rules["R-MAINT-100"]
    assert maint.unit == "行"
    assert maint.checked == by_id["C-MAINT-ASSIGNED"].checked
    assert maint.checked < sum(by_id[c].checked for c in maint.controls)
    assert (rules["R-MAINT-CAP"].unit, rules["R-MAINT-CAP"].checked) == (
        "组", by_id["C-MAINT-CAP"].checked)
    assert set(maint.checked_by_unit) == set(by_id["C-MAINT-ASSIGNED"].checked_by_unit)


def test_a_row_breaking_two_controls_of_a_rule_counts_once(
        registers: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for f in registers[0].iterdir():
        (data / f.name).write_bytes(f.read_bytes())
    path = data / "clients.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    head = rows[0]
    row = rows[2]  # a clean client, opened 100 days or more before the as-of date
    assert dt.date.fromisoformat(row[head.index("开户日期")]) < AS_OF - dt.timedelta(days=91)
    row[head.index("欢迎联络日期")] = row[head.index("首次检视日期")] = ""
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    before, _ = _run(registers[0])
    after, found = _run(data)
    controls = {r.control.id: r.violations for r in after.controls}
    assert {v.control for v in found if v.key == row[0]} == {"C-WELCOME", "C-FIRST-REVIEW"}
    assert controls["C-WELCOME"] == controls["C-FIRST-REVIEW"] == K + 1
    assert after.rules["R-FOLLOW-UP"].violations == before.rules["R-FOLLOW-UP"].violations + 1


def test_the_html_charts_are_accessible_svg_with_their_numbers_in_tables(
        registers: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run_cli("audit", PACK, "--data", registers[0], "--as-of", "2026-12-01",
                   "-f", "html", "-o", out).code == 1
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", page, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        ids = re.search(r'aria-labelledby="([^"]+)"', svg)
        assert ids and 'role="img"' in svg
        for ident in ids.group(1).split():
            assert re.search(rf'<(title|desc) id="{ident}">[^<]+</\1>', svg), ident
    result, _ = _run(registers[0])
    tables = page[page.index("</svg>"):]
    for s in rule_summaries(model(), result):
        # Each rule's figures, in its unit, in the table below the chart.
        assert f"{s.checked:,} {s.unit}" in tables and f"{s.violations:,} {s.unit}" in tables
    assert "各机构数据表" in page and ">C999<" in page


def test_duckdb_settings_are_options_and_the_temporary_folder_is_cleaned(
        registers: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    temp = tmp_path / "scratch"
    temp.mkdir()
    result = run_cli("audit", PACK, "--data", registers[0], "--as-of", "2026-12-01",
                     "--memory-limit", "256MB", "--threads", "1", "--temp-dir", temp,
                     "-f", "csv")
    assert result.code == 1, result.err
    assert len(result.out.splitlines()) == 1 + sum(registers[1].values())
    assert list(temp.iterdir()) == []
    bad = run_cli("audit", PACK, "--data", registers[0], "--memory-limit", "lots")
    assert bad.code == 2 and "Traceback" not in bad.err and "DuckDB" in bad.err
    assert run_cli("audit", PACK, "--data", registers[0], "--threads", "0").code == 2


def test_an_engine_failure_is_a_message_not_a_traceback(
        registers: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    # A memory limit too small for DuckDB even to read the files.
    result = run_cli("audit", PACK, "--data", registers[0], "--as-of", "2026-12-01",
                     "--memory-limit", "1MB", "-f", "csv", "-o", tmp_path / "out.csv")
    assert result.code == 2 and "Traceback" not in result.err, result.err
    assert "DuckDB" in result.err and not (tmp_path / "out.csv").exists()
