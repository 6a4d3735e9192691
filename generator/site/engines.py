"""The engines that build a staged docs project (:mod:`generator.site.stage`).

- ``mkdocs`` (the default): mkdocs with Material for MkDocs, run in this process.
- ``zensical``: Material's successor (the optional extra ``policybook[zensical]``),
  run as ``python -m zensical build`` on the same config. It has no plugin API, which
  is why the site reaches both engines as plain files and config.

Each returns the warnings it printed; an error is a :class:`BuildError` with the
engine's own words.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BuildError, OutputError

ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
ZENSICAL_CACHE = ".cache"
"""Zensical keeps its build cache in the project folder (``<project>/.cache``)."""


class _Collect(logging.Handler):
    """mkdocs' warnings and errors while it runs inside policybook (not from its CLI)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_logging() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    old_level, old_propagate = logger.level, logger.propagate
    if logger.level == logging.NOTSET or logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    logger.propagate = False  # reported once: in the BuildError, or to the caller
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def build_mkdocs(config: Path, site_dir: Path, *, strict: bool) -> list[str]:
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from generator.site.speed import memoize_jieba

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life notice
    memoize_jieba()  # imported now, so that its logger keeps the level set here
    logging.getLogger("jieba").setLevel(logging.WARNING)  # search's segmenter is chatty
    with _mkdocs_logging() as collected:
        try:
            cfg = load_config(str(config), site_dir=str(site_dir), strict=strict)
            mkdocs_build.build(cfg)
        except (Abort, PluginError, ConfigurationError) as exc:
            # Abort only says "Aborted ..."; what went wrong was logged before it.
            reasons = [m for m in collected.messages if not m.startswith("Aborted")]
            raise BuildError("网站生成失败:\n" + "\n".join(reasons or [str(exc)])) from None
        except OSError as exc:
            raise OutputError(exc.filename or site_dir, exc) from exc
    return collected.messages


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WARNING = re.compile(r"^\s*(warning|error)\b", re.I)


def zensical_command() -> list[str]:
    if importlib.util.find_spec("zensical") is None:
        raise BuildError("没有安装 Zensical(--engine zensical 需要它)。"
                         "请运行 pip install 'policybook[zensical]',"
                         "或 make setup(tools/setup.sh venv 会安装这个可选组件)。")
    return [sys.executable, "-m", "zensical"]


def build_zensical(config: Path, site_dir: Path, *, strict: bool) -> list[str]:
    """``zensical build`` of ``config`` (whose ``site_dir`` is ``site_dir``). Its cache
    is removed afterwards: each policybook build stages a new project."""
    command = [*zensical_command(), "build", "-f", str(config), *(["-s"] if strict else [])]
    env = {**os.environ, "NO_COLOR": "1"}
    cache = config.parent / ZENSICAL_CACHE
    had_cache = cache.exists()
    try:
        result = subprocess.run(command, cwd=config.parent, env=env, capture_output=True,
                                text=True, check=False)
    finally:
        if not had_cache:
            shutil.rmtree(cache, ignore_errors=True)
    output = _ANSI.sub("", result.stdout + result.stderr)
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    if result.returncode != 0:
        raise BuildError("网站生成失败(Zensical):\n" + "\n".join(lines[-40:]))
    if not (site_dir / "index.html").is_file():
        raise BuildError("网站生成失败(Zensical):没有生成 index.html。\n" + "\n".join(lines[-40:]))
    return [line for line in lines if _WARNING.match(line)]


def run_engine(engine: str, config: Path, *, site_dir: Path, strict: bool) -> list[str]:
    """Build the staged project ``config`` into ``site_dir`` with ``engine``; return
    the warnings."""
    if engine == "mkdocs":
        return build_mkdocs(config, site_dir, strict=strict)
    if engine == "zensical":
        return build_zensical(config, site_dir, strict=strict)
    raise BuildError(f"未知的网站引擎 {engine}(可选:{'、'.join(ENGINES)})。")
