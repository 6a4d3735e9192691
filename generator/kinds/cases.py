"""``cases``: executable test cases for decision tables, questionnaires and flows
(``cases/*.yaml``); ``check`` runs every one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import cases as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder

_TARGET = {"decision": "decision_table", "questionnaire": "questionnaire", "flow": "flow"}


def _elements(model: Model) -> Iterator[Element]:
    return _walk.elements("case", model.cases, model)


def _refs(model: Model) -> Iterator[Ref]:
    for case in model.cases.values():
        yield from many("rule", case.rules, case.loc, "rules", f"案例 {case.id} 的规则")
        yield Ref(_TARGET[case.kind], case.target, case.loc, (case.kind,), f"案例 {case.id}")
        for name, param_id in case.parameters.items():
            yield Ref("parameter", param_id, case.loc, ("input", name, "param"),
                      f"案例 {case.id} 输入 {name} 所依据的参数")
        if case.kind != "flow":
            continue
        for step_id, outcome in case.given.items():
            where = ("choices", step_id)
            yield Ref("step", step_id, case.loc, where, f"案例 {case.id} 的决策选择",
                      flow=case.target, key=True)
            yield Ref("outcome", str(outcome), case.loc, where, f"案例 {case.id} 的决策选择",
                      step=step_id)
        end = case.expect.get("end")
        if isinstance(end, str):
            yield Ref("step", end, case.loc, ("expect", "end"), f"案例 {case.id} 的预期结束环节",
                      flow=case.target)
        for i, step_id in enumerate(case.expect.get("visits", ())):
            yield Ref("step", step_id, case.loc, ("expect", "visits", i),
                      f"案例 {case.id} 的预期途经环节", flow=case.target)


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    """案例演练: a training page per flow case (``cases/<id>.md``)."""
    from generator.site.walkthrough import case_pages  # the site imports the kinds

    yield from case_pages(site)


KIND = Kind(
    name="cases", label="测试案例", label_en="Cases", place="cases/",
    build=BUILDERS["cases"], elements=_elements, element_labels={"case": "案例"},
    refs=_refs, targets=(), diff=spec.SPEC, pages=_pages,
    shown_on="可追溯矩阵页(trace.md)、所验证的规则与案例演练页(cases/)", printables=None,
)
