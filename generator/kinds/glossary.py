"""``glossary``: the terms of a procedure with their English equivalents
(``glossary.yaml``); the handbook shows them as tooltips."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import glossary as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    return _walk.elements("term", model.terms, model, "term")


def _refs(model: Model) -> Iterator[Ref]:
    return iter(())


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    yield site.glossary()


KIND = Kind(
    name="glossary", label="术语表", label_en="Glossary", place="glossary.yaml",
    build=BUILDERS["glossary"], elements=_elements, element_labels={"term": "术语"},
    refs=_refs, targets=(), diff=spec.SPEC, pages=_pages, printables=None, shared=True,
)
