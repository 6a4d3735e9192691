"""A policy file that cannot be read (no permission, an I/O error, removed while the pack
is read) is a diagnostic naming the file and the reason, exit 1, like any other problem
of the policies: never 内部错误 and exit 3."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, run_cli

from generator.yamlload import problems

MINIMAL = EXAMPLES / "valid" / "minimal"


@pytest.fixture
def pack(tmp_path: Path) -> Iterator[Path]:
    shutil.copytree(MINIMAL, tmp_path / "p")
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield Path("p")
    finally:
        os.chdir(old)


def failing_open(victim: str, exc: Callable[[], OSError]) -> Callable[..., Any]:
    real = open

    class FailingRead:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> FailingRead:
            return self

        def __exit__(self, *exc_info: object) -> None:
            self.handle.close()

        def read(self) -> bytes:
            raise exc()  # as a failing disk does: the open succeeded, the read fails

    def fake(path: Any, *args: Any, **kwargs: Any) -> Any:
        handle = real(path, *args, **kwargs)
        return FailingRead(handle) if Path(path).name == victim else handle

    return fake


@pytest.mark.parametrize(
    ("error", "words"),
    [(lambda: OSError(errno.EIO, "Input/output error"), "I/O 错误"),
     (lambda: PermissionError(errno.EACCES, "Permission denied"), "没有读取权限"),
     (lambda: FileNotFoundError(errno.ENOENT, "No such file or directory"), "文件不存在")],
)
def test_an_unreadable_policy_file_is_a_diagnostic(
        pack: Path, monkeypatch: pytest.MonkeyPatch, error: Callable[[], OSError],
        words: str) -> None:
    monkeypatch.setattr(problems, "open", failing_open("roles.yaml", error), raising=False)
    for command in ("validate", "check"):
        result = run_cli(command, pack)
        assert result.code == 1, (command, result.err)
        assert "内部错误" not in result.err + result.out
        assert "p/roles.yaml:1:1: error [file.unreadable]" in result.out, result.out
        assert words in result.out


def test_an_unreadable_file_is_reported_once_in_every_format(
        pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(problems, "open",
                        failing_open("roles.yaml", lambda: OSError(errno.EIO, "I/O")),
                        raising=False)
    result = run_cli("validate", pack, "--format", "json")
    assert result.code == 1
    found = [d for d in json.loads(result.out)["diagnostics"] if d["check"] == "file.unreadable"]
    assert [d["file"] for d in found] == ["p/roles.yaml"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a file without read permission")
def test_a_file_without_read_permission(pack: Path) -> None:
    target = pack / "roles.yaml"
    target.chmod(0)
    try:
        result = run_cli("validate", pack)
    finally:
        target.chmod(0o644)
    assert result.code == 1 and "[file.unreadable]" in result.out and "没有读取权限" in result.out
