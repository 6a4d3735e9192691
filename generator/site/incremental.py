"""The docs project of ``policybook serve``, kept up to date page by page.

Rendering every page again after an edit takes seconds on a large library, and most
pages do not change. So :class:`LiveSite` renders in two passes:

1. **first** the pages the edit is likely to change: each page was rendered while the
   model's reads were recorded (:mod:`generator.model.tracking`); the pages whose
   reads meet what differs between the old and the new model, and the pages never
   rendered, are rendered now and written at once (the engine shows them);
2. **then** every other page, a slice at a time between the watcher's polls
   (:meth:`LiveSite.complete`); when all are rendered the whole project is written as
   ``policybook build`` would write it (:func:`generator.site.stage.stage_project`:
   only files whose bytes differ, the nav, files no longer made are removed). A
   forecast that missed a page is corrected here; a new edit starts over.

After the second pass the project holds exactly what a full render gives.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.library import Library
from generator.model import Model
from generator.model.tracking import EVERYTHING, Read, changes, recording, touched, track
from generator.site.content import (
    SiteContent,
    asset_files,
    marking,
    site_pages,
    tooltip_marks,
)
from generator.site.deferred import Pending
from generator.site.library import SitePack
from generator.site.pages import GeneratedPage
from generator.site.stage import DOCS, Written, put, stage_project
from generator.site.tooltips import MarkdownTooltips


@dataclass(slots=True)
class _Kept:
    """What a page was last rendered as, and what it read."""

    page: GeneratedPage
    marked: str
    """The page's Markdown with the glossary's tooltips."""
    mark_key: str
    """What marked it (:attr:`MarkdownTooltips.key`; "" for none)."""
    reads: set[Read] = field(default_factory=set)


@dataclass(slots=True)
class _Round:
    """One edit's pass: the library, its pages in navigation order, what is left."""

    library: Library
    order: list[Hashable]
    todo: list[Pending]
    files: dict[str, Path]
    packs: list[SitePack]
    marks: dict[str, MarkdownTooltips]
    rendered_first: int = 0


class LiveSite:
    def __init__(self, site_config: Path, project: Path, *, mermaid: Path,
                 directory_urls: bool = True, tooltips: bool = True) -> None:
        self.site_config, self.project = site_config, project
        self.mermaid, self.directory_urls, self.tooltips = mermaid, directory_urls, tooltips
        self.kept: dict[Hashable, _Kept] = {}
        self.models: dict[str, Model] = {}
        self.pdfs: frozenset[str] | None = None
        self.round: _Round | None = None

    @property
    def pending(self) -> bool:
        """Whether pages of the last edit are still to be rendered."""
        return self.round is not None

    def update(self, library: Library, pdfs: Mapping[str, Path]) -> Written:
        """Start a pass for ``library``: render and write the pages likely to change
        (every page the first time, then the project is written whole)."""
        changed: dict[str, set[Read]] = {}
        for pack in library:
            model = track(pack.analysis.model)
            old = self.models.get(pack.prefix)
            # No page shows where an element is written: a reformatted file changes no page.
            changed[pack.prefix] = (changes(old, model, places=False) if old is not None
                                    else {EVERYTHING})
        if frozenset(pdfs) != self.pdfs:
            changed = {prefix: {EVERYTHING} for prefix in changed}
        self.models = {p.prefix: p.analysis.model for p in library}
        self.pdfs = frozenset(pdfs)
        by_model = {id(p.analysis.model): changed[p.prefix] for p in library}
        found, packs = site_pages(library, self.pdfs, directory_urls=self.directory_urls,
                                  deferring=True)
        marks = tooltip_marks(library) if self.tooltips else {}
        order: list[Hashable] = []
        seen: set[Hashable] = set()
        now: list[Pending] = []
        later: list[Pending] = []
        done: list[_Kept] = []
        for item in found:
            if isinstance(item, GeneratedPage):  # rendered as it was made
                key: Hashable = ("page", item.src)
                done.append(self._keep(key, item, set(), marks))
            else:
                key = item.key
                if key in seen:  # two pages under one name: told apart by their order
                    key = item.key = (*item.key, len(order))
                kept = self.kept.get(key)
                if kept is None or touched(kept.reads, by_model[id(item.site.model)]):
                    now.append(item)
                else:
                    later.append(item)
            order.append(key)
            seen.add(key)
        done += [self._render(p, marks) for p in now]
        self.round = _Round(library, order, later, {**asset_files(self.mermaid), **pdfs},
                            packs, marks, len(now))
        if not later:
            return self._finish()
        written = Written()
        docs = self.project / DOCS
        for kept in done:
            if put(docs / kept.page.src, kept.marked.encode("utf-8")):
                written.written.append(f"{DOCS}/{kept.page.src}")
        return written

    def complete(self, seconds: float) -> Written | None:
        """Render pending pages for about ``seconds``; when none is left, write the
        project whole and return what it changed (else None)."""
        work = self.round
        if work is None:
            return None
        until = time.perf_counter() + seconds
        while work.todo and time.perf_counter() < until:
            self._render(work.todo.pop(), work.marks)
        return None if work.todo else self._finish()

    def _render(self, pending: Pending, marks: dict[str, MarkdownTooltips]) -> _Kept:
        with recording() as reads:
            page = pending.render()
        return self._keep(pending.key, page, reads, marks)

    def _keep(self, key: Hashable, page: GeneratedPage, reads: set[Read],
              marks: dict[str, MarkdownTooltips]) -> _Kept:
        mark = marking(page, marks)
        before = self.kept.get(key)
        if mark is None:
            marked, mark_key = page.markdown, ""
        elif before is not None and before.page == page and before.mark_key == mark.key:
            marked, mark_key = before.marked, mark.key
        else:
            marked, mark_key = mark.apply(page.markdown), mark.key
        kept = self.kept[key] = _Kept(page, marked, mark_key, reads)
        return kept

    def _finish(self) -> Written:
        work = self.round
        assert work is not None
        self.round = None
        self.kept = {k: self.kept[k] for k in work.order}
        pages = [GeneratedPage(k.page.src, k.page.title, k.marked)
                 for k in (self.kept[key] for key in work.order)]
        content = SiteContent(pages, work.files, work.packs)
        self.project.mkdir(parents=True, exist_ok=True)
        _, written = stage_project(self.site_config, work.library, content, project=self.project)
        return written
