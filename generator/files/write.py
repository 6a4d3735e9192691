"""The write stage: every file and folder policybook outputs is written here, whole or not at all.

- :func:`write_text` / :func:`write_bytes` / :func:`atomic_open`: a temporary file in
  the target's folder, flushed to disk, then renamed over the target. A reader sees
  the old file or the new one, never half of one; a failure leaves the old one.
- :class:`Staging`: folders built next to their targets and, once everything
  succeeded, swapped in together (:meth:`Staging.commit`) as the very last step.

Outputs get ordinary permissions: files ``0666`` and folders ``0777`` less the umask
(a web server must be able to read the site), not the ``0600``/``0700`` of
:mod:`tempfile`. Temporary names start with :data:`PREFIX` and carry the writer's
process id, so one left behind by a killed build is recognised and removed by the next.

An ``OSError`` on an output path becomes :class:`~generator.errors.OutputError`,
which names the path and the reason.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from generator.errors import OutputError

PREFIX = ".policybook-"
"""Every temporary file and staging folder is named ``.policybook-<pid>-<name>-<random>``."""


# --- names -------------------------------------------------------------------------------


def _temporary_name(folder: Path, name: str, suffix: str) -> Path:
    return folder / f"{PREFIX}{os.getpid()}-{name}-{secrets.token_hex(4)}{suffix}"


def _writer_pid(name: str) -> int | None:
    if not name.startswith(PREFIX):
        return None
    pid, _, _ = name[len(PREFIX):].partition("-")
    return int(pid) if pid.isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return True
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files and staging folders in ``folder`` whose writer is no
    longer running (a build that was killed); return what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        pid = _writer_pid(entry.name)
        if pid is None or _alive(pid):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every file system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _make_parent(path: Path, *, what: str) -> None:
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file stands where a folder must go
        raise OutputError(path, f"{exc.filename or parent} 是一个文件,不是文件夹",
                          what=what) from exc
    except OSError as exc:
        raise OutputError(path, exc, what=what) from exc


# --- files -------------------------------------------------------------------------------


def check_file_target(path: Path, *, what: str = "") -> None:
    """Fail early, before any work, when ``path`` cannot be a file (it is a folder)."""
    if Path(path).is_dir():
        raise OutputError(path, "这是一个文件夹", what=what, hint="请给出文件名。")


@contextmanager
def atomic_open(path: Path, *, what: str = "") -> Iterator[BinaryIO]:
    """A binary handle whose bytes replace ``path`` when the ``with`` block ends
    normally; if it raises, ``path`` is left as it was and nothing is left behind."""
    path = Path(path)
    check_file_target(path, what=what)
    _make_parent(path, what=what)
    remove_stale(path.parent)
    tmp = _temporary_name(path.parent, path.name, ".tmp")
    try:
        # O_EXCL: never follow a planted link; mode 0666 less the umask, as open() does.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(path, exc, what=what) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(path, exc, what=what) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def write_bytes(path: Path, data: bytes, *, what: str = "") -> None:
    """Replace ``path`` with ``data``, atomically."""
    with atomic_open(path, what=what) as handle:
        handle.write(data)


def write_text(path: Path, text: str, *, what: str = "") -> None:
    """Replace ``path`` with ``text`` in UTF-8, atomically; newlines are written as given."""
    write_bytes(path, text.encode("utf-8"), what=what)


# --- folders -----------------------------------------------------------------------------


def check_folder_target(path: Path, *, what: str = "") -> None:
    """Fail early, before any work, when ``path`` exists and is not a folder."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(path, "这是一个文件,不是文件夹", what=what,
                          hint="请给出一个文件夹(不存在时会自动创建)。")


@contextmanager
def locked(folders: list[Path]) -> Iterator[None]:
    """An exclusive lock on each folder (``flock`` on the folder itself: no lock file is
    left behind), taken in order and held for the ``with`` block. Where the system has
    no ``flock`` (Windows), nothing is locked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    fds: list[int] = []
    try:
        for folder in folders:
            try:
                fd = os.open(folder, os.O_RDONLY)
            except OSError as exc:
                raise OutputError(folder, exc) from exc
            fds.append(fd)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in fds:
            os.close(fd)  # closing the last descriptor releases the lock


def swap_folders(pairs: list[tuple[Path, Path]]) -> None:
    """Put each ``new`` folder where its ``target`` is, one right after the other.

    Each target is renamed aside and the new folder renamed in; the old ones are
    deleted only when every rename succeeded. If one fails, the renames already done
    are undone, so either every target is new or every target is as it was.
    """
    done: list[tuple[Path, Path, Path | None]] = []  # (new, target, old set aside)
    current = pairs[0][1] if pairs else Path()
    try:
        for new, target in pairs:
            current = target
            old = None
            if target.exists() or target.is_symlink():
                old = _temporary_name(target.parent, target.name, ".old")
                os.replace(target, old)
            done.append((new, target, old))
            os.replace(new, target)
    except OSError as exc:
        for new, target, old in reversed(done):
            try:
                if not new.exists() and target.exists():
                    os.replace(target, new)  # back to staging; the caller discards it
                if old is not None:
                    os.replace(old, target)
            except OSError:  # pragma: no cover - the same folder refused twice
                continue
        raise OutputError(current, exc) from exc
    for _, target, old in done:
        _fsync_folder(target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


class Staging:
    """Folders built beside their targets, swapped in together by :meth:`commit`.

    ::

        with Staging() as staging:
            pdf = staging.folder(out / "pdf")
            site = staging.folder(out / "site")
            ...                      # write into pdf and site
            staging.commit()         # the last step: both targets replaced

    Leaving the ``with`` block without :meth:`commit` (an exception) removes the
    staging folders and leaves every target as it was.
    """

    def __init__(self) -> None:
        self._pairs: list[tuple[Path, Path]] = []

    def folder(self, target: Path, *, what: str = "") -> Path:
        """A new, empty folder next to ``target`` (with ordinary permissions), after
        removing what killed builds left there."""
        target = Path(target).absolute()
        check_folder_target(target, what=what)
        _make_parent(target, what=what)
        remove_stale(target.parent)
        while True:
            staging = _temporary_name(target.parent, target.name, ".tmp")
            try:
                staging.mkdir(mode=0o777)  # less the umask, unlike mkdtemp's 0700
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputError(target, exc, what=what) from exc
            break
        self._pairs.append((staging, target))
        return staging

    def commit(self) -> None:
        """Swap every staging folder in (see :func:`swap_folders`), holding the lock of
        the folders they go into: two builds into the same ``--out`` each swap both
        of their folders in before the other's, so the output is one whole build."""
        pairs, self._pairs = self._pairs, []
        try:
            with locked(sorted({target.parent for _, target in pairs})):
                swap_folders(pairs)
        except BaseException:
            self._pairs = pairs  # discarded by __exit__
            raise

    def discard(self) -> None:
        for staging, _ in self._pairs:
            shutil.rmtree(staging, ignore_errors=True)
        self._pairs = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        pairs = list(self._pairs)
        self.discard()
        # A failure inside a staging folder is reported by the target it stands for:
        # the temporary name means nothing to the person running the build.
        if isinstance(exc, OutputError):
            target = _target_of(exc.path, pairs)
            if target is not None:
                raise OutputError(target, exc.reason) from exc
        elif isinstance(exc, OSError) and exc.filename is not None:
            target = _target_of(exc.filename, pairs)
            if target is not None:
                raise OutputError(target, exc) from exc


def _target_of(path: object, pairs: list[tuple[Path, Path]]) -> Path | None:
    try:
        inside = Path(os.fspath(path)).absolute()  # type: ignore[call-overload]
    except TypeError:
        return None
    for staging, target in pairs:
        if inside == staging or staging in inside.parents:
            return target
    return None
