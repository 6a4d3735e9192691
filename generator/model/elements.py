"""The one walk over every element of a pack that carries provenance: kind by kind
in the registry's order, each kind's elements as its declaration walks them.

Trace, coverage, the review page, the drafted-content count and the reference check
read the pack through it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.model.core import Loc, Provenance
from generator.model.model import Model


@dataclass(frozen=True, slots=True)
class Element:
    kind: str
    """pack, stage, rule, step, decision_row, form_field, checklist_item, …"""
    key: str
    """Unique within its kind; nested elements are ``parent/child`` (``limits/row_1``)."""
    title: str
    """How a person recognises it: its title (parameters filled in), name or label."""
    provenance: Provenance
    loc: Loc


def iter_elements(model: Model) -> Iterator[Element]:
    """Every element that carries provenance (its own or inherited): each kind's
    walker (:attr:`generator.kinds.registry.Kind.elements`), in the registry's order."""
    for kind in model.kinds.values():
        yield from kind.elements(model)
