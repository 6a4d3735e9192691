"""Several procedures in one repository: a library of packs.

``policies/`` holds one pack (``policies/pack.yaml``, as a single procedure has it)
or several, one folder each (``policies/<pack>/pack.yaml``). In a library the YAML
files at the top are shared: kinds declared ``shared`` (roles, glossary, parameters)
written once there belong to every pack, beside the pack's own. A bank with hundreds
of procedures keeps them in one repository this way.

Each pack is analysed on its own (its files plus the shared ones), so a finding names
its pack's files; findings in a shared file are reported once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from generator.diagnostics import Diagnostic, sort_diagnostics
from generator.kinds import Registry, registry
from generator.load import ParseCache, discover, is_policy_file
from generator.pipeline import Analysis, analyse, with_checks

PACK_FILE = "pack.yaml"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the packs of a policy folder are and what they share."""

    root: Path
    packs: tuple[Path, ...]
    """Each pack's folder (the root itself for a single pack)."""
    shared: tuple[Path, ...] = ()
    """YAML files at the top of a library, read into every pack."""

    @property
    def library(self) -> bool:
        return bool(self.packs) and self.packs != (self.root,)


def layout(root: Path) -> Layout:
    """A file, or a folder with ``pack.yaml`` (or no pack folder below), is one pack;
    a folder whose subfolders hold ``pack.yaml`` is a library of them."""
    if root.is_file() or (root / PACK_FILE).is_file():
        return Layout(root, (root,))
    packs = tuple(sorted(p.parent for p in root.glob(f"*/{PACK_FILE}")
                         if not p.parent.name.startswith(".")))
    if not packs:
        return Layout(root, (root,))
    shared = tuple(p for p in discover(root) if len(p.relative_to(root).parts) == 1)
    return Layout(root, packs, shared)


def layout_of_files(root: PurePath, files: Sequence[tuple[PurePath, bytes]]) -> Layout:
    """The same rule for files that are not on disk (a git revision)."""
    names = {p.relative_to(root) for p, _ in files}
    if PurePath(PACK_FILE) in names:
        return Layout(Path(root), (Path(root),))
    packs = tuple(sorted(Path(root) / n.parent for n in names
                         if len(n.parts) == 2 and n.name == PACK_FILE))
    if not packs:
        return Layout(Path(root), (Path(root),))
    shared = tuple(Path(root) / n for n in sorted(names) if len(n.parts) == 1)
    return Layout(Path(root), packs, shared)


@dataclass(slots=True)
class PackAnalysis:
    folder: Path
    analysis: Analysis
    prefix: str = ""
    """Where its pages and PDFs go in a library's outputs (``<folder name>/``)."""

    @property
    def id(self) -> str:
        meta = self.analysis.model.meta
        return meta.id if meta else self.folder.name


@dataclass(slots=True)
class Library:
    layout: Layout
    packs: list[PackAnalysis] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every pack's findings; one in a shared file is reported once."""
        return sort_diagnostics([d for p in self.packs for d in p.analysis.diagnostics])

    @property
    def ok(self) -> bool:
        return all(p.analysis.ok for p in self.packs)

    @property
    def files(self) -> int:
        return len({d.file for p in self.packs for d in p.analysis.load.documents}
                   | {d.file for d in self.diagnostics})

    def only(self, pack_id: str | None) -> Library:
        """The library reduced to one pack (by id or folder name), or itself."""
        if pack_id is None:
            return self
        chosen = [p for p in self.packs if pack_id in (p.id, p.folder.name)]
        return Library(self.layout, chosen)

    def __iter__(self) -> Iterator[PackAnalysis]:
        return iter(self.packs)


def analyse_library(root: Path, *, checks: bool = True, kinds: Registry | None = None,
                    files: Sequence[tuple[Path, bytes]] | None = None,
                    cache: ParseCache | None = None, track: bool = False) -> Library:
    """Analyse every pack under ``root`` (see :func:`layout`); ``files`` instead of the
    disk for a git revision; ``cache`` keeps each file's parsing for the next call (one
    edit re-parses one file), for one registry of ``kinds``; ``track``: each model notes
    what reads it (:mod:`generator.model.tracking`)."""
    kinds = kinds if kinds is not None else registry()
    found = layout(root) if files is None else layout_of_files(root, files)
    library = Library(found)
    for folder in found.packs:
        prefix = f"{folder.name}/" if found.library else ""
        entries = None if files is None else [
            (Path(p), raw) for p, raw in files if _inside(p, folder) or Path(p) in found.shared]
        library.packs.append(PackAnalysis(
            folder, analyse(folder, checks=checks, files=entries, kinds=kinds,
                            shared=found.shared, cache=cache, track=track), prefix))
    if cache is not None:
        cache.prune()
    return library


def checked(library: Library, *, track: bool = False) -> Library:
    """``library``, analysed without checks, with every pack's checks run
    (:func:`generator.pipeline.with_checks`)."""
    return Library(library.layout, [
        PackAnalysis(p.folder, with_checks(p.analysis, track=track), p.prefix)
        for p in library.packs])


def _inside(path: PurePath, folder: Path) -> bool:
    try:
        return is_policy_file(PurePath(path).relative_to(folder))
    except ValueError:
        return False
