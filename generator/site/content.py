"""Everything the handbook site is made of, as files: the generated Markdown pages
(glossary tooltips already marked in them), the assets and PDFs they publish, the
navigation and the extra CSS and JavaScript.

One function makes it, for every way the site is built: ``policybook build`` writes
it into a docs folder and a config that any engine builds (:mod:`generator.site.stage`),
``policybook serve`` keeps such a folder up to date, and the mkdocs plugin
(:mod:`generator.site.plugin`) hands the same pages to mkdocs as virtual files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.addresses import PDF_KINDS, pdf_path
from generator.library import Library
from generator.model import Model
from generator.site import csp, search
from generator.site.deferred import Pending
from generator.site.library import SitePack, pending_library
from generator.site.nav import NavItem, library_navigation, navigation
from generator.site.pages import GeneratedPage, pending_site, render_site
from generator.site.selftest import SELFTEST_URI
from generator.site.tools import TOOLS_URI
from generator.site.tooltips import MarkdownTooltips, Tip

ASSETS = Path(__file__).parent / "assets"
MERMAID_URI = "assets/policybook/mermaid.min.js"
STYLE_URI = "assets/policybook/policybook.css"
DIAGRAMS_URI = "assets/policybook/diagrams.js"
"""Sizes printed diagrams and pans them on phones (assets/diagrams.js, see
generator/site/mermaid.py)."""
EXTRA_JAVASCRIPT = (MERMAID_URI, TOOLS_URI, SELFTEST_URI, DIAGRAMS_URI, search.SCRIPT_URI)
EXTRA_CSS = (STYLE_URI, search.STYLE_URI)


@dataclass(frozen=True, slots=True)
class SiteContent:
    pages: list[GeneratedPage]
    """The generated pages, tooltips marked."""
    files: dict[str, Path] = field(default_factory=dict)
    """Published path → the file to publish there (assets, PDFs)."""
    packs: list[SitePack] = field(default_factory=list)
    """A library's packs (empty for a single pack)."""


def signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """What an analysis of ``root`` depends on: every YAML file's path, size and mtime."""
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


def find_pdfs(pdf_dir: Path, sections: tuple[str, ...] = ("",)) -> dict[str, Path]:
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


def tips(model: Model) -> list[Tip]:
    found = []
    for term in model.terms.values():
        title = f"{term.term}({term.en}):{model.text(term.definition)}"
        found.append(Tip(term.term, title))
        found.extend(Tip(alias, title) for alias in term.aliases)
    return found


def site_pages(library: Library, pdfs: frozenset[str], *, directory_urls: bool,
               deferring: bool = False) -> tuple[list[GeneratedPage | Pending], list[SitePack]]:
    """Every generated page of ``library`` in navigation order, not yet marked (those of
    deferrable functions pending when ``deferring``), and a library's packs."""
    packs: list[SitePack] = []
    if library.layout.library:
        packs = [SitePack(p.prefix, p.analysis.model, frozenset(
            u[len(p.prefix):] for u in pdfs if u.startswith(p.prefix))) for p in library]
        return pending_library(packs, directory_urls=directory_urls, deferring=deferring), packs
    (pack,) = library.packs
    if deferring:
        return pending_site(pack.analysis.model, pdfs, directory_urls=directory_urls), packs
    return list(render_site(pack.analysis.model, pdfs, directory_urls=directory_urls)), packs


def tooltip_marks(library: Library, *, remember: bool = False) -> dict[str, MarkdownTooltips]:
    """Each pack's glossary terms as tooltips, by the pack's prefix (``remember``: see
    :class:`MarkdownTooltips`)."""
    return {p.prefix: MarkdownTooltips(tips(p.analysis.model), remember=remember)
            for p in library}


def marking(page: GeneratedPage, marks: dict[str, MarkdownTooltips]) -> MarkdownTooltips | None:
    """What marks ``page``: its pack's terms, none on the glossary, where they are
    defined (a library's pages are under their pack's folder)."""
    prefix = next((p for p in marks if p and page.src.startswith(p)), "")
    mark = marks.get(prefix)
    return None if mark is None or page.src.endswith("glossary.md") else mark


def render_pages(library: Library, pdfs: frozenset[str], *, directory_urls: bool,
                 tooltips: bool = True, marked_before: dict[tuple[str, str], str] | None = None
                 ) -> tuple[list[GeneratedPage], list[SitePack]]:
    """Every generated page of ``library`` (and a library's packs), glossary terms
    marked as tooltips except on the glossary itself, where they are defined.
    ``marked_before`` ((tooltip titles' key, page Markdown) → marked Markdown) keeps the
    marking of pages that did not change between two calls."""
    found, packs = site_pages(library, pdfs, directory_urls=directory_urls)
    pages = [p for p in found if isinstance(p, GeneratedPage)]
    if not tooltips:
        return pages, packs
    marks = tooltip_marks(library)
    fresh: dict[tuple[str, str], str] = {}
    marked = []
    for page in pages:
        mark = marking(page, marks)
        if mark is not None:
            key = (mark.key, page.markdown)
            text = marked_before.get(key) if marked_before is not None else None
            if text is None:
                text = mark.apply(page.markdown)
            if marked_before is not None:
                fresh[key] = text
            page = GeneratedPage(page.src, page.title, text)
        marked.append(page)
    if marked_before is not None:  # keep only what this call used
        marked_before.clear()
        marked_before.update(fresh)
    return marked, packs


def asset_files(mermaid: Path) -> dict[str, Path]:
    """The site's own scripts and styles, by published path."""
    files = {MERMAID_URI: mermaid}
    for uri in (TOOLS_URI, SELFTEST_URI, DIAGRAMS_URI, STYLE_URI, *csp.SCRIPTS, *search.FILES):
        files[uri] = ASSETS / Path(uri).name
    return files


def site_content(library: Library, pdfs: Mapping[str, Path], *, mermaid: Path,
                 directory_urls: bool, tooltips: bool = True,
                 marked_before: dict[tuple[str, str], str] | None = None) -> SiteContent:
    pages, packs = render_pages(library, frozenset(pdfs), directory_urls=directory_urls,
                                tooltips=tooltips, marked_before=marked_before)
    return SiteContent(pages, {**asset_files(mermaid), **pdfs}, packs)


def site_navigation(library: Library, content: SiteContent,
                    hand_written: list[str]) -> list[NavItem]:
    """The nav: the generated pages grouped as a reader looks for them, then the
    hand-written pages (``hand_written``, their paths in the docs folder)."""
    extra = sorted(hand_written)
    if library.layout.library:
        return library_navigation(content.packs, content.pages, extra)
    return navigation(library.packs[0].analysis.model, content.pages, extra)
