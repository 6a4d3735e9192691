"""Roles and the permissions they hold (``roles.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.core import Loc, Provenance


@dataclass(frozen=True, slots=True)
class Permission:
    id: str
    title: str
    description: str
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    name_en: str
    type: str
    part_of: str
    description: str
    permissions: tuple[str, ...]
    provenance: Provenance
    loc: Loc
