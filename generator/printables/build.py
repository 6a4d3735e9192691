"""Build every printable of a model into a folder: plan → HTML → PDF.

:func:`write_printables` renders into a folder the caller staged
(``policybook build`` swaps it in with the site); :func:`build_printables` stages
its own folder next to ``out_dir`` and swaps it in only when every PDF succeeded,
so a failed build leaves the previous outputs as they were and nobody sees half a
folder (:mod:`generator.files.write`). PDFs render in parallel across processes
(WeasyPrint holds the GIL).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from generator.errors import OutputError
from generator.files.write import Staging
from generator.model import Model
from generator.printables.cache import PdfCache
from generator.printables.documents import Planner
from generator.printables.fonts import field_font, find_cjk_font
from generator.printables.glyphs import MissingGlyphs, explain
from generator.printables.links import Links
from generator.printables.render import Job, render_html, write_pdf
from generator.printables.views import FormDoc, Printable


def plan(model: Model, site_url: str | None = None,
         mkdocs_config: Path = Path("mkdocs.yml"), section: str = "") -> list[Printable]:
    """Every printable of ``model`` with its typed context (no files touched);
    ``section``: where the pack's pages are on the site (``<folder>/`` in a library)."""
    return Planner(model, Links.for_site(site_url, mkdocs_config, section)).plan()


def jobs_for(printables: Iterable[Printable], directory: Path,
             field_font_path: Path | None) -> list[Job]:
    return [Job(p.relpath, render_html(p, field_font_path), str(directory / p.relpath),
                p.fillable, p.doc.combs if isinstance(p.doc, FormDoc) else ())
            for p in printables]


def write_printables(model: Model, folder: Path, *, jobs: int | None = None,
                     progress: bool = False, site_url: str | None = None,
                     mkdocs_config: Path = Path("mkdocs.yml"), section: str = "",
                     cache: PdfCache | None = None) -> list[Path]:
    """Write ``checklists/<id>.pdf``, ``forms/<id>.pdf`` and ``flows/<id>.pdf`` into
    the existing, empty ``folder``; return their paths. Raises BuildError (e.g. no
    CJK font, a character no font has), or OutputError when ``folder`` cannot be
    written. With a ``cache``, a PDF whose content is unchanged is copied from it, not
    rendered (it counts which).

    Steps link to the site at ``site_url``, else $POLICYBOOK_SITE_URL, else the
    ``site_url`` of ``mkdocs_config``, else relative to where the site publishes PDFs.
    """
    printables = plan(model, site_url, mkdocs_config, section)
    cjk = find_cjk_font()
    font = field_font(cjk) if any(p.fillable for p in printables) else None
    folder = Path(folder)
    try:
        for kind in sorted({p.kind for p in printables}):
            (folder / kind).mkdir()
        work = jobs_for(printables, folder, font)
        if cache is not None:
            work = [job for job in work if not cache.fetch(job)]
        # Longest first (forms embed a font, flow sheets carry diagrams), so no
        # worker is left with a big PDF at the end while the others idle.
        work.sort(key=lambda j: (not j.fillable, -len(j.html)))
        by_target = {job.target: job for job in work}
        for target in run(work, jobs=jobs, progress=progress):
            if cache is not None:
                cache.store(by_target[target])
    except MissingGlyphs as exc:
        raise explain(exc, model) from None
    except OSError as exc:
        raise OutputError(exc.filename or folder, exc) from exc
    return [folder / p.relpath for p in printables]


def build_printables(model: Model, out_dir: Path, *, jobs: int | None = None,
                     progress: bool = False, site_url: str | None = None,
                     mkdocs_config: Path = Path("mkdocs.yml"),
                     cache: PdfCache | None = None) -> list[Path]:
    """:func:`write_printables` into ``out_dir``, atomically: on any failure
    ``out_dir`` is left untouched."""
    out_dir = Path(out_dir)
    with Staging() as staging:
        folder = staging.folder(out_dir)
        paths = write_printables(model, folder, jobs=jobs, progress=progress,
                                 site_url=site_url, mkdocs_config=mkdocs_config,
                                 cache=cache)
        staging.commit()
    return [out_dir / p.relative_to(folder) for p in paths]


def run(work: list[Job], *, jobs: int | None = None,
        progress: bool = False) -> Iterator[str]:
    """Render every job, in worker processes when there is more than one core and
    more than one job; yield each target as it is written. Characters without a glyph
    do not stop the others: one MissingGlyphs at the end names those of every PDF."""
    workers = min(jobs or _cores(), len(work))
    missing: list[MissingGlyphs] = []
    if workers <= 1:
        bar = _progress_bar(len(work)) if progress else None
        try:
            for job in work:
                try:
                    yield write_pdf(job)
                except MissingGlyphs as exc:
                    missing.append(exc)
                if bar:
                    bar(job.name)
        finally:
            if bar:
                bar(None)
        _raise_missing(missing)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        names: dict[Future[str], str] = {pool.submit(write_pdf, job): job.name
                                         for job in work}
        # After the submissions, which fork the workers: the bar's thread stays here.
        bar = _progress_bar(len(work)) if progress else None
        try:
            pending = set(names)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    error = future.exception()
                    if isinstance(error, MissingGlyphs):  # the others still tell theirs
                        missing.append(error)
                    elif error is not None:
                        for other in pending:
                            other.cancel()
                        raise error
                    if bar:
                        bar(names[future])
                    if error is None:
                        yield future.result()
        finally:
            if bar:
                bar(None)
        _raise_missing(missing)


def _raise_missing(missing: list[MissingGlyphs]) -> None:
    if missing:
        missing.sort(key=lambda e: e.document)
        chars = tuple(dict.fromkeys(c for e in missing for c in e.chars))
        names = "、".join(e.document for e in missing[:4])
        if len(missing) > 4:
            names += f" 等 {len(missing)} 个 PDF"
        raise MissingGlyphs(names, chars, sum(e.count for e in missing))


def _cores() -> int:
    """The cores this process may use (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _progress_bar(total: int) -> Callable[[str | None], None]:
    """A tqdm bar on stderr; call with a name per finished PDF, None to close."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit="pdf", desc="PDF", file=sys.stderr, leave=False,
               dynamic_ncols=True, miniters=1, mininterval=0.1)

    def step(name: str | None) -> None:
        if name is None:
            bar.close()
        else:
            bar.set_postfix_str(name, refresh=False)
            bar.update(1)

    return step
