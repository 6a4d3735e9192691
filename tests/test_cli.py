"""`policybook validate` as a user meets it: exit codes 0/1/2, every format, -o, colour
only where it belongs, and never a Python traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run_cli
from test_validate_examples import Case, invalid_cases, lay_out

MINIMAL = EXAMPLES / "valid" / "minimal"
INVALID = EXAMPLES / "invalid"
CASES = invalid_cases()


@pytest.fixture
def broken(tmp_path: Path) -> Iterator[Path]:
    """The minimal pack with two mistakes in two files, validated from its own folder."""
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    params = pack / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace(
        "    value: 1000000\n", '    value: "100万"\n'), encoding="utf-8")
    flow = pack / "flows" / "opening.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace(
        "    type: task\n", "    type: tsk\n"), encoding="utf-8")
    old = Path.cwd()
    os.chdir(pack)
    try:
        yield pack
    finally:
        os.chdir(old)


@pytest.fixture(autouse=True)
def no_colour_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


# --- exit codes ------------------------------------------------------------------------------


def test_a_valid_pack_exits_0_and_says_so() -> None:
    run = run_cli("validate", MINIMAL)
    assert (run.code, run.out, run.err) == (0, "15 个文件,未发现问题。\n", "")


def test_an_invalid_pack_exits_1_and_reports_every_problem_sorted(broken: Path) -> None:
    run = run_cli("validate", ".")
    assert run.code == 1
    lines = [ln for ln in run.out.splitlines() if not ln.startswith(" ")]
    assert lines == [
        "flows/opening.yaml:19:11: error [schema.not-allowed] “type” 的值 文字 “tsk” "
        "不在允许范围内(可选:start、task、decision、end)。",
        "parameters.yaml:9:12: error [schema.wrong-type] “value” 应为数字,实际是文字 “100万”。",
        "15 个文件:2 个错误。",
    ]
    assert "    位置: steps[1].type\n    提示: 是否应为 “task”?\n" in run.out


def test_a_missing_path_is_wrong_usage() -> None:
    run = run_cli("validate", "no/such/folder")
    assert run.code == 2
    assert run.out == ""
    assert run.err == ("policybook validate: 找不到 no/such/folder。"
                       "请给出政策文件夹(如 policies/)或一个 .yaml 文件。\n")


@pytest.mark.parametrize("argv", [("validate", "--format", "xml"), ("validate", "--nope"),
                                  ("frobnicate",), ()])
def test_bad_arguments_are_wrong_usage(argv: tuple[str, ...]) -> None:
    run = run_cli(*argv)
    assert run.code == 2
    assert "usage: policybook" in run.err
    assert "Traceback" not in run.err + run.out


def test_default_path_is_policies_in_the_working_directory(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "policies")
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        run = run_cli("validate")
    finally:
        os.chdir(old)
    assert (run.code, run.out) == (0, "15 个文件,未发现问题。\n")


def test_one_file_can_be_validated_on_its_own() -> None:
    """A flow file alone is checked as a document: no 'missing pack', no 'unknown parameter'."""
    run = run_cli("validate", MINIMAL / "flows" / "opening.yaml")
    assert (run.code, run.out) == (0, "1 个文件,未发现问题。\n")
    bad = run_cli("validate", INVALID / "end-step-with-next" / "flows" / "opening.yaml")
    assert bad.code == 1 and "[schema.conflict] type 为 “end” 时不能写 “next”。" in bad.out


def test_warnings_pass_unless_strict() -> None:
    """The minimal pack is drafted: `check` warns about that, and --strict makes it fail."""
    assert run_cli("check", MINIMAL).code == 0
    strict = run_cli("check", "--strict", MINIMAL)
    assert strict.code == 1 and "warning [provenance.drafted]" in strict.out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_invalid_example_causes_a_traceback(case: Case, tmp_path: Path) -> None:
    lay_out(case, tmp_path)
    run = run_cli(case.command, tmp_path)
    errors = any(e.get("severity", "error") == "error" for e in case.expect)
    assert run.code == (1 if errors else 0), (run.out, run.err)
    assert run.err == ""
    other = run_cli("check" if case.command == "validate" else "validate", tmp_path)
    assert other.code in (0, 1) and other.err == ""


# --- formats and output files -------------------------------------------------------------------


def test_json_format(broken: Path) -> None:
    run = run_cli("validate", "--format", "json", ".")
    report = json.loads(run.out)
    assert run.code == 1
    assert (report["command"], report["files"], report["errors"]) == ("validate", 15, 2)
    assert [(d["check"], d["file"], d["line"], d["column"], d["path"])
            for d in report["diagnostics"]] == [
        ("schema.not-allowed", "flows/opening.yaml", 19, 11, "steps[1].type"),
        ("schema.wrong-type", "parameters.yaml", 9, 12, "parameters[0].value"),
    ]


def test_github_format(broken: Path) -> None:
    run = run_cli("validate", "-f", "github", ".")
    assert run.code == 1
    assert run.out.splitlines()[0].startswith(
        "::error file=flows/opening.yaml,line=19,col=11,title=schema.not-allowed::")
    assert run.out.splitlines()[1].startswith(
        "::error file=parameters.yaml,line=9,col=12,title=schema.wrong-type::")


def test_sarif_format(broken: Path) -> None:
    run = run_cli("validate", "--format", "sarif", ".")
    results = json.loads(run.out)["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [("schema.not-allowed", 19), ("schema.wrong-type", 9)]


def test_output_file_gets_the_report_and_stdout_stays_empty(broken: Path) -> None:
    run = run_cli("validate", "--format", "json", "-o", "reports/out.json", ".")
    assert (run.code, run.out) == (1, "")
    assert json.loads((broken / "reports" / "out.json").read_text(encoding="utf-8"))["errors"] == 2


def test_an_output_path_that_cannot_be_written_is_wrong_usage(broken: Path) -> None:
    (broken / "taken").mkdir()
    run = run_cli("validate", "-o", "taken", ".")
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("policybook validate: 无法写入报告文件 taken:")


def test_output_file_in_text_format_has_no_colour(broken: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    run_cli("validate", "-o", "out.txt", ".")
    text = (broken / "out.txt").read_text(encoding="utf-8")
    assert "\033[" not in text and text.endswith("15 个文件:2 个错误。\n")


# --- colour ---------------------------------------------------------------------------------------


def test_no_colour_when_output_is_not_a_terminal(broken: Path) -> None:
    assert "\033[" not in run_cli("validate", ".").out


def test_force_color_paints_even_into_a_pipe(broken: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\033[31merror\033[0m" in run_cli("validate", ".").out


@pytest.mark.parametrize(("env", "value"), [("NO_COLOR", "1"), ("FORCE_COLOR", "0")])
def test_no_color_wins_and_force_color_0_does_not_force(
        broken: Path, monkeypatch: pytest.MonkeyPatch, env: str, value: str) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv(env, value)
    assert "\033[" not in run_cli("validate", ".").out


# --- the real process --------------------------------------------------------------------------


def test_the_installed_command_exits_with_the_same_codes(tmp_path: Path) -> None:
    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("FORCE_COLOR", None)
        return subprocess.run([sys.executable, "-m", "generator", *argv], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=120)

    ok = run("validate", str(MINIMAL))
    assert (ok.returncode, ok.stdout) == (0, "15 个文件,未发现问题。\n")
    bad = run("validate", str(INVALID / "yaml-tab-indent" / "flows" / "opening.yaml"))
    assert bad.returncode == 1 and "[yaml.tab]" in bad.stdout and bad.stderr == ""
    usage = run("validate", "missing")
    assert usage.returncode == 2 and "找不到 missing" in usage.stderr
    assert "Traceback" not in ok.stderr + bad.stderr + usage.stderr
