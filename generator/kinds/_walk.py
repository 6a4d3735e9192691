"""Helpers the built-in kind declarations share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generator.model import Model
from generator.model.elements import Element


def elements(kind: str, items: Mapping[str, Any], model: Model, attr: str = "title",
             render: bool = True) -> Iterator[Element]:
    """One element per item of a collection, titled by ``attr`` (parameters filled in)."""
    for key, el in items.items():
        title = str(getattr(el, attr))
        yield Element(kind=kind, key=key, title=model.text(title) if render else title,
                      provenance=el.provenance, loc=el.loc)


def ids(items: Iterable[str]) -> set[str]:
    return set(items)
