"""The traceability matrix (``generator.trace``) and ``policybook trace``.

The matrix is what auditors and the handbook read, so it is specified on the minimal
pack row by row; the committed coverage list must be what the shipped pack gives now.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from conftest import EXAMPLES, POLICIES, run_cli

from generator.pipeline import analyse
from generator.trace import (
    Link,
    TraceRow,
    build_coverage,
    build_matrix,
    drafted_elements,
    to_markdown,
)

MINIMAL = EXAMPLES / "valid" / "minimal"
COVERAGE_MD = POLICIES / "COVERAGE.md"


def ids(links: tuple[Link, ...]) -> list[str]:
    return [link.id for link in links]


def matrix(path: Path = MINIMAL) -> dict[str, TraceRow]:
    return {row.rule: row for row in build_matrix(analyse(path, checks=False).model)}


def test_each_rule_traces_to_what_implements_and_tests_it() -> None:
    rows = matrix()
    assert list(rows) == ["R-ELIG", "R-KYC"]
    elig = rows["R-ELIG"]
    assert (elig.status, elig.citation, elig.line) == ("sourced", "第二部分 四(二)", 16)
    assert elig.file.endswith("minimal/rules.yaml")
    assert ids(elig.steps) == ["eligibility"]
    assert ids(elig.decisions) == ["eligibility_table", "eligibility_table/meets_standard",
                                   "eligibility_table/below_standard"]
    assert ids(elig.forms) == ["client_info/assets"]
    assert ids(elig.checklist_items) == ["opening_checklist/check_assets"]
    assert ids(elig.cases) == ["assets_at_threshold", "eligible_client_opens"]
    assert elig.constraints == ("opening: → opened 依次经过 eligibility→eligible",)
    kyc = rows["R-KYC"]
    assert ids(kyc.steps) == ["collect_info"]
    assert ids(kyc.forms) == ["client_info"]
    assert ids(kyc.questionnaires) == ["risk_quiz"]
    assert ids(kyc.checklist_items) == ["opening_checklist/check_identity"]
    assert ids(kyc.cases) == ["cautious_client", "eligible_client_opens"]
    assert kyc.constraints == (
        "opening: → opened、declined 依次经过 collect_info → 命名环节 review",)
    assert all(r.implemented and r.tested for r in rows.values())


def test_links_point_at_their_yaml_lines() -> None:
    elig = matrix()["R-ELIG"]
    step = elig.steps[0]
    assert (step.kind, step.title, step.file.endswith("flows/opening.yaml"), step.line) == (
        "step", "审定准入资格", True, 37)
    row = elig.decisions[1]
    assert (row.kind, row.file.endswith("decisions/eligibility.yaml"), row.line) == (
        "decision_row", True, 24)


def test_coverage_lists_every_section_of_the_source_with_the_elements_citing_it() -> None:
    model = analyse(MINIMAL, checks=False).model
    coverage = {c.citation: c for c in build_coverage(model)}
    assert model.meta is not None
    assert list(coverage) == [s.citation for s in model.meta.sources[0].sections]
    assert {c.source for c in coverage.values()} == {"deck"}
    rules_section = coverage["第二部分 四(二)"]
    sourced = [(x.kind, x.id) for x in rules_section.sourced]
    assert ("rule", "R-ELIG") in sourced and ("decision_table", "eligibility_table") in sourced
    flow_section = coverage["第三部分 (一)"]
    assert [(x.kind, x.id) for x in flow_section.drafted] == [("flow", "opening")]
    assert not coverage["第四部分"].covered
    (rules_file,) = coverage["第二部分 四"].sourced  # rules.yaml cites it for all its rules
    assert rules_file.kind == "document" and rules_file.id.endswith("minimal/rules.yaml")
    heading = coverage["第三部分"]  # encoded through its subsection (一) only
    assert (heading.sourced, heading.drafted, heading.covered) == ((), (), True)
    drafted = {(x.kind, x.id) for x in drafted_elements(model)}
    assert ("step", "collect_info") in drafted and ("rule", "R-ELIG") not in drafted


def test_csv_has_one_line_per_rule(in_root: Path) -> None:
    result = run_cli("trace", "tests/examples/valid/minimal")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["rule"] for r in rows] == ["R-ELIG", "R-KYC"]
    assert rows[0]["steps"] == "eligibility"
    assert rows[0]["cases"] == "assets_at_threshold; eligible_client_opens"
    assert rows[0]["citation"] == "第二部分 四(二)"
    assert {r["implemented"] for r in rows} == {"yes"}


def test_json_is_data_for_the_handbook(in_root: Path) -> None:
    result = run_cli("trace", "tests/examples/valid/minimal", "--format", "json")
    payload = json.loads(result.out)
    assert payload["pack"] == "minimal"
    assert [r["rule"] for r in payload["rules"]] == ["R-ELIG", "R-KYC"]
    assert payload["rules"][0]["steps"][0] == {
        "kind": "step", "id": "eligibility", "title": "审定准入资格",
        "file": "tests/examples/valid/minimal/flows/opening.yaml", "line": 37}
    assert len(payload["coverage"]) == 15  # the sections of the minimal pack's outline
    assert all({"citation", "sourced", "drafted", "covered"} <= set(c) for c in payload["coverage"])


def test_untested_rule_shows_in_the_matrix_and_trace_still_succeeds(tmp_path: Path) -> None:
    """Auditors need the matrix most when it has holes: check findings do not stop it."""
    case = EXAMPLES / "check" / "trace.rule-untested" / "cases" / "opening.yaml"
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    shutil.copyfile(case, pack / "cases" / "opening.yaml")
    result = run_cli("trace", pack)
    assert result.code == 0, result.err
    rows = {r["rule"]: r for r in csv.DictReader(io.StringIO(result.out))}
    assert (rows["R-KYC"]["tested"], rows["R-KYC"]["cases"]) == ("no", "")


def test_unreadable_pack_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "pack"
    bad.mkdir()
    (bad / "pack.yaml").write_text("kind: pack\nid: [\n", encoding="utf-8")
    out = tmp_path / "out" / "matrix.csv"
    result = run_cli("trace", bad, "-o", out)
    assert result.code == 1
    assert "yaml.syntax" in result.err
    assert not out.exists()


def test_output_file_is_written_whole(tmp_path: Path, in_root: Path) -> None:
    out = tmp_path / "reports" / "coverage.md"
    result = run_cli("trace", "tests/examples/valid/minimal", "-f", "markdown", "-o", out)
    assert result.code == 0 and result.out == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 来源文件覆盖清单\n") and "政策包《最小开户流程》" in text
    assert [p.name for p in out.parent.iterdir()] == ["coverage.md"]  # no temporary left


def test_csv_file_opens_in_excel_with_chinese_intact(tmp_path: Path, in_root: Path) -> None:
    out = tmp_path / "matrix.csv"
    assert run_cli("trace", "tests/examples/valid/minimal", "-o", out).code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that tells Excel it is UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["title"] == "严格执行客户准入资格审定"


def test_committed_coverage_list_is_current(in_root: Path) -> None:
    model = analyse(POLICIES, checks=False).model
    expected = to_markdown(model, build_matrix(model))
    assert COVERAGE_MD.read_text(encoding="utf-8") == expected, (
        "policies/COVERAGE.md is out of date: run "
        "`policybook trace --format markdown -o policies/COVERAGE.md`")
