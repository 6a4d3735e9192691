"""The one place that maps outcomes to exit codes (0 fine, 1 policies wrong, 2 usage).

Commands and library code raise; :func:`generator.cli.main` catches
:class:`PolicybookError` and calls :meth:`~PolicybookError.show`, as click's
exceptions show themselves. Nothing else prints an error or picks an exit code.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from generator.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from generator.reporters import Summary

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
"""A bug in policybook: outside the documented 0/1/2, so a script can tell it apart."""
EXIT_INTERRUPTED = 130
"""Ctrl-C, as a shell reports SIGINT (128 + 2)."""
EXIT_TERMINATED = 143
"""SIGTERM (128 + 15), after the command cleaned up what it had staged."""


class PolicybookError(Exception):
    """An outcome that ends a command: it knows its exit code and how to show itself."""

    exit_code: int = EXIT_INVALID

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def show(self, command: str, file: TextIO) -> None:
        """Each line of the message, prefixed by the command that failed."""
        for line in self.message.splitlines():
            print(f"policybook {command}: {line}" if line.strip() else line, file=file)


class UsageError(PolicybookError):
    """The command was used wrongly (bad path, bad option). Exit code 2."""

    exit_code = EXIT_USAGE


class BuildError(PolicybookError):
    """A build step failed for a reason that is not a policy diagnostic (e.g. missing font).

    Carries a message saying what to do. Exit code 1.
    """

    exit_code = EXIT_INVALID


_REASONS = {
    errno.EACCES: "没有写权限",
    errno.EPERM: "不允许写入",
    errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EEXIST: "已有同名文件",
    errno.ENAMETOOLONG: "路径太长",
}


_READ_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "不允许读取",
    errno.ENOENT: "文件不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.EIO: "磁盘读取错误",
}


def read_reason(exc: OSError) -> str:
    """Why reading a file failed, in the words of the other messages."""
    words = _READ_REASONS.get(exc.errno or 0)
    detail = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    return f"{words}({detail})" if words else detail


def reason(exc: OSError | str) -> str:
    """Why an operating-system call failed, in the words of the other messages."""
    if isinstance(exc, str):
        return exc
    words = _REASONS.get(exc.errno or 0)
    detail = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    return f"{words}({detail})" if words else detail


class OutputError(UsageError):
    """An output path cannot be written (unwritable or read-only folder, a file where a
    folder must go, a full disk). Names the path and the reason. Exit code 2."""

    def __init__(self, path: os.PathLike[str] | str, why: OSError | str, *,
                 what: str = "", hint: str = "请给出一个可写的路径。") -> None:
        self.path = os.fspath(path)
        self.reason = reason(why)
        label = f"{what} " if what else " "
        super().__init__(f"无法写入{label}{self.path}:{self.reason}。{hint}")


class Exit(PolicybookError):
    """End the command with ``code``; show ``message`` (if any) on stderr.

    Like click's ``Exit``: for outcomes the command has already reported, such as
    ``--fail-on material`` after the report is written.
    """

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message)
        self.exit_code = code


class PoliciesInvalid(PolicybookError):
    """The policies have errors, so the command wrote nothing. Exit code 1.

    ``diagnostics`` (with their ``summary``) are shown before the message; leave them
    out when the command has reported them already (e.g. on stdout in ``--format``).
    """

    exit_code = EXIT_INVALID

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = (),
                 summary: Summary | None = None) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)
        self.summary = summary

    def show(self, command: str, file: TextIO) -> None:
        if self.diagnostics:
            from generator.reporters import Summary, render_text

            summary = self.summary or Summary(len({d.file for d in self.diagnostics}),
                                              command)
            file.write(render_text(self.diagnostics, summary))
        super().show(command, file)


def exit_code_for(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> int:
    threshold = Severity.WARNING if strict else Severity.ERROR
    return EXIT_INVALID if any(d.severity >= threshold for d in diagnostics) else EXIT_OK
