"""The write stage (``generator.files.write``): every output is written whole or not at
all, with ordinary permissions, and names the path when it cannot be written."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.files import write as write_module
from generator.files.write import PREFIX, Staging, atomic_open, remove_stale, write_text
from tests.conftest import EXAMPLES, run_cli

MINIMAL = EXAMPLES / "valid" / "minimal"


def dead_pid() -> int:
    """The id of a process that has finished (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- files ---------------------------------------------------------------------------------


def test_a_file_is_replaced_whole_and_no_temporary_is_left(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "out.txt"
    write_text(target, "第一版\n")
    write_text(target, "第二版\n")
    assert target.read_text(encoding="utf-8") == "第二版\n"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_a_writer_that_fails_midway_leaves_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="renderer broke"), atomic_open(target) as handle:
        handle.write(b"half of the new rep")
        raise RuntimeError("renderer broke")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_cli_o_that_fails_after_writing_started_keeps_the_previous_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous\n", encoding="utf-8")

    def full_disk(fd: int) -> None:  # the bytes are in the temporary file by now
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write_module.os, "fsync", full_disk)
    result = run_cli("validate", MINIMAL, "-f", "json", "-o", out)
    assert result.code == 2
    assert f"无法写入报告文件 {out}:磁盘空间不足" in result.err
    assert "Traceback" not in result.err and "内部错误" not in result.err
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("command", [("validate",), ("check",), ("trace",)])
def test_cli_o_below_a_regular_file_names_the_path(command: tuple[str, ...],
                                                    tmp_path: Path) -> None:
    blocker = tmp_path / "taken.txt"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    out = blocker / "report.txt"
    result = run_cli(*command, MINIMAL, "-o", out)
    assert result.code == 2, result.err
    assert str(out) in result.err
    assert "Traceback" not in result.err and "内部错误" not in result.err
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder\n"


def test_files_get_ordinary_permissions(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "new" / "out.csv"
    write_text(target, "a,b\n")
    assert mode(target) == 0o644  # not mkstemp's 0600
    assert mode(target.parent) == 0o755
    os.umask(0o027)
    write_text(target, "a,b\n")
    assert mode(target) == 0o640


# --- folders -------------------------------------------------------------------------------


def test_staging_folders_follow_the_umask(tmp_path: Path, umask_022: None) -> None:
    with Staging() as staging:
        folder = staging.folder(tmp_path / "site")
        assert folder.name.startswith(PREFIX)
        assert mode(folder) == 0o755  # not mkdtemp's 0700
        (folder / "index.html").write_text("<p>new</p>", encoding="utf-8")
        staging.commit()
    assert mode(tmp_path / "site") == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_commit_swaps_every_folder_and_an_exception_swaps_none(tmp_path: Path) -> None:
    for name in ("pdf", "site"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "old").write_text(name, encoding="utf-8")
    with pytest.raises(RuntimeError), Staging() as staging:
        for name in ("pdf", "site"):
            (staging.folder(tmp_path / name) / "new").write_text(name, encoding="utf-8")
        raise RuntimeError("the site stage failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdf", "site"]
    assert [p.name for p in (tmp_path / "pdf").iterdir()] == ["old"]
    with Staging() as staging:
        for name in ("pdf", "site"):
            (staging.folder(tmp_path / name) / "new").write_text(name, encoding="utf-8")
        staging.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdf", "site"]
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["new"]


def test_a_failed_rename_undoes_the_swaps_already_done(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("pdf", "site"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "old").write_text(name, encoding="utf-8")
    real = os.replace

    def failing(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(src).name.startswith(PREFIX + f"{os.getpid()}-site-") \
                and Path(src).suffix == ".tmp" and Path(dst).name == "site":
            raise OSError(errno.EACCES, "Permission denied", str(dst))
        real(src, dst)

    with Staging() as staging:
        for name in ("pdf", "site"):
            (staging.folder(tmp_path / name) / "new").write_text(name, encoding="utf-8")
        monkeypatch.setattr(write_module.os, "replace", failing)
        with pytest.raises(OutputError, match="site:没有写权限"):
            staging.commit()
        monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdf", "site"]
    for name in ("pdf", "site"):
        assert [p.name for p in (tmp_path / name).iterdir()] == ["old"]


def test_what_a_killed_build_left_is_removed_by_the_next(tmp_path: Path) -> None:
    dead, alive = dead_pid(), os.getpid()
    stale_dir = tmp_path / f"{PREFIX}{dead}-site-0a1b2c3d.tmp"
    (stale_dir / "steps").mkdir(parents=True)
    stale_old = tmp_path / f"{PREFIX}{dead}-pdf-0a1b2c3d.old"
    stale_old.mkdir()
    stale_file = tmp_path / f"{PREFIX}{dead}-report.json-0a1b2c3d.tmp"
    stale_file.write_text("{", encoding="utf-8")
    running = tmp_path / f"{PREFIX}{alive}-site-99999999.tmp"  # a build still running
    running.mkdir()
    theirs = tmp_path / ".site-old"  # not ours: never touched
    theirs.mkdir()
    assert sorted(remove_stale(tmp_path)) == sorted([stale_dir, stale_old, stale_file])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, theirs.name])
