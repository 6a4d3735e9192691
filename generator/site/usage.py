"""Who implements each rule: the steps, form fields, checklist items, decision rows,
questionnaires, forms, permissions and test cases that name it.

This is the traceability matrix as the site shows it, derived from the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.model import (
    Case,
    ChecklistItem,
    DecisionTable,
    Form,
    FormField,
    Model,
    Permission,
    Questionnaire,
    Row,
    Step,
)


@dataclass(slots=True)
class RuleUse:
    steps: list[Step] = field(default_factory=list)
    fields: list[FormField] = field(default_factory=list)
    items: list[ChecklistItem] = field(default_factory=list)
    rows: list[tuple[DecisionTable, Row]] = field(default_factory=list)
    tables: list[DecisionTable] = field(default_factory=list)
    questionnaires: list[Questionnaire] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    @property
    def implemented(self) -> bool:
        return bool(self.steps or self.fields or self.items or self.rows or self.tables
                    or self.questionnaires or self.forms)

    @property
    def tested(self) -> bool:
        return bool(self.cases)


def rule_uses(model: Model) -> dict[str, RuleUse]:
    """rule id → everything in the model that names it (every rule has an entry)."""
    uses = {rule_id: RuleUse() for rule_id in model.rules}

    def add(rule_ids: Iterable[str], bucket: str, element: object) -> None:
        for rule_id in dict.fromkeys(rule_ids):
            use = uses.get(rule_id)
            if use is not None:
                getattr(use, bucket).append(element)

    for step in model.steps.values():
        add(step.rules, "steps", step)
    for fld in model.all_fields():
        add(fld.rules, "fields", fld)
    for item in model.all_checklist_items():
        add(item.rules, "items", item)
    for table in model.decision_tables.values():
        add(table.rules, "tables", table)
        for row in table.rows:
            add(row.rules, "rows", (table, row))
    for q in model.questionnaires.values():
        add(q.rules, "questionnaires", q)
    for form in model.forms.values():
        add(form.rules, "forms", form)
    for perm in model.permissions.values():
        add(perm.rules, "permissions", perm)
    for case in model.cases.values():
        add(case.rules, "cases", case)
    return uses
