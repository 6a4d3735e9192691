"""``rules``: every requirement of the procedure with its citation, and the path
constraints ``check`` proves on every path (``rules.yaml``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import rules as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind, Target
from generator.model import Model, Waypoint
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    return _walk.elements("rule", model.rules, model)


def _waypoint_refs(w: Waypoint, flow: str, rule: str) -> Iterator[Ref]:
    what = f"规则 {rule} 的途经点"
    for sub in w.any_of:
        yield from _waypoint_refs(sub, flow, rule)
    if w.stage:
        yield Ref("stage", w.stage, w.loc, ("stage",), what)
    if w.step:
        yield Ref("step", w.step, w.loc, ("step",), what, flow=flow)
        if w.outcome:
            yield Ref("outcome", w.outcome, w.loc, ("outcome",), what, step=w.step)


def _refs(model: Model) -> Iterator[Ref]:
    for rule in model.rules.values():
        yield Ref("category", rule.category, rule.loc, ("category",), f"规则 {rule.id} 的类别")
        yield from many("parameter", rule.parameters, rule.loc, "parameters",
                        f"规则 {rule.id} 的所用参数")
        for c in rule.constraints:
            yield Ref("flow", c.flow, c.loc, ("flow",), f"规则 {rule.id} 的路径约束")
            yield from many("step", c.to, c.loc, "to", f"规则 {rule.id} 的路径约束终点",
                            flow=c.flow)
            for w in c.in_order:
                yield from _waypoint_refs(w, c.flow, rule.id)


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    yield site.rules()


KIND = Kind(
    name="rules", label="规则", label_en="Rules", place="rules.yaml",
    build=BUILDERS["rules"], elements=_elements,
    element_labels={"rule": "规则", "category": "规则类别"},
    refs=_refs,
    targets=(Target("rule", "规则", "规则在 rules.yaml 中定义。", lambda m: m.rules),
             Target("category", "规则类别", "规则类别在 rules.yaml 的 categories 中定义。",
                    lambda m: m.categories)),
    diff=spec.SPEC, pages=_pages, printables=None,
)
