"""Faults during ``policybook build``, as an unlucky operator meets them: the build
killed in each stage, an output folder that refuses writes, a full disk, an unreadable
policy file, two builds into the same folder at once. Each time: the previous output
is intact, the message names the path and the reason (exit 1 or 2, never 3), and the
next build works and leaves no staging folder behind."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import EXIT_INTERNAL, EXIT_TERMINATED
from generator.files.write import PREFIX
from tests.conftest import EXAMPLES, ROOT, run_cli
from tests.test_build_stages import mkdocs_config, previous_outputs, snapshot

MINIMAL = EXAMPLES / "valid" / "minimal"


def staging(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(PREFIX))


def outputs(out: Path) -> dict[Path, bytes]:
    """The published outputs (what a reader of ``out/pdf`` and ``out/site`` sees)."""
    return {path: data for path, data in snapshot(out).items()
            if not path.parts[0].startswith(PREFIX)}


def start_build(out: Path, config: Path, pack: Path = MINIMAL) -> subprocess.Popen[bytes]:
    """``policybook build`` in a process group of its own (so that a kill reaches every
    process of it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(pack), "--out", str(out),
         "--config", str(config), "-j", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes],
             timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the build ended first: {process.stderr.read().decode()}"
                                 if process.stderr else "the build ended first")
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def in_stage(out: Path, name: str) -> Callable[[], bool]:
    """The staging folder of ``out/<name>`` exists: that stage is running."""
    return lambda: any(f"-{name}-" in s and s.endswith(".tmp") for s in staging(out))


def rebuild(out: Path, config: Path) -> None:
    result = run_cli("build", MINIMAL, "--out", out, "--config", config, "-j", "1")
    assert result.code == 0, result.err
    assert staging(out) == []
    assert (out / "pdf" / "forms" / "client_info.pdf").is_file()
    assert (out / "site" / "forms" / "client_info" / "index.html").is_file()
    assert not (out / "pdf" / "forms" / "previous.pdf").exists()


# --- killed --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["pdf", "site"])
def test_sigkill_in_a_stage_keeps_the_previous_output_and_the_next_build_cleans_up(
        tmp_path: Path, stage: str) -> None:
    out, config = tmp_path / "out", mkdocs_config(tmp_path)
    before = previous_outputs(out)
    build = start_build(out, config)
    try:
        wait_for(in_stage(out, stage), build)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert outputs(out) == before
    assert staging(out), "SIGKILL leaves the staging folder (no process is left to remove it)"
    rebuild(out, config)


@pytest.mark.slow
def test_sigterm_cleans_up_at_once(tmp_path: Path) -> None:
    out, config = tmp_path / "out", mkdocs_config(tmp_path)
    before = previous_outputs(out)
    build = start_build(out, config)
    wait_for(in_stage(out, "site"), build)
    os.killpg(build.pid, signal.SIGTERM)
    _, err = build.communicate(timeout=120)
    assert build.returncode == EXIT_TERMINATED, err.decode()
    assert "已终止" in err.decode() and "Traceback" not in err.decode()
    assert outputs(out) == before
    assert staging(out) == []


# --- the output folder refuses -------------------------------------------------------------


def _refuse(exc: OSError, *, when: Callable[[Path], bool], path_at: int = 0
            ) -> Callable[..., object]:
    """A wrapper for a function that takes a path (argument ``path_at``): it fails as
    the system would, with ``exc`` for that path, whenever ``when(path)``."""
    def fake(real: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            path = os.fspath(args[path_at])  # type: ignore[call-overload]
            if when(Path(path)):
                raise type(exc)(exc.errno, exc.strerror, path)
            return real(*args, **kwargs)
        return call
    return fake


@pytest.mark.slow
@pytest.mark.parametrize(("error", "words"), [
    (OSError(errno.EROFS, "Read-only file system"), "只读"),
    (PermissionError(errno.EACCES, "Permission denied"), "没有写权限"),
])
def test_an_output_folder_that_refuses_the_swap_keeps_the_previous_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, words: str) -> None:
    """Read-only or foreign-owned ``build/``: the renames of the last step fail (as root,
    chmod would not stop them, so the refusal is simulated)."""
    out, config = tmp_path / "out", mkdocs_config(tmp_path)
    before = previous_outputs(out)
    monkeypatch.setattr(os, "replace", _refuse(error, when=lambda p: p.parent == out)(os.replace))
    result = run_cli("build", MINIMAL, "--out", out, "--config", config, "-j", "1")
    monkeypatch.undo()
    assert result.code == 2, result.err
    assert str(out / "pdf") in result.err and words in result.err
    assert "内部错误" not in result.err and "Traceback" not in result.err
    assert outputs(out) == before and staging(out) == []
    rebuild(out, config)


def test_an_output_folder_where_no_folder_can_be_made_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    before = previous_outputs(out)
    real = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self.name.startswith(PREFIX):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    result = run_cli("build", MINIMAL, "--out", out, "--only", "pdf")
    assert result.code == 2, result.err
    assert str(out / "pdf") in result.err and "没有写权限" in result.err
    assert outputs(out) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_output_folder_is_named(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = previous_outputs(out)
    out.chmod(0o555)
    try:
        result = run_cli("build", MINIMAL, "--out", out, "--only", "pdf")
    finally:
        out.chmod(0o755)
    assert result.code == 2, result.err
    assert str(out) in result.err and "内部错误" not in result.err
    assert outputs(out) == before


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["pdf", "site"])
def test_a_full_disk_in_a_stage_keeps_the_previous_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    out, config = tmp_path / "out", mkdocs_config(tmp_path)
    before = previous_outputs(out)
    full = OSError(errno.ENOSPC, "No space left on device")
    if stage == "pdf":
        monkeypatch.setattr(Path, "write_bytes", _refuse(
            full, when=lambda p: p.suffix == ".pdf")(Path.write_bytes))
    else:
        import mkdocs.utils

        monkeypatch.setattr(mkdocs.utils, "write_file", _refuse(
            full, when=lambda p: p.suffix == ".html", path_at=1)(mkdocs.utils.write_file))
    result = run_cli("build", MINIMAL, "--out", out, "--config", config, "-j", "1")
    monkeypatch.undo()
    assert result.code == 2, result.err
    assert str(out / stage) in result.err and "磁盘空间不足" in result.err
    assert "内部错误" not in result.err and "Traceback" not in result.err
    assert outputs(out) == before and staging(out) == []


# --- the policies cannot be read -----------------------------------------------------------


def test_an_unreadable_policy_file_fails_the_build_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    before = previous_outputs(out)
    import builtins

    from generator.yamlload import problems

    def refusing_open(path: object, *args: object, **kwargs: object) -> object:
        if Path(str(path)).name == "rules.yaml":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(problems, "open", refusing_open, raising=False)
    result = run_cli("build", MINIMAL, "--out", out, "--only", "pdf")
    assert result.code == 1, result.err
    assert result.code != EXIT_INTERNAL
    assert "[file.unreadable]" in result.out and "rules.yaml" in result.out
    assert outputs(out) == before


# --- two builds at once --------------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_into_one_folder_leave_one_whole_build(tmp_path: Path) -> None:
    """Two different packs built into the same ``--out`` at the same time: both end
    cleanly, and ``pdf`` and ``site`` come from the same one of them."""
    other = Path(shutil.copytree(MINIMAL, tmp_path / "other"))
    for path in other.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("client_info", "other_form"), encoding="utf-8")
    out, config = tmp_path / "out", mkdocs_config(tmp_path)
    previous_outputs(out)
    builds = [start_build(out, config, MINIMAL), start_build(out, config, other)]
    for build in builds:
        _, err = build.communicate(timeout=300)
        assert build.returncode in (0, 1, 2), err.decode()
        assert "Traceback" not in err.decode() and "内部错误" not in err.decode()
    assert any(b.returncode == 0 for b in builds)
    assert staging(out) == []
    forms = {p.stem for p in (out / "pdf" / "forms").glob("*.pdf")}
    pages = {p.name for p in (out / "site" / "forms").iterdir() if p.is_dir()}
    assert forms in ({"client_info"}, {"other_form"})
    assert pages == forms


def test_the_swap_lock_holds_a_second_build_until_the_first_has_swapped(
        tmp_path: Path) -> None:
    import threading

    from generator.files.write import locked

    events: list[str] = []
    first_in = threading.Event()

    def second() -> None:
        first_in.wait()
        with locked([tmp_path]):
            events.append("second swaps")

    thread = threading.Thread(target=second)
    thread.start()
    with locked([tmp_path]):
        first_in.set()
        time.sleep(0.3)
        events.append("first swaps")
    thread.join(timeout=10)
    assert events == ["first swaps", "second swaps"]
    assert list(tmp_path.iterdir()) == []  # no lock file left behind
