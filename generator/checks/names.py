"""Ids that name a page: a form, checklist, flow, step, decision table or questionnaire
gets ``<folder>/<id>.md`` on the site, so ``index`` would take the folder's own page
(the list of forms, of checklists) and fail the site build after every check passed."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at
from generator.diagnostics import Diagnostic
from generator.model import Model

RESERVED = frozenset({"index"})


@check("ref.reserved-id", "有自己页面的元素的 id 不与网站的目录页重名(不得为 index)。")
def reserved_id(model: Model) -> Iterator[Diagnostic]:
    kinds = (("表单", model.forms), ("检查清单", model.checklists), ("流程", model.flows),
             ("环节", model.steps), ("决策表", model.decision_tables),
             ("问卷", model.questionnaires))
    for label, elements in kinds:
        for element_id, element in elements.items():
            if element_id.lower() in RESERVED:
                yield at(model, element.loc, "id").diagnostic(
                    "ref.reserved-id",
                    f"{label}的 id 不能是 “{element_id}”:网站上它与所在栏目的目录页同名。",
                    "换一个说明内容的 id(例如 client_info),并改正引用它的地方。")
