"""Files the loader does not read are reported (``pack.unread-file``), and a policy file
that cannot be read is a diagnostic naming it (``file.unreadable``), never a crash."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.errors import EXIT_INVALID
from generator.load import load_pack
from tests.conftest import EXAMPLES, run_cli

MINIMAL = EXAMPLES / "valid" / "minimal"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINIMAL, tmp_path / "pack"))


def unread(pack: Path) -> dict[str, str]:
    return {d.file.rsplit("pack/", 1)[-1]: d.message for d in load_pack(pack).diagnostics
            if d.check == "pack.unread-file"}


def test_case_variants_links_to_nothing_pipes_and_folders_are_reported(pack: Path) -> None:
    shutil.copy(pack / "glossary.yaml", pack / "extra.YAML")
    shutil.copy(pack / "scripts" / "opening.yaml", pack / "scripts" / "b.Yml")
    (pack / "dangling.yaml").symlink_to(pack / "nowhere.yaml")
    os.mkfifo(pack / "flows" / "pipe.yaml")
    (pack / "dir.yaml").mkdir()
    found = unread(pack)
    assert sorted(found) == ["dangling.yaml", "dir.yaml", "extra.YAML", "flows/pipe.yaml",
                             "scripts/b.Yml"]
    assert "符号链接" in found["dangling.yaml"] and "文件夹" in found["dir.yaml"]
    assert "命名管道" in found["flows/pipe.yaml"] and ".YAML" in found["extra.YAML"]


def test_hidden_folders_and_other_files_are_not_reported(pack: Path) -> None:
    (pack / ".git").mkdir()
    (pack / ".git" / "x.YAML").write_text("kind: x\n", encoding="utf-8")
    (pack / "README.md").write_text("# notes\n", encoding="utf-8")
    assert unread(pack) == {}


def test_an_unreadable_policy_file_is_a_diagnostic_naming_it(
        pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from generator.yamlload import problems

    def refusing_open(path: object, *args: object, **kwargs: object) -> object:
        if Path(str(path)).name == "roles.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(problems, "open", refusing_open, raising=False)
    result = run_cli("check", pack)
    assert result.code == EXIT_INVALID, result.err
    assert "[file.unreadable]" in result.out and "roles.yaml" in result.out
    assert "没有读取权限" in result.out
    assert "内部错误" not in result.err
