"""The pack's metadata (``pack.yaml``): governing documents, principles, the named
steps (stages) and the sources the pack encodes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.core import Loc, Provenance
from generator.model.sources import Source


@dataclass(frozen=True, slots=True)
class GoverningDocument:
    id: str
    title: str
    binding: str
    issuer: str
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Principle:
    id: str
    title: str
    summary: str
    description: str
    title_en: str
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    order: int
    """1-based position among the named steps."""
    title: str
    title_en: str
    tagline: str
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class PackMeta:
    id: str
    title: str
    title_en: str
    owner: str
    version: str
    effective_date: dt.date
    summary: str
    audience: tuple[str, ...]
    sources: tuple[Source, ...]
    governing_documents: tuple[GoverningDocument, ...]
    definition: str
    definition_provenance: Provenance | None
    principles: tuple[Principle, ...]
    stages: tuple[Stage, ...]
    provenance: Provenance
    loc: Loc
    example: bool = False
    """A pack written to demonstrate the toolkit: every page and printout says so."""

    def source(self, source_id: str) -> Source | None:
        """The source a citation names (``""``: the first one)."""
        if not source_id:
            return self.sources[0] if self.sources else None
        return next((s for s in self.sources if s.id == source_id), None)
