"""The example folders are the specification of validation.

Every pack under ``examples/valid`` validates with no diagnostic at all; every case
under ``examples/invalid`` produces exactly the errors and warnings its ``expected.yaml`` lists,
at the file, line and column given there (see ``examples/README.md``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES

from generator.diagnostics import Diagnostic, Severity
from generator.pipeline import analyse
from generator.validate import validate

VALID = EXAMPLES / "valid"
INVALID = EXAMPLES / "invalid"


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    mistake: str
    expect: list[dict[str, Any]]
    base: str = "minimal"
    remove: list[str] = field(default_factory=list)
    command: str = "validate"


def load_case(folder: Path) -> Case:
    spec = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    return Case(folder.name, folder, spec["mistake"], spec["expect"],
                base=spec.get("base", "minimal"), remove=spec.get("remove", []),
                command=spec.get("command", "validate"))


def invalid_cases() -> list[Case]:
    return [load_case(p) for p in sorted(INVALID.iterdir()) if (p / "expected.yaml").exists()]


@pytest.fixture
def chdir_tmp(tmp_path: Path) -> Iterator[Path]:
    """Work inside a temporary pack root, so reported paths are relative to it."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def lay_out(case: Case, root: Path) -> None:
    if case.base != "none":
        shutil.copytree(VALID / case.base, root, dirs_exist_ok=True)
    for name in case.remove:
        (root / name).unlink()
    for src in case.folder.rglob("*"):
        if src.is_file() and src.name != "expected.yaml":
            dest = root / src.relative_to(case.folder)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)


def diagnose(case: Case) -> list[Diagnostic]:
    if case.command == "check":
        return analyse(Path(".")).diagnostics
    assert case.command == "validate", case.command
    return validate(Path(".")).diagnostics


def where(d: Diagnostic | dict[str, Any]) -> tuple[str, str, str, int, int]:
    if isinstance(d, Diagnostic):
        return (d.severity.label, d.check, d.file, d.line, d.column)
    return (d.get("severity", "error"), d["check"], d["file"], d["line"], d["column"])


# --- valid packs --------------------------------------------------------------------------


@pytest.mark.parametrize("pack", sorted(p.name for p in VALID.iterdir() if p.is_dir()))
def test_valid_pack_has_no_diagnostic(pack: str) -> None:
    result = validate(VALID / pack)
    assert result.diagnostics == []
    assert all(doc.valid for doc in result.documents)


def test_minimal_pack_uses_every_kind() -> None:
    from generator.schema import KINDS

    kinds = {doc.kind for doc in validate(VALID / "minimal").documents}
    assert kinds == set(KINDS)


def test_minimal_pack_passes_the_whole_analysis() -> None:
    analysis = analyse(VALID / "minimal")
    # The pack is drafted test content: the one summary warning about that is expected.
    findings = [where(d) for d in analysis.diagnostics
                if d.severity >= Severity.WARNING and d.check != "provenance.drafted"]
    assert findings == []
    assert analysis.ok
    model = analysis.model
    assert list(model.flows) == ["opening"]
    assert set(model.steps) == {"start", "collect_info", "eligibility", "opened", "declined"}
    table = model.decision_tables["eligibility_table"]
    assert [r.id for r in table.evaluate({"financial_assets": 1_000_000})] == ["meets_standard"]
    assert [r.id for r in table.evaluate({"financial_assets": 999_999})] == ["below_standard"]
    quiz = model.questionnaires["risk_quiz"]
    assert (quiz.min_score, quiz.max_score) == (0, 4)
    assert model.text("{{ min_assets }}") == "100万元"


# --- invalid cases ------------------------------------------------------------------------

CASES = invalid_cases()


def test_there_are_many_kinds_of_mistake() -> None:
    kinds = {(e["check"]) for c in CASES for e in c.expect}
    assert len(CASES) >= 40
    assert len(kinds) >= 30, sorted(kinds)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_reports_exactly_the_expected_findings(case: Case, chdir_tmp: Path) -> None:
    lay_out(case, chdir_tmp)
    diagnostics = diagnose(case)
    found = [where(d) for d in diagnostics if d.severity >= Severity.WARNING]
    assert sorted(found) == sorted(where(e) for e in case.expect), case.mistake


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_diagnostics_say_what_to_do(case: Case, chdir_tmp: Path) -> None:
    lay_out(case, chdir_tmp)
    for d in diagnose(case):
        assert d.message.strip() and d.hint.strip(), d
        assert d.line >= 1 and d.column >= 1, d
        assert "Traceback" not in d.message
        # The YAML path names the place when the diagnostic is inside a document.
        assert d.pointer == "" or d.yaml_path not in ("", "$"), d
