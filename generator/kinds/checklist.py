"""``checklist``: a per-flow checklist (items tied to steps and rules) or a per-role
one that collects the items of that role (``checklists/*.yaml``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import checklists as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.printables.documents import Planner
    from generator.printables.views import Printable
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    yield from _walk.elements("checklist", model.checklists, model)
    for item in model.all_checklist_items():
        yield Element(kind="checklist_item", key=f"{item.checklist}/{item.id}",
                      title=model.text(item.text), provenance=item.provenance, loc=item.loc)


def _refs(model: Model) -> Iterator[Ref]:
    for cl in model.checklists.values():
        if cl.flow:
            yield Ref("flow", cl.flow, cl.loc, ("flow",), f"清单 {cl.id} 的所属流程")
        if cl.collect_role:
            yield Ref("role", cl.collect_role, cl.loc, ("collect", "role"),
                      f"清单 {cl.id} 汇集的岗位")
        for item in cl.own_items:
            of = f"清单 {cl.id} 检查项 {item.id} 的"
            yield Ref("step", item.step, item.loc, ("step",), of + "对应环节")
            if item.role:
                yield Ref("role", item.role, item.loc, ("role",), of + "执行岗位")
            yield from many("rule", item.rules, item.loc, "rules", of + "依据规则")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    yield site.checklists_index()
    for cl in site.checklists:
        yield site.checklist(cl)


def _printables(planner: Planner) -> Iterator[Printable]:
    return planner.checklists()


KIND = Kind(
    name="checklist", label="检查清单", label_en="Checklist", place="checklists/",
    build=BUILDERS["checklist"], elements=_elements,
    element_labels={"checklist": "检查清单", "checklist_item": "检查项"}, refs=_refs,
    targets=(), diff=spec.SPEC, pages=_pages, printables=_printables,
)
