"""Build the handbook site into a folder: ``policybook build`` → build/site.

:func:`write_site` writes the pages as a docs project and runs the engine (mkdocs
with Material, the default, or Zensical: :mod:`generator.site.engines`) into a
folder the caller staged (``policybook build`` swaps it in together with the PDFs);
:func:`build_site` stages its own folder next to the target and swaps it in only
when the engine finished, so a failed build leaves the previous site intact
(:mod:`generator.files.write`).

Either takes an analysis made by the caller, so the pack is read and checked once
per build.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import BuildError
from generator.files.write import PREFIX, Staging
from generator.library import Library, analyse_library
from generator.reporters import Summary, render_text
from generator.site import search
from generator.site.content import SiteContent, find_pdfs, site_content
from generator.site.engines import DEFAULT_ENGINE, run_engine
from generator.site.stage import read_config, stage_project

log = logging.getLogger(__name__)

MERMAID = "vendor/mermaid/mermaid.min.js"
"""Where ``make setup`` vendors Mermaid, relative to the site config (the plugin's
``mermaid`` option names another file)."""


def require_config(config: Path) -> Path:
    """``config`` if it is a file, else a BuildError saying what to do (checked before
    any PDF is rendered, so a missing mkdocs.yml fails fast)."""
    config = Path(config)
    if not config.is_file():
        raise BuildError(f"找不到网站配置 {config}。"
                         "请在仓库根目录运行,或用 --config 指定 mkdocs.yml。")
    return config


def _plugin_options(site: dict[str, Any], config: Path) -> dict[str, Any]:
    """The policybook plugin's options in the site config (mermaid, tooltips), if any."""
    plugins = site.get("plugins")
    options: object = None
    if isinstance(plugins, dict):
        options = plugins.get("policybook")
    elif isinstance(plugins, list):
        options = next((p["policybook"] for p in plugins
                        if isinstance(p, dict) and "policybook" in p), None)
    return dict(options) if isinstance(options, dict) else {}


def pagefind_binary(config: Path) -> Path:
    """The Pagefind indexer the site config names (the plugin's ``pagefind`` option,
    else the vendored one), checked: a BuildError says how to get it."""
    config = require_config(config)
    options = _plugin_options(read_config(config), config)
    binary = (config.resolve().parent / str(options.get("pagefind", search.DEFAULT_BINARY)))
    search.require_tools(binary.resolve())
    return binary.resolve()


def analysed(policies: Path) -> Library:
    """The library at ``policies``, or a BuildError with ``policybook check``'s text."""
    analysis = analyse_library(Path(policies))
    if not analysis.ok:
        text = render_text(analysis.diagnostics, Summary(analysis.files, "check"))
        raise BuildError("网站生成失败:政策有错误,未生成网站。\n" + text.rstrip("\n"))
    return analysis


def prepare(config: Path, policies: Path, pdf_dir: Path, *, analysis: Library | None,
            pdfs: Mapping[str, Path] | None,
            marked_before: dict[tuple[str, str], str] | None = None
            ) -> tuple[Library, SiteContent]:
    """The analysis and the site's content (pages, assets, PDFs), as any engine gets them."""
    options = site_options(config)
    library = analysis if analysis is not None else analysed(policies)
    if pdfs is None:
        pdfs = find_pdfs(Path(pdf_dir), tuple(p.prefix for p in library))
    content = site_content(library, pdfs, mermaid=options.mermaid,
                           directory_urls=options.directory_urls, tooltips=options.tooltips,
                           marked_before=marked_before)
    return library, content


@dataclass(frozen=True, slots=True)
class SiteOptions:
    mermaid: Path
    directory_urls: bool
    tooltips: bool


def site_options(config: Path) -> SiteOptions:
    """What the site config says about the pages: where Mermaid is (checked), whether
    URLs are folders, whether glossary terms are tooltips."""
    config = require_config(config)
    site = read_config(config)
    options = _plugin_options(site, config)
    mermaid = (config.resolve().parent / str(options.get("mermaid", MERMAID))).resolve()
    if not mermaid.is_file():
        raise BuildError(f"找不到 {mermaid}(离线绘制流程图所需)。"
                         "请先运行 make setup(或 tools/setup.sh vendor)。")
    return SiteOptions(mermaid, site.get("use_directory_urls", True) is not False,
                       options.get("tooltips", True) is not False)


def write_site(config: Path, folder: Path, *, policies: Path, pdf_dir: Path,
               analysis: Library | None = None, pdfs: Mapping[str, Path] | None = None,
               strict: bool = True, engine: str = DEFAULT_ENGINE,
               on_warning: Callable[[str], None] | None = None) -> None:
    """Build the site of the pack ``policies`` with ``config`` (the site's mkdocs.yml)
    into the existing ``folder``: the pages, assets and PDFs are written as a docs
    project beside ``folder`` (:mod:`generator.site.stage`), ``engine`` builds it, and
    the project is removed again.

    ``analysis``, when given, is the library of packs already analysed; without it the
    pack is analysed here and a policy error is a BuildError. ``pdfs`` (published path
    → file) are the printables to publish under ``print/``; without them, those found
    in ``pdf_dir`` are. ``strict`` fails on any engine warning (a broken link or
    anchor); without it the warnings go to ``on_warning`` (default: this module's
    logger). Policy warnings are only reported: ``policybook build`` has gated them.
    """
    pagefind = pagefind_binary(config)
    library, content = prepare(config, policies, pdf_dir, analysis=analysis, pdfs=pdfs)
    folder = Path(folder).absolute()
    root = folder.parent
    # The project's parts are staging folders beside ``folder`` (the engine's project
    # root must hold the site folder): never swapped in, removed when the build ends,
    # and by the next build if this one is killed.
    with Staging() as staging:
        docs = staging.folder(root / "docs")
        theme = staging.folder(root / "theme")
        name = f"{PREFIX}{os.getpid()}-mkdocs-{secrets.token_hex(4)}.yml"
        try:
            project, _ = stage_project(config, library, content, project=root, docs=docs,
                                       theme=theme, site_dir=folder, config_name=name)
            messages = run_engine(engine, project.config, site_dir=folder, strict=strict)
        finally:
            (root / name).unlink(missing_ok=True)
    for message in messages:
        (on_warning or log.warning)(message)
    # Indexed in the folder being staged, before it is swapped in, whichever engine
    # wrote it: a failure here leaves the published site as it was.
    search.index_site(folder, pagefind)


def build_site(config: Path, *, policies: Path, pdf_dir: Path, site_dir: Path,
               strict: bool = True, analysis: Library | None = None,
               pdfs: Mapping[str, Path] | None = None, engine: str = DEFAULT_ENGINE,
               on_warning: Callable[[str], None] | None = None) -> Path:
    """:func:`write_site` into ``site_dir``, atomically; return ``site_dir``.
    On any failure ``site_dir`` is left as it was."""
    site_dir = Path(site_dir).resolve()
    with Staging() as staging:
        folder = staging.folder(site_dir)
        write_site(config, folder, policies=policies, pdf_dir=pdf_dir, analysis=analysis,
                   pdfs=pdfs, strict=strict, engine=engine, on_warning=on_warning)
        staging.commit()
    return site_dir
