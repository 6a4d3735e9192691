"""The mkdocs plugin: check the policies, add the generated pages, publish the assets.

Enabled in ``mkdocs.yml`` as ``policybook``. ``mkdocs build --strict`` thereby
validates and checks the policy pack (a policy error stops the build with the
same text as ``policybook check``), and ``mkdocs serve`` rebuilds when a YAML
file changes. The plugin instance persists across ``serve`` rebuilds (it has
``on_startup``), so unchanged policies are neither re-analysed nor re-rendered.

``policybook build`` analyses the pack itself and hands the result over with
:meth:`PolicybookPlugin.use` (see :mod:`generator.site.build`), together with the
PDFs it has just rendered into its staging folder; the plugin then reads neither
the policies nor the PDF folder on its own.
"""

from __future__ import annotations

import logging
import os
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
from mkdocs.structure.pages import Page

from generator.diagnostics import Severity
from generator.model import Model
from generator.library import Library, analyse_library
from generator.reporters import Summary, render_text
from generator.addresses import BUILD_DIR, PDF_DIR, PDF_KINDS, pdf_path
from generator.site import csp
from generator.site.library import SitePack, render_library
from generator.site.nav import library_navigation, navigation
from generator.site.pages import GeneratedPage, render_site
from generator.site.speed import MemoryBytecodeCache, memoize_jieba
from generator.site.tools import TOOLS_URI
from generator.site.tooltips import Tip, Tooltips

log = logging.getLogger("mkdocs.plugins.policybook")

ASSETS = Path(__file__).parent / "assets"
MERMAID_URI = "assets/policybook/mermaid.min.js"
STYLE_URI = "assets/policybook/policybook.css"
DIAGRAMS_URI = "assets/policybook/diagrams.js"
"""Sizes printed diagrams (assets/diagrams.js, see generator/site/mermaid.py)."""


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


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """What the analysis depends on: every YAML file's path, size and mtime."""
    found = []
    if root.is_file():
        st = root.stat()
        return ((str(root), st.st_size, st.st_mtime_ns),)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:  # a link to nothing: the analysis reports it (pack.unread-file)
                    continue
                found.append((os.path.join(dirpath, name), st.st_size, st.st_mtime_ns))
    return tuple(found)


def _pdfs(pdf_dir: Path, sections: tuple[str, ...] = ("",)) -> dict[str, Path]:
    """Published path (``print/forms/x.pdf``, ``<pack>/print/…`` in a library) → file,
    for every PDF that exists (a library's are in ``pdf_dir/<pack>/``)."""
    found: dict[str, Path] = {}
    for section in sections:
        for kind in PDF_KINDS:
            folder = pdf_dir / section / kind
            if folder.is_dir():
                for pdf in sorted(folder.glob("*.pdf")):
                    found[section + pdf_path(kind, pdf.stem)] = pdf
    return found


class PolicybookPlugin(BasePlugin[PolicybookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self._analysis_key: object = None
        self._analysis: Library | None = None
        self._pages_key: object = None
        self._pages: list[GeneratedPage] = []
        self._tooltips: dict[str, Tooltips] = {}
        self._packs: list[SitePack] = []
        self._command = "build"
        self._bytecode = MemoryBytecodeCache()
        self._given: Library | None = None
        self._given_pdfs: dict[str, Path] | None = None
        self._handoffs = 0

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
        if not self.policies.exists():
            raise PluginError(f"policybook: 找不到政策文件夹 {self.policies}。"
                              "请在 mkdocs.yml 的 plugins.policybook.policies 中设置正确的路径。")
        if not self.mermaid.is_file():
            raise PluginError(f"policybook: 找不到 {self.mermaid}(离线绘制流程图所需)。"
                              "请先运行 make setup(或 tools/setup.sh vendor)。")
        logging.getLogger("jieba").setLevel(logging.WARNING)  # search's segmenter is chatty
        if MERMAID_URI not in config.extra_javascript:
            config.extra_javascript.append(MERMAID_URI)
        for uri in (TOOLS_URI, DIAGRAMS_URI):
            if uri not in config.extra_javascript:
                config.extra_javascript.append(uri)
        if STYLE_URI not in config.extra_css:
            config.extra_css.append(STYLE_URI)
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
        key = _signature(self.policies)
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
        key = (self._analysis_key, pdfs, directory_urls)
        if key != self._pages_key:
            if library.layout.library:
                self._packs = [
                    SitePack(p.prefix, p.analysis.model, frozenset(
                        u[len(p.prefix):] for u in pdfs if u.startswith(p.prefix)))
                    for p in library]
                self._pages = render_library(self._packs, directory_urls=directory_urls)
            else:
                (pack,) = library.packs
                self._packs = []
                self._pages = render_site(pack.analysis.model, pdfs,
                                          directory_urls=directory_urls)
            self._tooltips = {p.prefix: Tooltips(_tips(p.analysis.model)) for p in library}
            self._pages_key = key
        return self._pages

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        analysis = self._analyse()
        self._report(analysis)
        pdfs = self._given_pdfs if self._given_pdfs is not None else _pdfs(
            self.pdf_dir, tuple(p.prefix for p in analysis))
        pages = self._render(analysis, frozenset(pdfs), config.use_directory_urls)
        for page in pages:
            existing = files.get_file_from_path(page.src)
            if existing is not None:
                raise PluginError(f"policybook: docs/{page.src} 与生成的页面同名。"
                                  "生成的页面不应写入 docs/,请删除该文件。")
            files.append(File.generated(config, page.src, content=page.markdown))
        files.append(File.generated(config, MERMAID_URI, abs_src_path=str(self.mermaid)))
        files.append(File.generated(config, TOOLS_URI,
                                    abs_src_path=str(ASSETS / Path(TOOLS_URI).name)))
        for uri in (STYLE_URI, DIAGRAMS_URI, *csp.SCRIPTS):
            files.append(File.generated(config, uri, abs_src_path=str(ASSETS / Path(uri).name)))
        for uri, path in pdfs.items():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        if not config.nav:
            generated = {p.src for p in pages}
            extra = [f.src_uri for f in files.documentation_pages()
                     if f.src_uri not in generated]
            config.nav = (library_navigation(self._packs, pages, sorted(extra))
                          if analysis.layout.library else
                          navigation(analysis.packs[0].analysis.model, pages, sorted(extra)))
        return files

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment:
        # The theme's templates, compiled once per process rather than once per rebuild.
        env.bytecode_cache = self._bytecode
        env.globals["policybook_csp"] = csp.POLICY
        return env

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        if not self.config.tooltips:
            return html
        src = page.file.src_uri
        if src.endswith("glossary.md"):
            return html  # the terms are defined right there
        # A library's pages are under their pack's folder; its terms are that pack's.
        prefix = next((p for p in self._tooltips if p and src.startswith(p)), "")
        tips = self._tooltips.get(prefix)
        return tips.apply(html) if tips is not None else html


def _tips(model: Model) -> list[Tip]:
    tips = []
    for term in model.terms.values():
        title = f"{term.term}({term.en}):{model.text(term.definition)}"
        tips.append(Tip(term.term, title))
        tips.extend(Tip(alias, title) for alias in term.aliases)
    return tips

