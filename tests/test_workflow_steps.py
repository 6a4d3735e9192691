"""The scripts inside the policy-review workflow, run here as GitHub would run them:
the diff step's shell (exit codes → step outputs, job summary) in a throw-away
repository, and the comment step's JavaScript (Node) against a fake GitHub API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from test_diff import GIT_ENV, PackRepo, lower_threshold, reword_kyc_rule
from test_workflows import load, step

from generator.diff.report import MARKER

WORKFLOW = ROOT / ".github" / "workflows" / "policy-review.yml"
NODE = shutil.which("node")


def diff_step() -> str:
    script: str = step(load(WORKFLOW), "review", "Diff against the base branch")["run"]
    return script


def run_diff_step(repo: PackRepo, base: str, tmp_path: Path) -> tuple[int, dict[str, str], str]:
    """Run the step's script with bash as the runner does (``bash -e``), with
    ``.venv/bin/policybook`` running this checkout's code."""
    venv_bin = repo.root / ".venv" / "bin"
    venv_bin.mkdir(parents=True, exist_ok=True)
    wrapper = venv_bin / "policybook"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n',
                       encoding="utf-8")
    wrapper.chmod(0o755)
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    env = {**os.environ, **GIT_ENV, "BASE_SHA": base, "GITHUB_OUTPUT": str(output),
           "GITHUB_STEP_SUMMARY": str(summary), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["bash", "-e", "-c", diff_step()], cwd=repo.root, env=env,
                          capture_output=True, text=True, check=False)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
    return done.returncode, outputs, summary.read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PackRepo:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return PackRepo(root)


def test_diff_step_flags_a_material_change(repo: PackRepo, tmp_path: Path) -> None:
    base = repo.git("rev-parse", "HEAD")
    lower_threshold(repo)
    repo.commit("下调准入门槛")
    code, outputs, summary = run_diff_step(repo, base, tmp_path)
    assert code == 0
    assert outputs == {"material": "true"}
    assert summary.startswith(MARKER + "\n")
    assert "`min_financial_assets` 修改取值:100万元 → 80万元" in summary
    report = json.loads((repo.root / "build/policy-diff.json").read_text(encoding="utf-8"))
    assert report["summary"]["material"] == 2  # the threshold and its effect


def test_diff_step_passes_an_editorial_change(repo: PackRepo, tmp_path: Path) -> None:
    base = repo.git("rev-parse", "HEAD")
    reword_kyc_rule(repo)
    repo.commit("措辞")
    code, outputs, summary = run_diff_step(repo, base, tmp_path)
    assert (code, outputs) == (0, {"material": "false"})
    assert "只有 1 项文字性变更" in summary


def test_diff_step_fails_on_invalid_policies_but_leaves_the_report(
        repo: PackRepo, tmp_path: Path) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.edit("parameters.yaml", "value: 1000000", 'value: "100万"')
    repo.commit("写错了")
    code, outputs, summary = run_diff_step(repo, base, tmp_path)
    assert code == 1 and outputs == {}
    assert "> [!CAUTION]" in summary  # the comment step still posts it


# --- the comment step ----------------------------------------------------------------------

_HARNESS = """
const fs = require('fs');
const state = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const calls = [];
const github = {
  paginate: async (fn, args) => { calls.push(['list', args.issue_number]); return state.comments; },
  rest: { issues: {
    listComments: 'listComments',
    updateComment: async (a) => { calls.push(['update', a.comment_id, a.body]); },
    createComment: async (a) => {
      calls.push(['create', a.issue_number, a.body]);
      return { data: { html_url: 'https://example.invalid/c/new' } };
    },
  } },
};
const context = { repo: { owner: 'bank', repo: 'policybook' }, serverUrl: 'https://github.example',
                  runId: 42, payload: { pull_request: { number: 7 } } };
const core = { info: () => {} };
const script = fs.readFileSync(process.argv[3], 'utf8');
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('github', 'context', 'core', 'require', script)(github, context, core, require)
  .then(() => console.log(JSON.stringify(calls)))
  .catch((e) => { console.error(e); process.exit(1); });
"""


def run_comment_step(tmp_path: Path, report: str, comments: list[dict[str, Any]]) -> Any:
    if NODE is None:
        pytest.skip("needs node (make setup installs it with npm)")
    script = step(load(WORKFLOW), "review",
                  "Comment on the pull request (one comment, updated in place)")["with"]["script"]
    (tmp_path / "build").mkdir(exist_ok=True)
    (tmp_path / "build" / "policy-diff.md").write_text(report, encoding="utf-8")
    (tmp_path / "state.json").write_text(json.dumps({"comments": comments}), encoding="utf-8")
    (tmp_path / "script.js").write_text(script, encoding="utf-8")
    (tmp_path / "harness.js").write_text(_HARNESS, encoding="utf-8")
    done = subprocess.run([NODE, "harness.js", "state.json", "script.js"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_first_run_creates_the_comment(tmp_path: Path) -> None:
    report = f"{MARKER}\n## 政策变更评审\n"
    calls = run_comment_step(tmp_path, report, [
        {"id": 1, "user": {"type": "User"}, "body": f"quoting {MARKER} by hand"}])
    assert calls == [["list", 7], ["create", 7, report]]


def test_later_runs_update_the_bots_comment(tmp_path: Path) -> None:
    report = f"{MARKER}\n## 政策变更评审(第二次)\n"
    calls = run_comment_step(tmp_path, report, [
        {"id": 1, "user": {"type": "User"}, "body": "LGTM"},
        {"id": 2, "user": {"type": "Bot"}, "body": f"{MARKER}\n旧报告"}])
    assert calls == [["list", 7], ["update", 2, report]]


def test_an_oversized_report_is_cut_below_githubs_limit(tmp_path: Path) -> None:
    report = MARKER + "\n" + "- 【文字】 很长的报告\n" * 6000
    calls = run_comment_step(tmp_path, report, [])
    body = calls[1][2]
    assert body.startswith(MARKER) and len(body) <= 65536
    assert "报告过长,已截断" in body
    assert "https://github.example/bank/policybook/actions/runs/42" in body
