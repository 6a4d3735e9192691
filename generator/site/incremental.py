"""The docs project of ``policybook serve``, kept up to date page by page.

Rendering every page again after an edit takes seconds on a large library, and most
pages do not change. So :class:`LiveSite` renders in two passes:

1. **first** the pages the edit is likely to change: each page was rendered while the
   model's reads were recorded (:mod:`generator.model.tracking`); the pages whose
   reads meet what differs between the old and the new model, and the pages never
   rendered, are the forecast. Of those, the pages where a changed element is
   described (a rule's on the rules page, a step's on its step page:
   :func:`home_pages`), which the editor is looking at, are rendered and written at
   once (the engine shows them); the rest of the forecast follows, a slice at a
   time, each slice written as soon as it is rendered (or, for an engine that renders
   every page again at each change it sees, with the others at the end);
2. **then** every other page, a slice at a time between the watcher's polls
   (:meth:`LiveSite.complete`); when all are rendered the whole project is written as
   ``policybook build`` would write it (:func:`generator.site.stage.stage_project`:
   only files whose bytes differ, the nav, files no longer made are removed). A
   forecast that missed a page is corrected here; a new edit starts over.

After the second pass the project holds exactly what a full render gives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.addresses import Address, Addresses
from generator.library import Library
from generator.model import Model
from generator.model.tracking import (
    ALL,
    EVERYTHING,
    Read,
    carry,
    changes,
    recording,
    touched,
    track,
)
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

    key: Hashable
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
    forecast: list[Pending] = field(default_factory=list)
    """The forecast pages not rendered at once: rendered before ``todo``, and written
    as they are."""
    forecast_srcs: set[str] = field(default_factory=set)
    """Every page of the forecast (rendered at once or after), by its file."""


HOMES: dict[str, Callable[[Addresses, str], Address]] = {
    "steps": Addresses.step, "flows": lambda _, i: Addresses.flow(i),
    "rules": lambda _, i: Addresses.rule(i),
    "parameters": lambda _, i: Addresses.parameter(i),
    "roles": lambda _, i: Addresses.role(i),
    "permissions": lambda _, i: Addresses.permission(i),
    "forms": lambda _, i: Addresses.form(i),
    "checklists": lambda _, i: Addresses.checklist(i),
    "decision_tables": lambda _, i: Addresses.decision_table(i),
    "questionnaires": lambda _, i: Addresses.questionnaire(i),
    "terms": lambda _, i: Addresses.term(i),
    "scripts": Addresses.script, "cases": lambda _, i: Addresses.case(i),
}
"""A collection of the model → where one of its elements is described."""


def home_pages(model: Model, changed: set[Read], prefix: str) -> set[str]:
    """The pages (``docs/``-relative files) that describe the elements in ``changed``
    that are still in ``model``: the page the edit is about."""
    addresses = Addresses(model)
    found = set()
    for name, key in changed:
        home = HOMES.get(name)
        elements = getattr(model, name, None)
        if home is None or key == ALL or not isinstance(elements, dict) \
                or not dict.__contains__(elements, key):
            continue
        found.add(prefix + home(addresses, str(key)).src)
    return found


class LiveSite:
    def __init__(self, site_config: Path, project: Path, *, mermaid: Path,
                 directory_urls: bool = True, tooltips: bool = True,
                 batch: bool = False) -> None:
        self.site_config, self.project = site_config, project
        self.mermaid, self.directory_urls, self.tooltips = mermaid, directory_urls, tooltips
        self.batch = batch
        """The engine renders every page again at each change it sees (Zensical): the
        rest of an edit's forecast is written with the other pages when all are
        rendered, not a slice at a time (each slice cost the engine a whole rebuild)."""
        self.kept: dict[Hashable, _Kept] = {}
        self.models: dict[str, Model] = {}
        self.pdfs: frozenset[str] | None = None
        self.round: _Round | None = None
        self.shown: list[Hashable] = []
        """The pages this round has written so far (the ones a failed check marks)."""
        self.flagged: set[Hashable] = set()
        """Pages written with a failed check's box: rendered first at the next edit."""
        self.marks: dict[str, MarkdownTooltips] = {}
        """Each pack's tooltips, kept while its glossary stays the same."""

    @property
    def pending(self) -> bool:
        """Whether pages of the last edit are still to be rendered."""
        return self.round is not None

    def update(self, library: Library, pdfs: Mapping[str, Path]) -> Written:
        """Start a pass for ``library``: render and write the pages likely to change
        (every page the first time, then the project is written whole)."""
        changed: dict[str, set[Read]] = {}
        edits = []
        for pack in library:
            model = track(pack.analysis.model)
            old = self.models.get(pack.prefix)
            # No page shows where an element is written: a reformatted file changes no page.
            changed[pack.prefix] = (changes(old, model, places=False) if old is not None
                                    else {EVERYTHING})
            if old is not None:
                edits.append((old, model, changed[pack.prefix]))
        carry(edits)  # what the old models' derivations read and the edit left alone stays
        if frozenset(pdfs) != self.pdfs:
            changed = {prefix: {EVERYTHING} for prefix in changed}
        self.models = {p.prefix: p.analysis.model for p in library}
        self.pdfs = frozenset(pdfs)
        by_model = {id(p.analysis.model): changed[p.prefix] for p in library}
        homes = set().union(*(home_pages(p.analysis.model, changed[p.prefix], p.prefix)
                              for p in library))
        found, packs = site_pages(library, self.pdfs, directory_urls=self.directory_urls,
                                  deferring=True)
        marks = tooltip_marks(library, remember=True) if self.tooltips else {}
        # The same glossary: the marks kept, with what they remember of the large pages.
        marks = {prefix: mark if (same := self.marks.get(prefix)) is None
                 or same.key != mark.key else same for prefix, mark in marks.items()}
        self.marks = marks
        order: list[Hashable] = []
        seen: set[Hashable] = set()
        now: list[Pending] = []
        soon: list[Pending] = []
        later: list[Pending] = []
        done: list[_Kept] = []
        forecast_srcs: set[str] = set()
        for item in found:
            if isinstance(item, GeneratedPage):  # rendered as it was made
                key: Hashable = ("page", item.src)
                done.append(self._keep(key, item, set(), marks))
            else:
                key = item.key
                if key in seen:  # two pages under one name: told apart by their order
                    key = item.key = (*item.key, len(order))
                kept = self.kept.get(key)
                if kept is None:
                    now.append(item)
                elif key in self.flagged or touched(kept.reads, by_model[id(item.site.model)]):
                    (now if kept.page.src in homes else soon).append(item)
                    forecast_srcs.add(kept.page.src)
                else:
                    later.append(item)
            order.append(key)
            seen.add(key)
        if not now:  # no page describes what changed: the forecast is the first pass
            now, soon = soon, []
        self.flagged, self.shown = set(), [p.key for p in now]
        done += [k for k in (self._render(p, marks) for p in now) if k is not None]
        self.round = _Round(library, order, later, {**asset_files(self.mermaid), **pdfs},
                            packs, marks, len(now), soon[::-1], forecast_srcs)
        if not later and not soon:
            return self._finish()
        return self._write(done)

    def _write(self, done: list[_Kept]) -> Written:
        written = Written()
        docs = self.project / DOCS
        for kept in done:
            if put(docs / kept.page.src, kept.marked.encode("utf-8")):
                written.written.append(f"{DOCS}/{kept.page.src}")
        return written

    def complete(self, seconds: float) -> Written | None:
        """Render pending pages for about ``seconds``: the rest of the forecast first,
        written as it is rendered, then the others; when none is left, write the
        project whole. Returns what was written (None: nothing, and more to do)."""
        work = self.round
        if work is None:
            return None
        until = time.perf_counter() + seconds
        done: list[_Kept] = []
        first = True  # at least one page a call, however short
        while work.forecast and (first or time.perf_counter() < until):
            kept = self._render(work.forecast.pop(), work.marks)
            if kept is not None:
                done.append(kept)
                self.shown.append(kept.key)
            first = False
        while not work.forecast and work.todo and (first or time.perf_counter() < until):
            self._render(work.todo.pop(), work.marks)
            first = False
        written = self._write([] if self.batch else done)
        if not work.forecast and not work.todo:
            rest = self._finish()
            written.written += [w for w in rest.written if w not in written.written]
            written.removed += rest.removed
        return written if written.written or written.removed or self.round is None else None

    def flag(self, box: str) -> Written:
        """The checks failed on this round's edit: put ``box`` (Markdown) under the title
        of each page it has written, and stop the round (the other pages keep what they
        showed). The next edit renders these pages first."""
        self.round = None
        written = Written()
        for key in self.shown:
            kept = self.kept.get(key)
            if kept is None:
                continue
            text = with_box(kept.marked, box)
            if put(self.project / DOCS / kept.page.src, text.encode("utf-8")):
                written.written.append(f"{DOCS}/{kept.page.src}")
            self.flagged.add(key)
        self.shown = []
        return written

    def _render(self, pending: Pending, marks: dict[str, MarkdownTooltips]) -> _Kept | None:
        """The page rendered and kept; None when it has nothing to show (no page)."""
        with recording() as reads:
            page = pending.render()
        if page is None:
            self.kept.pop(pending.key, None)
            return None
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
        kept = self.kept[key] = _Kept(key, page, marked, mark_key, reads)
        return kept

    def _finish(self) -> Written:
        work = self.round
        assert work is not None
        self.round = None
        self.kept = {k: self.kept[k] for k in work.order if k in self.kept}
        pages = [GeneratedPage(k.page.src, k.page.title, k.marked) for k in self.kept.values()]
        content = SiteContent(pages, work.files, work.packs)
        self.project.mkdir(parents=True, exist_ok=True)
        _, written = stage_project(self.site_config, work.library, content, project=self.project)
        return written


def with_box(markdown: str, box: str) -> str:
    """``markdown`` with ``box`` after its title (its first ``# `` line), else first."""
    lines = markdown.split("\n")
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join([*lines[:at], "", box, *lines[at:]])
