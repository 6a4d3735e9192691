"""The pack's metadata (``pack.yaml``): governing documents, principles, the named
steps (stages) and the parts of the source deck."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.core import Loc, Provenance


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
class Part:
    number: int
    title: str
    summary: str
    covered_by: tuple[str, ...]
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
    source_title: str
    source_file: str
    source_note: str
    governing_documents: tuple[GoverningDocument, ...]
    definition: str
    definition_provenance: Provenance | None
    principles: tuple[Principle, ...]
    stages: tuple[Stage, ...]
    parts: tuple[Part, ...]
    provenance: Provenance
    loc: Loc
