"""``target_clients``: who a procedure is for and where they come from
(``target-clients.yaml``): the standard, sources, data mining and development."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import target_clients as spec
from generator.kinds.registry import Kind
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    t = model.target_clients
    if t is None:
        return
    yield Element(kind="target_clients", key=t.id, title=t.title, provenance=t.provenance,
                  loc=t.loc)
    for topic in (*t.sources, *t.mining, *t.development):
        yield Element(kind="target_topic", key=topic.id, title=topic.title,
                      provenance=topic.provenance, loc=topic.loc)


def _refs(model: Model) -> Iterator[Ref]:
    t = model.target_clients
    if t is None:
        return
    for i, rule_id in enumerate(t.standard_rules):
        yield Ref("rule", rule_id, t.loc, ("standard", "rules", i), "目标客户标准的依据规则")
    for topic in t.mining:
        yield from many("parameter", topic.parameters, topic.loc, "parameters",
                        f"存量客户挖掘 {topic.id} 的所用参数")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    if site.model.target_clients is not None:
        yield site.target_clients()


KIND = Kind(
    name="target_clients", label="目标客户", label_en="Target clients",
    place="target-clients.yaml", build=BUILDERS["target_clients"], elements=_elements,
    element_labels={"target_clients": "目标客户", "target_topic": "目标客户条目"},
    refs=_refs, targets=(), diff=spec.SPEC, pages=_pages, printables=None,
)
