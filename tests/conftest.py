"""Shared fixtures: paths of the repository and the shipped pack, and an
in-process CLI runner (like click's CliRunner) that captures output and exit code."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "policies"
"""The shipped policies: a library of packs, one folder each."""
POLICIES = LIBRARY / "wealth-account-opening"
"""The shipped procedure."""
EXAMPLE_PACK = LIBRARY / "cash-withdrawal"
"""The second, unrelated procedure: an example that proves the toolkit general."""
EXAMPLES = Path(__file__).resolve().parent / "examples"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*argv: str | os.PathLike[str]) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> object:
    return run_cli


@pytest.fixture
def in_root() -> Iterator[Path]:
    """Run with the repository as working directory (paths in reports are relative)."""
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        yield ROOT
    finally:
        os.chdir(old)
