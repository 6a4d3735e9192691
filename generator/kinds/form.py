"""``form``: a printable, fillable form (``forms/*.yaml``): sections of typed
fields, whether each is required, and the step that fills it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import forms as spec
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


def _elements(model: Model) -> Iterator[Element]:
    yield from _walk.elements("form", model.forms, model)
    for fld in model.all_fields():
        yield Element(kind="form_field", key=f"{fld.form}/{fld.id}", title=fld.label,
                      provenance=fld.provenance, loc=fld.loc)


def _refs(model: Model) -> Iterator[Ref]:
    for form in model.forms.values():
        if form.questionnaire:
            yield Ref("questionnaire", form.questionnaire, form.loc, ("questionnaire",),
                      f"表单 {form.id} 所含问卷")
        yield from many("rule", form.rules, form.loc, "rules", f"表单 {form.id} 的依据规则")
        for fld in form.fields:
            yield Ref("step", fld.filled_at, fld.loc, ("filled_at",),
                      f"表单 {form.id} 字段 {fld.id} 的填写环节")
            yield from many("rule", fld.rules, fld.loc, "rules",
                            f"表单 {form.id} 字段 {fld.id} 的依据规则")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    yield site.forms_index()
    for form in site.forms:
        yield site.form(form)


def _printables(planner: Planner) -> Iterator[Printable]:
    return planner.forms()


KIND = Kind(
    name="form", label="表单", label_en="Form", place="forms/",
    build=BUILDERS["form"], elements=_elements,
    element_labels={"form": "表单", "form_section": "表单栏目", "form_field": "表单字段"},
    refs=_refs,
    targets=(Target("form", "表单", "表单在 forms/ 下定义,标识写在表单文件的 id。",
                    lambda m: m.forms),),
    diff=spec.SPEC, pages=_pages, printables=_printables,
)
