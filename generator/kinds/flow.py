"""``flow``: one procedure flow (``flows/*.yaml``): its steps, actors, transitions,
decision points, start and end states."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import flows as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind, Target
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.printables.documents import Planner
    from generator.printables.views import Printable
    from generator.site.pages import GeneratedPage, SiteBuilder

_FIELD = {
    "stage": "所属命名环节", "actor": "执行岗位", "permission": "所需权限",
    "decision_table": "决策表", "questionnaire": "问卷", "continues_in": "后续流程",
}  # fmt: skip
_TARGET = {"stage": "stage", "actor": "role", "permission": "permission",
           "decision_table": "decision_table", "questionnaire": "questionnaire",
           "continues_in": "flow"}


def _elements(model: Model) -> Iterator[Element]:
    yield from _walk.elements("flow", model.flows, model)
    yield from _walk.elements("step", model.steps, model)


def _refs(model: Model) -> Iterator[Ref]:
    for flow in model.flows.values():
        yield from many("role", flow.actors, flow.loc, "actors", f"流程 {flow.id} 的参与岗位")
        for loop in flow.loops:
            yield Ref("step", loop.from_step, loop.loc, ("from",),
                      f"流程 {flow.id} 声明的回路起点", flow=flow.id)
            yield Ref("step", loop.to_step, loop.loc, ("to",),
                      f"流程 {flow.id} 声明的回路终点", flow=flow.id)
    for step in model.steps.values():
        of = f"环节 {step.id} 的"
        for field, target in _TARGET.items():
            value = getattr(step, field)
            if value:
                yield Ref(target, value, step.loc, (field,), of + _FIELD[field])
        if step.next:
            yield Ref("step", step.next, step.loc, ("next",), of + "下一环节", flow=step.flow)
        for o in step.outcomes:
            yield Ref("step", o.next, o.loc, ("next",), f"{of}决策结果 {o.id} 的下一环节",
                      flow=step.flow)
        for io in (*step.inputs, *step.outputs):
            if io.kind == "form":
                yield Ref("form", io.value, io.loc, (), of + "输入输出")
        yield from many("rule", step.rules, step.loc, "rules", of + "执行规则")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    for flow in site.model.flows.values():
        yield site.flow(flow)
        for step in flow.steps:
            if step.type in ("task", "decision"):
                yield site.step(step)


def _printables(planner: Planner) -> Iterator[Printable]:
    return planner.flows()


KIND = Kind(
    name="flow", label="流程", label_en="Flow", place="flows/",
    build=BUILDERS["flow"], elements=_elements,
    element_labels={"flow": "流程", "step": "环节", "outcome": "决策结果",
                    "loop": "允许的循环"},
    refs=_refs,
    targets=(Target("flow", "流程", "流程在 flows/ 下定义,标识写在流程文件的 id。",
                    lambda m: m.flows),
             Target("step", "环节", "环节在 flows/ 下的流程文件中定义。", lambda m: m.steps),
             Target("outcome", "决策结果", "决策结果是该决策环节 outcomes 中的 id。",
                    lambda m: [o.id for s in m.steps.values() for o in s.outcomes])),
    diff=spec.SPEC, pages=_pages, printables=_printables,
)
