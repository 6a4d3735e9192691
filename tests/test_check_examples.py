"""The example folders under ``examples/check`` are the specification of
``policybook check``: one folder per check id, each a small mistake laid over
``examples/valid/minimal``, with the exact findings (check, file, line, column,
severity) that the mistake must produce, no more and no fewer.

The folder format is the one of ``examples/invalid`` (see ``examples/README.md``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES
from test_validate_examples import Case, lay_out, load_case

from generator.checks import REGISTRY, run_checks
from generator.diagnostics import Diagnostic, Severity
from generator.model import build_model
from generator.pipeline import analyse
from generator.schema import load_schemas, validate_document
from generator.validate import validate
from generator.yamlload import SourceMap

CHECK = EXAMPLES / "check"
CASES = [load_case(p) for p in sorted(CHECK.iterdir()) if (p / "expected.yaml").exists()]


@pytest.fixture
def chdir_tmp(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def findings(case: Case) -> list[Diagnostic]:
    """Warnings and errors; the base pack's drafted-content summary only where it is
    the subject of the case."""
    return [d for d in analyse(Path(".")).diagnostics
            if d.severity >= Severity.WARNING
            and (d.check != "provenance.drafted" or case.name == "provenance.drafted")]


def where(d: Diagnostic | dict[str, Any]) -> tuple[str, str, int, int, str]:
    if isinstance(d, Diagnostic):
        return (d.check, d.file, d.line, d.column, d.severity.label)
    return (d["check"], d["file"], d["line"], d["column"], d["severity"])


def test_every_check_has_an_example() -> None:
    run_checks(build_model(validate(EXAMPLES / "valid" / "minimal"))[0])  # loads every module
    # A kind added by a test (tests/toy_kind, used by test_kinds) registers its reference
    # checks in the same process; those are the toy's, not the toolkit's.
    from tests.toy_kind import ledger as toy
    toy_checks = {f"ref.unknown-{t.name}" for t in toy.KIND.targets}
    assert {c.name for c in CASES} == set(REGISTRY) - toy_checks


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_example_reports_exactly_the_expected_findings(case: Case, chdir_tmp: Path) -> None:
    assert case.name in {e["check"] for e in case.expect}, "the folder is named after its check"
    lay_out(case, chdir_tmp)
    assert sorted(where(d) for d in findings(case)) == sorted(where(e) for e in case.expect), \
        case.mistake


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_findings_say_where_and_what_to_do(case: Case, chdir_tmp: Path) -> None:
    lay_out(case, chdir_tmp)
    for d in findings(case):
        assert d.message.strip() and d.hint.strip(), d
        assert d.pointer and d.yaml_path != "$", d
        assert d.check in REGISTRY, d


COUNTEREXAMPLE_CHECKS = ["decision.gap", "decision.overlap", "decision.redundant",
                         "decision.shadowed", "questionnaire.band-gap",
                         "questionnaire.band-overlap"]


@pytest.mark.parametrize("check_id", COUNTEREXAMPLE_CHECKS)
def test_counterexample_is_a_valid_test_case(check_id: str, chdir_tmp: Path) -> None:
    """The related lines paste into ``cases/`` as they are: the schema accepts them."""
    case = next(c for c in CASES if c.name == check_id)
    lay_out(case, chdir_tmp)
    (finding,) = [d for d in findings(case) if d.check == check_id]
    pasted = "\n".join(finding.related[1:])
    document = {"kind": "cases", "id": "pasted", "title": "粘贴的案例",
                "provenance": {"drafted": "由 policybook check 生成的反例。"},
                "cases": yaml.safe_load(pasted.replace("TODO", "todo"))}
    assert validate_document(document, "cases", "x.yaml", SourceMap(), load_schemas()) == []
    (pasted_case,) = document["cases"]
    assert pasted_case["rules"], "the counterexample names the rules it tests"


def test_path_violation_lists_the_offending_path_step_by_step(chdir_tmp: Path) -> None:
    case = next(c for c in CASES if c.name == "order.path-violates")
    lay_out(case, chdir_tmp)
    (finding,) = findings(case)
    assert finding.related[0] == "路径:"
    steps = [line.split(". ", 1)[1].split("(")[0] for line in finding.related[1:]]
    assert steps == ["start", "collect_info", "eligibility", "经结果 eligible"]
    assert "collect_info" in finding.message and "opened" in finding.message
