"""Build the handbook site into a folder: ``policybook build`` → build/site.

:func:`write_site` runs mkdocs into a folder the caller staged (``policybook
build`` swaps it in together with the PDFs); :func:`build_site` stages its own
folder next to the target and swaps it in only when mkdocs finished, so a failed
build leaves the previous site intact (:mod:`generator.files.write`).

Either can hand the plugin an analysis made by the caller, so the pack is read and
checked once per build, not once by the CLI and again by mkdocs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BuildError, OutputError
from generator.files.write import Staging
from generator.library import Library
from generator.site import search

log = logging.getLogger(__name__)


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
    logger.propagate = False  # reported once: in the BuildError, or passed to on_warning
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def require_config(config: Path) -> Path:
    """``config`` if it is a file, else a BuildError saying what to do (checked before
    any PDF is rendered, so a missing mkdocs.yml fails fast)."""
    config = Path(config)
    if not config.is_file():
        raise BuildError(f"找不到网站配置 {config}。"
                         "请在仓库根目录运行,或用 --config 指定 mkdocs.yml。")
    return config


def write_site(config: Path, folder: Path, *, policies: Path, pdf_dir: Path,
               analysis: Library | None = None, pdfs: Mapping[str, Path] | None = None,
               strict: bool = True,
               on_warning: Callable[[str], None] | None = None) -> None:
    """Run mkdocs with ``config`` (mkdocs.yml) over the pack ``policies`` into the
    existing ``folder``.

    ``analysis``, when given, is the library of packs already analysed: the plugin uses it instead
    of analysing again. ``pdfs`` (published path → file) are the printables to
    publish under ``print/``; without them, those found in ``pdf_dir`` are.
    ``strict`` fails on any mkdocs warning (a broken link or anchor); without it the
    warnings go to ``on_warning`` (default: this module's logger). Policy warnings
    are only reported: ``policybook build`` has gated them already.
    """
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from generator.site.plugin import PolicybookPlugin

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life notice
    config = require_config(config)
    with _mkdocs_logging() as collected:
        try:
            cfg = load_config(str(config), site_dir=str(folder), strict=strict)
            plugin = cfg.plugins.get("policybook")
            if not isinstance(plugin, PolicybookPlugin):
                raise BuildError(f"{config} 没有启用 policybook 插件(plugins: - policybook)。")
            plugin.config.policies = str(Path(policies).resolve())
            plugin.config.pdf_dir = str(Path(pdf_dir).resolve())
            plugin.config.policy_warnings = "info"
            # mkdocs keeps the plugin instance for the whole process: hand over for
            # this build only.
            plugin.use(analysis, pdfs)
            # The search index is made below, from the staged folder, whatever wrote it.
            plugin.index_after_build = False
            try:
                mkdocs_build.build(cfg)
            finally:
                plugin.use(None)
                plugin.index_after_build = True
        except (Abort, PluginError, ConfigurationError) as exc:
            # Abort only says "Aborted ..."; what went wrong was logged before it.
            reasons = [m for m in collected.messages if not m.startswith("Aborted")]
            raise BuildError("网站生成失败:\n" + "\n".join(reasons or [str(exc)])) from None
        except OSError as exc:
            raise OutputError(exc.filename or folder, exc) from exc
    for message in collected.messages:
        (on_warning or log.warning)(message)
    # Indexed in the folder being staged, before it is swapped in: a failure here leaves
    # the published site as it was.
    search.index_site(Path(folder), plugin.pagefind)


def build_site(config: Path, *, policies: Path, pdf_dir: Path, site_dir: Path,
               strict: bool = True, analysis: Library | None = None,
               pdfs: Mapping[str, Path] | None = None,
               on_warning: Callable[[str], None] | None = None) -> Path:
    """:func:`write_site` into ``site_dir``, atomically; return ``site_dir``.
    On any failure ``site_dir`` is left as it was."""
    site_dir = Path(site_dir).resolve()
    with Staging() as staging:
        folder = staging.folder(site_dir)
        write_site(config, folder, policies=policies, pdf_dir=pdf_dir, analysis=analysis,
                   pdfs=pdfs, strict=strict, on_warning=on_warning)
        staging.commit()
    return site_dir
