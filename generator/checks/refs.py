"""Dangling references: every id the pack mentions must name an element that exists.

Each kind declares the references its elements make and the id spaces (targets) it
defines (:mod:`generator.kinds`); ``ref.unknown-<target>`` reports the references to
a target that do not resolve. Steps are resolved within their flow: a ``next`` may
not jump into another flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.checks import REGISTRY, check
from generator.checks._common import per_model, suggest
from generator.diagnostics import Diagnostic
from generator.kinds.registry import Target
from generator.model import Model
from generator.model.refs import Ref
from generator.trace import elements_and_titles

ELEMENT = Target("element", "元素或文件类型",
                 "写文件类型(如 rules、flow)或政策包中某个元素的标识。",
                 lambda m: {*m.kinds, *(e.key for e in elements_and_titles(m)[0])})
"""What ``covered_by`` names: a document kind or any element (the engine's own target)."""


def targets(model: Model) -> dict[str, Target]:
    return {**model.kinds.targets(), ELEMENT.name: ELEMENT}


@per_model
def references(model: Model) -> dict[str, list[Ref]]:
    """Every reference in the pack by target (once per model: each ref check reads it)."""
    by_kind: dict[str, list[Ref]] = {name: [] for name in targets(model)}
    for kind in model.kinds.values():
        for ref in kind.refs(model):
            by_kind.setdefault(ref.kind, []).append(ref)
    return by_kind


def _known(model: Model, target: Target) -> set[str]:
    return set(target.ids(model))


def unknown(model: Model, kind: str) -> Iterator[Diagnostic]:
    refs = references(model).get(kind)
    target = targets(model).get(kind)
    if not refs or target is None:
        return
    known = _known(model, target) if kind != "outcome" else set()
    label = target.label
    check_id = "ref.unknown-" + kind.replace("_", "-")
    for ref in refs:
        if kind == "outcome":
            step = model.steps.get(ref.step)
            if step is None or step.type != "decision":
                continue  # the step reference is reported by ref.unknown-step or case checks
            options = [o.id for o in step.outcomes]
            if ref.target in options:
                continue
            yield ref.loc(model).diagnostic(
                check_id, f"{ref.what}引用了决策环节 {ref.step} 没有的结果 “{ref.target}”。",
                suggest(ref.target, options) + f"该环节的结果有:{'、'.join(options)}。")
            continue
        if kind == "step" and ref.flow:
            flow = model.flows.get(ref.flow)
            if flow is None:
                continue  # the flow reference is reported by ref.unknown-flow
            step = model.steps.get(ref.target)
            if step is not None and step.flow == ref.flow:
                continue
            elsewhere = f"(它属于流程 {step.flow})" if step else ""
            yield ref.loc(model).diagnostic(
                check_id,
                f"{ref.what}引用的环节 “{ref.target}” 不在流程 {ref.flow} 中{elsewhere}。",
                suggest(ref.target, [s.id for s in flow.steps])
                + "流程内的引用只能指向同一流程的环节;流程之间用结束环节的 continues_in 衔接。")
            continue
        if ref.target in known:
            continue
        yield ref.loc(model).diagnostic(
            check_id, f"{ref.what}引用了不存在的{label} “{ref.target}”。",
            suggest(ref.target, known) + target.where)


def register_targets(found: Iterable[Target]) -> None:
    """Register ``ref.unknown-<target>`` for every target not registered yet (the kinds
    declare their targets; the checks catalogue lists them all)."""
    for target in found:
        check_id = "ref.unknown-" + target.name.replace("_", "-")
        if check_id in REGISTRY:
            continue

        def run(model: Model, name: str = target.name) -> Iterator[Diagnostic]:
            return unknown(model, name)

        run.__name__ = f"unknown_{target.name}"
        where = "(且在同一流程中)" if target.name == "step" else ""
        check(check_id, f"引用的{target.label}必须存在{where}。")(run)


register_targets([ELEMENT])
