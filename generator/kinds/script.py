"""``script``: what staff say at a step (``scripts/*.yaml``): opening, key
messages, objections and answers, closing, and what never to say."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import scripts as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    return _walk.elements("script", model.scripts, model)


def _refs(model: Model) -> Iterator[Ref]:
    for script in model.scripts.values():
        yield Ref("step", script.step, script.loc, ("step",), f"话术 {script.id} 的对应环节")
        yield from many("rule", script.rules, script.loc, "rules", f"话术 {script.id} 的依据规则")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    if site.model.scripts:
        yield site.scripts()


KIND = Kind(
    name="script", label="话术", label_en="Script", place="scripts/",
    build=BUILDERS["script"], elements=_elements, element_labels={"script": "话术"},
    refs=_refs, targets=(), diff=spec.SPEC, pages=_pages,
    shown_on="所对应环节的页面(话术一节),以及话术汇编", printables=None,
)
