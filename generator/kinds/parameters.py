"""``parameters``: thresholds and caps with their units, defined once
(``parameters.yaml``) and referenced as ``{{ id }}`` from any text."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.specs import parameters as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind, Target
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many


def _elements(model: Model) -> Iterator[Element]:
    return _walk.elements("parameter", model.parameters, model)


def _refs(model: Model) -> Iterator[Ref]:
    for param in model.parameters.values():
        yield from many("rule", param.rules, param.loc, "rules", f"参数 {param.id} 的相关规则")


KIND = Kind(
    name="parameters", label="参数", label_en="Parameters", place="parameters.yaml",
    build=BUILDERS["parameters"], elements=_elements, element_labels={"parameter": "参数"},
    refs=_refs,
    targets=(Target("parameter", "参数", "参数须先在 parameters.yaml 中定义。",
                    lambda m: m.parameters),),
    diff=spec.SPEC, pages=None, shown_on="规则页的参数一节(rules.md#parameters)",
    printables=None, shared=True,
)
