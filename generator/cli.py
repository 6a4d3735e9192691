"""The ``policybook`` command: argument parsing only; each subcommand lives in
:mod:`generator.commands` and returns an exit code or raises.

:func:`main` is the one place that turns what a command raised into a message on
stderr and an exit code (:mod:`generator.errors`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from generator import __version__
from generator.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    PolicybookError,
    UsageError,
    reason,
)

# Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
COMMANDS = (
    "generator.commands.validate",
    "generator.commands.check",
    "generator.commands.trace",
    "generator.commands.build",
    "generator.commands.serve",
    "generator.commands.diff",
    "generator.commands.new",
    "generator.commands.evaluate",
    "generator.commands.audit",
)


class Command(Protocol):
    NAME: str
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...
    def run(self, args: argparse.Namespace) -> int: ...


def _commands() -> list[Command]:
    found = []
    for name in COMMANDS:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside the module
                raise
    return found  # type: ignore[return-value]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policybook",
        description="把 YAML 政策校验、检查并生成员工手册、清单和表单。"
        " / Validate, check and render YAML staff procedures.",
    )
    parser.add_argument("--version", action="version", version=f"policybook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in _commands():
        p = sub.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(p)
        p.set_defaults(_run=command.run)
    return parser


class Terminated(BaseException):
    """SIGTERM, raised where the process is, so that ``with`` blocks clean up (a build's
    staging folders are removed, no half-written file is left) before it exits."""


@contextmanager
def _terminate_as_exception() -> Iterator[None]:
    def handler(signum: int, frame: object) -> None:
        raise Terminated

    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with _terminate_as_exception():
            return int(args._run(args))
    except PolicybookError as exc:
        exc.show(args.command, sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Terminated:
        print(f"policybook {args.command}: 已终止(SIGTERM),未写入任何输出。", file=sys.stderr)
        return EXIT_TERMINATED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if exc.filename is None:
            return _internal_error()
        # A file the command could not read or write that no stage named itself: still
        # the path and the reason, not a traceback.
        error = UsageError(f"无法读写 {exc.filename}:{reason(exc)}。")
        error.show(args.command, sys.stderr)
        return error.exit_code
    except Exception:
        return _internal_error()


def _internal_error() -> int:
    """A bug in policybook, not in the policies."""
    print("policybook: 内部错误(这是 policybook 的缺陷,不是政策文件的问题)。"
          "设置 POLICYBOOK_DEBUG=1 查看详情并报告。", file=sys.stderr)
    if os.environ.get("POLICYBOOK_DEBUG"):
        traceback.print_exc()
    return EXIT_INTERNAL
