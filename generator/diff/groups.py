"""The sections of a diff report: which one each element's changes go to, their
order and their headings."""

from __future__ import annotations

from generator.model import Model

ORDER = ("pack", "parameters", "roles", "rules", "flow", "decision_table", "questionnaire",
         "form", "checklist", "script", "target_clients", "glossary", "cases")
"""Sections in reading order; a kind without a spec comes last, under its own name."""
LABELS = {
    "pack": "政策包", "parameters": "参数", "roles": "岗位与权限", "rules": "规则",
    "flow": "流程", "decision_table": "决策表", "questionnaire": "问卷", "form": "表单",
    "checklist": "检查清单", "script": "话术", "target_clients": "目标客户",
    "glossary": "术语表", "cases": "测试案例",
}


def group_of(model: Model, kind: str, ident: str) -> str:
    """The report section an element belongs to."""
    if kind == "step":
        step = model.steps.get(ident)
        return f"flow:{step.flow}" if step else "flows"
    parent = ident.split("/", 1)[0]
    return {
        "pack": "pack", "governing_document": "pack", "principle": "pack", "stage": "pack",
        "part": "pack", "parameter": "parameters", "permission": "roles", "role": "roles",
        "rule": "rules", "flow": f"flow:{ident}", "decision_table": f"decision_table:{ident}",
        "decision_row": f"decision_table:{parent}", "questionnaire": f"questionnaire:{ident}",
        "form": f"form:{ident}", "form_field": f"form:{parent}",
        "checklist": f"checklist:{ident}", "checklist_item": f"checklist:{parent}",
        "script": f"script:{ident}", "term": "glossary", "case": "cases",
        "target_clients": "target_clients", "target_topic": "target_clients",
    }.get(kind, kind)
