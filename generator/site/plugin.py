"""The mkdocs plugin: a convenience for ``mkdocs build`` and ``mkdocs serve`` with the
repository's ``mkdocs.yml``. It checks the policies and hands mkdocs the very pages,
assets and navigation that ``policybook build`` writes as files for any engine
(:mod:`generator.site.content`): the tooltips are already in the Markdown and the
Content-Security-Policy is in the theme override, so the plugin changes no HTML.
Zensical, which has no plugin API, builds the files ``policybook build`` and
``policybook serve`` write (:mod:`generator.site.stage`).

``mkdocs build --strict`` thereby validates and checks the policy pack (a policy
error stops the build with the same text as ``policybook check``), and ``mkdocs
serve`` rebuilds when a YAML file changes. The plugin instance persists across
``serve`` rebuilds (it has ``on_startup``), so unchanged policies are neither
re-analysed nor re-rendered.

:meth:`PolicybookPlugin.use` hands it an analysis made by the caller (and the PDFs
to publish); it then reads neither the policies nor the PDF folder on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import jinja2
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.addresses import BUILD_DIR, PDF_DIR
from generator.diagnostics import Severity
from generator.errors import BuildError
from generator.library import Library, analyse_library
from generator.reporters import Summary, render_text
from generator.site import csp, search
from generator.site.content import (
    EXTRA_CSS,
    EXTRA_JAVASCRIPT,
    MERMAID_URI,
    STYLE_URI,
    SiteContent,
    asset_files,
    find_pdfs,
    render_pages,
    signature,
    site_navigation,
)
from generator.site.library import SitePack
from generator.site.pages import GeneratedPage
from generator.site.speed import MemoryBytecodeCache, memoize_jieba

__all__ = ["MERMAID_URI", "STYLE_URI", "PolicybookPlugin"]

log = logging.getLogger("mkdocs.plugins.policybook")


class PolicybookConfig(Config):  # type: ignore[no-untyped-call]
    policies = opt.Type(str, default="policies")
    """The policy pack (folder), relative to mkdocs.yml."""
    pdf_dir = opt.Type(str, default=f"{BUILD_DIR}/{PDF_DIR}")
    """Where ``policybook build`` writes the PDFs; present ones are published under print/."""
    mermaid = opt.Type(str, default="vendor/mermaid/mermaid.min.js")
    """The vendored Mermaid (``make setup``): diagrams render without a CDN."""
    policy_warnings = opt.Choice(("warn", "info"), default="info")
    """How policy warnings (e.g. "content still drafted") are logged. ``info`` shows them
    without failing ``--strict``, like ``policybook check``; ``warn`` fails ``--strict``
    on them, like ``policybook check --strict``. Policy errors always fail the build."""
    tooltips = opt.Type(bool, default=True)
    """Show glossary terms as tooltips wherever they appear."""
    pagefind = opt.Type(str, default=search.DEFAULT_BINARY)
    """The vendored Pagefind indexer (``make setup``): the site's search index."""


class PolicybookPlugin(BasePlugin[PolicybookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self._analysis_key: object = None
        self._analysis: Library | None = None
        self._pages_key: object = None
        self._pages: list[GeneratedPage] = []
        self._packs: list[SitePack] = []
        self._command = "build"
        self._bytecode = MemoryBytecodeCache()
        self._given: Library | None = None
        self._given_pdfs: dict[str, Path] | None = None
        self._handoffs = 0
        self.index_after_build = True
        """Index the site for search when mkdocs has written it (plain ``mkdocs build``
        and ``serve``); ``policybook build`` indexes its built site itself, whichever
        engine built it."""

    def use(self, analysis: Library | None,
            pdfs: Mapping[str, Path] | None = None) -> None:
        """Build from ``analysis`` (made by the caller) instead of analysing the pack,
        and publish ``pdfs`` (``print/<kind>/<id>.pdf`` → file) instead of those found
        in ``pdf_dir``; ``use(None)`` ends the handoff. Without it, the plugin analyses
        the pack itself (plain ``mkdocs build`` and ``mkdocs serve``).

        mkdocs keeps one instance per process (the plugin has ``on_startup``), so a
        caller hands over for one build and then calls ``use(None)``."""
        self._given = analysis
        self._given_pdfs = dict(pdfs) if pdfs is not None else None
        if analysis is not None:
            self._handoffs += 1  # a new key: pages rendered from another analysis are stale

    # --- lifecycle ---------------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"],
                   dirty: bool) -> None:
        # Defining on_startup keeps this instance (and its caches) across serve rebuilds.
        self._command = command
        memoize_jieba()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        self.policies = (base / self.config.policies).resolve()
        self.pdf_dir = (base / self.config.pdf_dir).resolve()
        self.mermaid = (base / self.config.mermaid).resolve()
        self.pagefind = (base / self.config.pagefind).resolve()
        if not self.policies.exists():
            raise PluginError(f"policybook: 找不到政策文件夹 {self.policies}。"
                              "请在 mkdocs.yml 的 plugins.policybook.policies 中设置正确的路径。")
        if not self.mermaid.is_file():
            raise PluginError(f"policybook: 找不到 {self.mermaid}(离线绘制流程图所需)。"
                              "请先运行 make setup(或 tools/setup.sh vendor)。")
        if self.index_after_build:
            try:
                search.require_tools(self.pagefind)
            except BuildError as exc:
                raise PluginError(f"policybook: {exc}") from None
        logging.getLogger("jieba").setLevel(logging.WARNING)  # search's segmenter is chatty
        for uri in EXTRA_JAVASCRIPT:
            if uri not in config.extra_javascript:
                config.extra_javascript.append(uri)
        for uri in EXTRA_CSS:
            if uri not in config.extra_css:
                config.extra_css.append(uri)
        # The CSP and the theme's inline scripts as files (generator/site/csp.py): after
        # a custom_dir of the site's own, before the theme's templates.
        dirs = config.theme.dirs
        if str(csp.THEME) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(csp.THEME))
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer:
        # Policy owners edit YAML and watch the page update.
        server.watch(str(self.policies))
        return server

    # --- check, render, add ------------------------------------------------------------

    def _analyse(self) -> Library:
        if self._given is not None:
            self._analysis, self._analysis_key = self._given, ("given", self._handoffs)
            return self._given
        key = signature(self.policies)
        if key != self._analysis_key or self._analysis is None:
            self._analysis = analyse_library(self.policies)
            self._analysis_key = key
        return self._analysis

    def _report(self, analysis: Library) -> None:
        """Policy diagnostics, in the words of ``policybook check``."""
        text = render_text(analysis.diagnostics, Summary(analysis.files, "check")).rstrip("\n")
        if not analysis.ok:
            raise PluginError("policybook: 政策有错误,未生成网站。\n" + text)
        worst = max((d.severity for d in analysis.diagnostics), default=None)
        if worst is None:
            return
        level = (logging.WARNING if worst >= Severity.WARNING
                 and self.config.policy_warnings == "warn" else logging.INFO)
        log.log(level, "policybook check:\n%s", text)

    def _render(self, library: Library, pdfs: frozenset[str],
                directory_urls: bool) -> list[GeneratedPage]:
        key = (self._analysis_key, pdfs, directory_urls, self.config.tooltips)
        if key != self._pages_key:
            self._pages, self._packs = render_pages(
                library, pdfs, directory_urls=directory_urls, tooltips=self.config.tooltips)
            self._pages_key = key
        return self._pages

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        analysis = self._analyse()
        self._report(analysis)
        pdfs = self._given_pdfs if self._given_pdfs is not None else find_pdfs(
            self.pdf_dir, tuple(p.prefix for p in analysis))
        pages = self._render(analysis, frozenset(pdfs), config.use_directory_urls)
        for page in pages:
            existing = files.get_file_from_path(page.src)
            if existing is not None:
                raise PluginError(f"policybook: docs/{page.src} 与生成的页面同名。"
                                  "生成的页面不应写入 docs/,请删除该文件。")
            files.append(File.generated(config, page.src, content=page.markdown))
        for uri, path in {**asset_files(self.mermaid), **pdfs}.items():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        if not config.nav:
            generated = {p.src for p in pages}
            extra = [f.src_uri for f in files.documentation_pages()
                     if f.src_uri not in generated]
            config.nav = site_navigation(analysis, SiteContent(pages, packs=self._packs),
                                         extra)
        return files

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment:
        # The theme's templates, compiled once per process rather than once per rebuild.
        env.bytecode_cache = self._bytecode
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.index_after_build:
            try:
                search.index_site(Path(config.site_dir), self.pagefind)
            except BuildError as exc:
                raise PluginError(f"policybook: {exc}") from None
