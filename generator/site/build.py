"""Build the handbook site into a folder, atomically: ``policybook build`` → build/site.

mkdocs builds into a fresh temporary folder next to the target; only a finished
build replaces the previous site, so a failed build leaves it intact.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BuildError


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
    logger.propagate = False  # reported once: in the BuildError, or printed below
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def build_site(config: Path, *, policies: Path, pdf_dir: Path, site_dir: Path,
               strict: bool = True) -> Path:
    """Build the site described by ``config`` (mkdocs.yml) from the pack ``policies``,
    publishing the PDFs found in ``pdf_dir``; return ``site_dir``.

    ``strict`` fails on any mkdocs warning (a broken link or anchor). Policy warnings
    are only reported: ``policybook build`` has gated them already.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life notice
    config = Path(config)
    if not config.is_file():
        raise BuildError(f"找不到网站配置 {config}。"
                         "请在仓库根目录运行,或用 --config 指定 mkdocs.yml。")
    site_dir = Path(site_dir).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    try:
        with _mkdocs_logging() as log:
            try:
                cfg = load_config(str(config), site_dir=str(tmp), strict=strict)
                plugin = cfg.plugins.get("policybook")
                if plugin is None:
                    raise BuildError(f"{config} 没有启用 policybook 插件(plugins: - policybook)。")
                plugin.config.policies = str(Path(policies).resolve())
                plugin.config.pdf_dir = str(Path(pdf_dir).resolve())
                plugin.config.policy_warnings = "info"
                build(cfg)
            except (Abort, PluginError, ConfigurationError) as exc:
                # Abort only says "Aborted ..."; what went wrong was logged before it.
                reasons = [m for m in log.messages if not m.startswith("Aborted")] or [str(exc)]
                raise BuildError("网站生成失败:\n" + "\n".join(reasons)) from None
        for message in log.messages:
            print(message, file=sys.stderr)
        _replace(tmp, site_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return site_dir


def _replace(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, removing the old one only once ``new`` is in place."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
