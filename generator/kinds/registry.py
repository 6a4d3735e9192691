"""What a document kind declares about itself, once.

A kind (``flow``, ``form``, …) is the unit people add to the language. Everything
the engine knows about one lives in its :class:`Kind`: where its files are, its
schema, how its documents become model elements, the references they make and
the ids they define, how its elements are walked (provenance, trace, review), its
labels, how two versions are compared, and the pages and printables it produces.
The layers read these declarations; none keeps a per-kind table of its own, so a
kind cannot be half-added. :func:`missing_layers` says what a declaration lacks.

This module sits below every layer it describes: it names their contracts as
callables and imports none of them. The declarations of the built-in kinds are in
:mod:`generator.kinds` (one module each) and are loaded by
:func:`generator.kinds.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.model import Model
    from generator.model.elements import Element
    from generator.model.reader import DocumentReader
    from generator.model.refs import Ref

Builder = Callable[["Model", "DocumentReader", Mapping[str, Any]], None]
"""Adds the elements of one schema-valid document to the model."""
Walker = Callable[["Model"], Iterable["Element"]]
"""Every element of the kind that carries provenance, in reading order."""
RefWalker = Callable[["Model"], Iterable["Ref"]]
"""Every reference the kind's elements make, with where it is written."""
PageMaker = Callable[[Any], Iterable[Any]]
"""Given the site builder (:class:`generator.site.pages.SiteBuilder`), the kind's pages."""
PrintableMaker = Callable[[Any], Iterable[Any]]
"""Given the PDF planner (:class:`generator.printables.documents.Planner`), its PDFs."""


@dataclass(frozen=True)
class Target:
    """An id space other documents can refer to (``role``, ``step``, …): the
    reference check ``ref.unknown-<name>`` resolves against it."""

    name: str
    label: str
    """How a sentence names it: 岗位, 环节."""
    where: str
    """Where such ids are defined, as a hint after an unknown one."""
    ids: Callable[[Model], Iterable[str]]


@dataclass(frozen=True)
class Kind:
    name: str
    """As written in ``kind:``; the schema is ``<name>.schema.json``."""
    label: str
    """The document kind in Chinese: 流程, 表单."""
    label_en: str
    place: str
    """Where its files live in a pack: ``flows/`` (a folder of documents) or
    ``roles.yaml`` (one file at the pack's root)."""
    build: Builder
    elements: Walker
    element_labels: Mapping[str, str]
    """Each element kind the walker yields (``flow``, ``step``) → its Chinese label."""
    refs: RefWalker
    targets: tuple[Target, ...]
    diff: Any
    """Its comparison in ``policybook diff`` (a :class:`generator.diff.engine.Spec`),
    or ``None``: then two versions are compared on their raw documents, and every
    difference is material (the diff fails closed)."""
    pages: PageMaker | None
    """Its handbook pages, or ``None`` where its elements appear on other kinds'
    pages (say so in ``shown_on``)."""
    printables: PrintableMaker | None
    shown_on: str = ""
    """Where the elements are shown when the kind has no pages of its own."""
    shared: bool = False
    """May be declared once at the top of a repository of several packs and belong
    to all of them (roles, glossary, parameters)."""
    schema: Path | None = None
    """The schema file; default ``schemas/<name>.schema.json``."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> str | None:
        return self.place.rstrip("/") if self.place.endswith("/") else None

    @property
    def singleton(self) -> bool:
        """One document per pack (a file at the pack's root)."""
        return not self.place.endswith("/")

    def schema_path(self, schema_dir: Path) -> Path:
        return self.schema or schema_dir / f"{self.name}.schema.json"


def missing_layers(kind: Kind, schema_dir: Path) -> Iterator[str]:
    """What the declaration of ``kind`` lacks, in words a developer acts on."""
    import json

    path = kind.schema_path(schema_dir)
    if not path.is_file():
        yield f"schema: {path} does not exist"
    else:
        schema = json.loads(path.read_text(encoding="utf-8"))
        const = schema.get("properties", {}).get("kind", {}).get("const")
        if const != kind.name:
            yield f"schema: properties.kind.const is {const!r}, not {kind.name!r}"
    if not kind.label or not kind.label_en:
        yield "labels: label and label_en are both required"
    if not (kind.place.endswith("/") or kind.place.endswith(".yaml")):
        yield "place: a folder ending in '/' or a file name ending in '.yaml'"
    for name in ("build", "elements", "refs"):
        if not callable(getattr(kind, name)):
            yield f"{name}: not callable"
    if not kind.element_labels:
        yield "element_labels: the walker's element kinds need labels"
    if kind.pages is None and not kind.shown_on:
        yield "pages: None needs shown_on (where its elements appear instead)"
    for target in kind.targets:
        if not (target.label and target.where and callable(target.ids)):
            yield f"targets: {target.name} needs a label, a where-hint and ids"


class Registry(Mapping[str, Kind]):
    """The kinds in build order (parameters before the decision tables whose bounds
    name them); iteration order is also the reading order of every layer."""

    def __init__(self, kinds: Iterable[Kind] = ()) -> None:
        self._kinds: dict[str, Kind] = {}
        for kind in kinds:
            self.add(kind)

    def add(self, kind: Kind, *, before: str | None = None) -> None:
        if kind.name in self._kinds:
            raise ValueError(f"kind {kind.name} registered twice")
        if before is None:
            self._kinds[kind.name] = kind
            return
        items = list(self._kinds.items())
        at = next(i for i, (name, _) in enumerate(items) if name == before)
        items.insert(at, (kind.name, kind))
        self._kinds = dict(items)

    def with_kind(self, kind: Kind, *, before: str | None = None) -> Registry:
        """A copy with one more kind (tests, and packs that bring their own kinds)."""
        copy = Registry(self._kinds.values())
        copy.add(kind, before=before)
        return copy

    def __getitem__(self, name: str) -> Kind:
        return self._kinds[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def by_folder(self) -> dict[str, str]:
        return {k.folder: k.name for k in self._kinds.values() if k.folder}

    def element_label(self, element_kind: str) -> str:
        for kind in self._kinds.values():
            if element_kind in kind.element_labels:
                return kind.element_labels[element_kind]
        return _ENGINE_LABELS.get(element_kind, element_kind)

    def targets(self) -> dict[str, Target]:
        return {t.name: t for k in self._kinds.values() for t in k.targets}


_ENGINE_LABELS = {"document": "文件"}
"""Labels of what the engine itself walks: a file's own provenance."""
