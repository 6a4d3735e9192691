"""``questionnaire``: a scored single-choice questionnaire and its level bands
(``questionnaires/*.yaml``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import questionnaires as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind, Target
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    yield from _walk.elements("questionnaire", model.questionnaires, model)
    for q in model.questionnaires.values():
        for o in q.overrides:
            yield Element(kind="questionnaire_override", key=f"{q.id}/{o.id}",
                          title=model.text(o.title), provenance=o.provenance, loc=o.loc)


def _refs(model: Model) -> Iterator[Ref]:
    for q in model.questionnaires.values():
        yield from many("rule", q.rules, q.loc, "rules", f"问卷 {q.id} 的依据规则")
        if q.validity:
            yield Ref("parameter", q.validity, q.loc, ("validity",), f"问卷 {q.id} 的有效期")
        for o in q.overrides:
            yield from many("rule", o.rules, o.loc, "rules",
                            f"问卷 {q.id} 覆盖规则 {o.id} 的依据规则")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    for q in site.model.questionnaires.values():
        yield site.questionnaire(q)


KIND = Kind(
    name="questionnaire", label="问卷", label_en="Questionnaire", place="questionnaires/",
    build=BUILDERS["questionnaire"], elements=_elements,
    element_labels={"questionnaire": "问卷", "question": "问卷题目", "answer": "答案",
                    "level": "等级分数段", "questionnaire_override": "问卷覆盖规则"},
    refs=_refs,
    targets=(Target("questionnaire", "问卷", "问卷在 questionnaires/ 下定义。",
                    lambda m: m.questionnaires),),
    diff=spec.SPEC, pages=_pages, printables=None,
)
