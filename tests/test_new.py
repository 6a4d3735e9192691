"""`policybook new DIR`: a pack to start from, valid as written, with editor modelines
that find the schemas, and the site config that builds it from any folder."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from generator.commands import new
from generator.load import discover
from generator.schema import KINDS, SCHEMA_DIR
from generator.yamlload import load_bytes

MODELINE = re.compile(r"# yaml-language-server: \$schema=(?P<schema>\S+)\n")


def make(folder: Path, *options: str) -> Path:
    result = run_cli("new", folder, *options)
    assert result.code == 0, result.err
    return folder


def read(path: Path) -> dict[str, Any]:
    data = load_bytes(path.read_bytes(), str(path)).data
    assert isinstance(data, dict)
    return data


def check(folder: Path) -> tuple[int, set[str]]:
    result = run_cli("check", folder, "--format", "json")
    return result.code, {d["check"] for d in json.loads(result.out)["diagnostics"]}


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return make(tmp_path / "leave-request")


def test_every_kind_once(pack: Path) -> None:
    kinds = sorted(read(path)["kind"] for path in discover(pack))
    assert kinds == sorted(KINDS)


def test_the_pack_is_laid_out_like_the_language(pack: Path) -> None:
    folders = {path.parent.name: read(path)["kind"] for path in discover(pack)
               if path.parent != pack}
    assert folders == {"flows": "flow", "decisions": "decision_table",
                       "questionnaires": "questionnaire", "forms": "form",
                       "checklists": "checklist", "scripts": "script", "cases": "cases",
                       "registers": "register", "controls": "controls"}
    assert (pack / "mkdocs.yml").is_file() and (pack / "docs").is_dir()


def test_every_file_has_a_modeline_that_finds_its_schema(pack: Path) -> None:
    for path in discover(pack):
        found = MODELINE.match(path.read_text(encoding="utf-8"))
        assert found, path
        schema = (path.parent / found["schema"]).resolve()
        assert schema == SCHEMA_DIR / f"{read(path)['kind']}.schema.json", path
        assert schema.is_file()
        assert not Path(found["schema"]).is_absolute()


def test_modeline_is_absolute_when_no_relative_path_exists(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def other_drive(path: object, start: object = None) -> str:
        raise ValueError("path is on mount 'D:', start on mount 'C:'")

    monkeypatch.setattr(new.os.path, "relpath", other_drive)
    made = make(tmp_path / "pack")
    first = (made / "flows" / "application.yaml").read_text(encoding="utf-8").splitlines()[0]
    schema = (SCHEMA_DIR / "flow.schema.json").as_posix()
    assert first == f"# yaml-language-server: $schema={schema}"


def test_check_passes_with_only_the_drafted_content_warning(pack: Path) -> None:
    assert check(pack) == (0, {"provenance.drafted"})


def test_everything_is_drafted(pack: Path) -> None:
    for path in discover(pack):
        assert "sourced:" not in path.read_text(encoding="utf-8"), path
    assert "sources" not in read(pack / "pack.yaml")


def test_id_and_title(tmp_path: Path) -> None:
    made = make(tmp_path / "x", "--id", "leave_request-2", "--title", "请假申请: 办理")
    data = read(made / "pack.yaml")
    assert (data["id"], data["title"]) == ("leave_request-2", "请假申请: 办理")
    assert 'site_name: "请假申请: 办理"' in (made / "mkdocs.yml").read_text(encoding="utf-8")
    assert check(made) == (0, {"provenance.drafted"})


def test_a_title_that_yaml_would_read_as_another_type_stays_text(tmp_path: Path) -> None:
    made = make(tmp_path / "x", "--id", "true", "--title", "2026")
    data = read(made / "pack.yaml")
    assert (data["id"], data["title"]) == ("true", "2026")
    assert check(made) == (0, {"provenance.drafted"})


def test_defaults(pack: Path) -> None:
    data = read(pack / "pack.yaml")
    assert (data["id"], data["title"]) == ("leave-request", "新流程")


@pytest.mark.parametrize(("name", "expected"), [
    ("leave-request", "leave-request"),
    ("my pack", "my-pack"),
    ("请假 leave", "leave"),
    ("2026 plan", "pack-2026-plan"),
    ("_private", "private"),
    ("请假申请", "new-pack"),
    ("a" * 80, "a" * 64),
])
def test_default_id_from_the_folder_name(tmp_path: Path, name: str, expected: str) -> None:
    assert new.default_id(tmp_path / name) == expected
    new.check_id(expected)


@pytest.mark.parametrize("bad", ["1st", "has space", "请假", "a" * 65, ""])
def test_a_bad_id_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    result = run_cli("new", tmp_path / "pack", "--id", bad)
    assert result.code == 2
    assert f"--id “{bad}” 不是有效的标识" in result.err
    assert not (tmp_path / "pack").exists()


def test_an_empty_title_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("new", tmp_path / "pack", "--title", " ")
    assert result.code == 2 and "--title" in result.err
    assert not (tmp_path / "pack").exists()


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "pack").mkdir()
    assert check(make(tmp_path / "pack"))[0] == 0


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("new", folder)
    assert result.code == 2
    assert str(folder) in result.err and "--force" in result.err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_force_overwrites_only_the_files_new_writes(pack: Path) -> None:
    (pack / "notes.txt").write_text("mine", encoding="utf-8")
    written = pack / "pack.yaml"
    original = written.read_text(encoding="utf-8")
    written.write_text("kind: pack\n", encoding="utf-8")
    assert run_cli("new", pack).code == 2
    result = run_cli("new", pack, "--force")
    assert result.code == 0, result.err
    assert written.read_text(encoding="utf-8") == original
    assert (pack / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not [p for p in pack.rglob("*") if p.name.startswith(".policybook-")]


def test_a_file_in_the_way_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pack").write_text("", encoding="utf-8")
    result = run_cli("new", tmp_path / "pack")
    assert result.code == 2 and str(tmp_path / "pack") in result.err


def test_it_says_what_it_wrote_and_what_to_run_next(tmp_path: Path) -> None:
    folder = tmp_path / "my pack"
    result = run_cli("new", folder)
    assert result.code == 0
    listed = {line.strip() for line in result.out.splitlines() if line.startswith("  ")}
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    quoted = f"'{folder}'"
    assert listed == written | {f"policybook check {quoted}", f"policybook build {quoted}"}


def test_the_site_config_is_not_a_policy_file(pack: Path) -> None:
    assert pack / "mkdocs.yml" not in discover(pack)
    assert pack / "docs" / "about.md" not in discover(pack)


def test_the_template_is_itself_a_valid_pack() -> None:
    assert check(new.TEMPLATE) == (0, {"provenance.drafted"})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_of_a_committed_pack_skips_its_site_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    made = make(tmp_path / "pack")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "new pack"], check=True)
    params = made / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("value: 5\n", "value: 7\n"),
                      encoding="utf-8")
    result = run_cli("diff", "HEAD", "--policies", "pack", "--format", "json")
    assert result.code == 0, result.err
    assert "mkdocs.yml" not in result.out + result.err
    assert "processing_days" in result.out


@pytest.mark.slow
def test_the_new_pack_builds_from_another_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = make(tmp_path / "pack")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no mkdocs.yml here: the pack's own is used
    result = run_cli("build", made, "--out", tmp_path / "out", "-j", "1")
    assert result.code == 0, result.err
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    assert list((tmp_path / "out" / "pdf").rglob("*.pdf"))
    assert (tmp_path / "out" / "site" / "print" / "flows" / "application.pdf").is_file()
