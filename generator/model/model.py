"""The :class:`Model` container: every element of a pack by kind, and the queries
several consumers share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from generator.load import Document
from generator.model.cases import Case
from generator.model.core import Loc, Provenance
from generator.model.decisions import DecisionTable
from generator.model.flows import Flow, Step
from generator.model.forms import Checklist, ChecklistItem, Form, FormField
from generator.model.pack import PackMeta
from generator.model.parameters import Parameter, render_text
from generator.model.questionnaires import Questionnaire
from generator.model.registers import Control, Register
from generator.model.roles import Permission, Role
from generator.model.rules import Rule, RuleCategory
from generator.model.texts import Script, TargetClients, Term

if TYPE_CHECKING:
    from generator.kinds.registry import Registry


@dataclass(slots=True)
class Model:
    meta: PackMeta | None = None
    parameters: dict[str, Parameter] = field(default_factory=dict)
    permissions: dict[str, Permission] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    categories: dict[str, RuleCategory] = field(default_factory=dict)
    """The rule categories in their declared order."""
    flows: dict[str, Flow] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)
    decision_tables: dict[str, DecisionTable] = field(default_factory=dict)
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    forms: dict[str, Form] = field(default_factory=dict)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    scripts: dict[str, Script] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    target_clients: TargetClients | None = None
    cases: dict[str, Case] = field(default_factory=dict)
    registers: dict[str, Register] = field(default_factory=dict)
    controls: dict[str, Control] = field(default_factory=dict)
    """The audit controls over the registers, in file order."""
    documents: dict[str, Document] = field(default_factory=dict)
    """file → document, for tools that need the raw data (diff, coverage)."""
    files_by_kind: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)
    """kind → id → element, for kinds that have no attribute of their own."""
    kinds: Registry = field(default=None)  # type: ignore[assignment]
    """The document kinds the model was built with (:func:`generator.kinds.registry`
    unless given): every layer reads a kind's declarations from here."""

    def __post_init__(self) -> None:
        if cast("Registry | None", self.kinds) is None:
            from generator.kinds import registry

            self.kinds = registry()

    def collection(self, kind: str) -> dict[str, Any]:
        """The elements of ``kind`` kept in :attr:`extra` (created empty on first use)."""
        return self.extra.setdefault(kind, {})

    def text(self, text: str) -> str:
        """``text`` with ``{{ parameter }}`` references replaced by values and units."""
        return render_text(text, self.parameters)

    def item_role(self, item: ChecklistItem) -> str:
        if item.role:
            return item.role
        step = self.steps.get(item.step)
        return step.actor if step else ""

    def checklist_items(self, checklist: Checklist) -> list[ChecklistItem]:
        """A flow checklist's own items, or for a role checklist the items of every flow
        checklist whose role is that role, in flow order."""
        if not checklist.collect_role:
            return list(checklist.own_items)
        role = checklist.collect_role
        flow_order = {f: i for i, f in enumerate(self.flows)}
        sources = sorted(
            (c for c in self.checklists.values() if not c.collect_role),
            key=lambda c: (flow_order.get(c.flow, len(flow_order)), c.id),
        )
        return [i for c in sources for i in c.own_items if self.item_role(i) == role]

    def all_checklist_items(self) -> Iterator[ChecklistItem]:
        for c in self.checklists.values():
            yield from c.own_items

    def all_fields(self) -> Iterator[FormField]:
        for form in self.forms.values():
            yield from form.fields

    def scripts_for(self, step_id: str) -> list[Script]:
        return [s for s in self.scripts.values() if s.step == step_id]

    def items_for(self, step_id: str) -> list[ChecklistItem]:
        return [i for i in self.all_checklist_items() if i.step == step_id]

    def fields_for(self, step_id: str) -> list[FormField]:
        return [f for f in self.all_fields() if f.filled_at == step_id]

    def elements(self) -> Iterator[tuple[str, str, Provenance, Loc]]:
        """(kind, id, provenance, loc) of every element that carries provenance: the
        walk of :func:`generator.model.elements.iter_elements`, as the older tuples."""
        from generator.model.elements import iter_elements  # elements.py reads Model

        for e in iter_elements(self):
            yield e.kind, e.key, e.provenance, e.loc
