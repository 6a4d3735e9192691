"""The printed documents' procedure words come from the pack: a checklist's header
blanks, what a questionnaire's level stands for and what it allows, the flow codes.
Checked on the plans, without rendering a PDF."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from conftest import EXAMPLES

from generator.model import Model
from generator.pipeline import analyse
from generator.printables import plan
from generator.printables.views import ChecklistDoc, FormDoc

MINIMAL = EXAMPLES / "valid" / "minimal"
SITE = "https://handbook.example/"


def _docs(model: Model, kind: str) -> dict[str, object]:
    return {p.id: p.doc for p in plan(model, SITE) if p.kind == kind}


def test_a_checklist_prints_the_header_fields_it_declares() -> None:
    doc = _docs(analyse(MINIMAL).model, "checklists")["opening_checklist"]
    assert isinstance(doc, ChecklistDoc) and doc.fields == ("网点", "日期", "客户姓名")


def test_a_checklist_without_header_fields_prints_generic_ones() -> None:
    model = analyse(MINIMAL).model
    cl = model.checklists["opening_checklist"]
    model.checklists[cl.id] = dataclasses.replace(cl, header_fields=())
    doc = _docs(model, "checklists")[cl.id]
    assert isinstance(doc, ChecklistDoc) and doc.fields == ("机构", "日期", "业务编号")


def test_the_scoring_key_names_the_levels_by_the_questionnaire(tmp_path: Path) -> None:
    form_id = next(f.id for f in analyse(MINIMAL).model.forms.values() if f.questionnaire)
    doc = _docs(analyse(MINIMAL).model, "forms")[form_id]
    assert isinstance(doc, FormDoc) and doc.questionnaire is not None
    q = doc.questionnaire
    assert (q.result_title, q.allows_title) == ("风险承受能力等级", "可购买产品的最高风险等级")
    assert [lv.allows for lv in q.levels] == ["R1", "R3"]

    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    quiz = pack / "questionnaires" / "risk.yaml"
    lines = quiz.read_text(encoding="utf-8").splitlines(keepends=True)
    quiz.write_text("".join(x for x in lines if not x.lstrip().startswith(
        ("result_title:", "allows_title:", "allows:"))), encoding="utf-8")
    plain = _docs(analyse(pack).model, "forms")[form_id]
    assert isinstance(plain, FormDoc) and plain.questionnaire is not None
    assert (plain.questionnaire.result_title, plain.questionnaire.allows_title) == ("等级", "")


def test_flow_codes_take_the_prefix_of_the_forms() -> None:
    model = analyse(MINIMAL).model
    codes = [p.doc.header.code for p in plan(model, SITE)
             if p.kind == "flows"]
    assert codes and all(c.startswith("MN-P-") for c in codes)
