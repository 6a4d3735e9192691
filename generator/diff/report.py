"""Assemble a diff report: the changes grouped for reading, the documents they
touch, and a diagram for each flow whose shape changed. Renderers
(:mod:`generator.diff.markdown`, :mod:`generator.diff.jsonreport`) only format it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, Severity
from generator.diff.changes import Change
from generator.diff.diagram import flow_diagram, structure_changed
from generator.diff.groups import LABELS, ORDER
from generator.diff.impact import Impact, impacts
from generator.diff.printed import PrintedChange
from generator.diff.sources import Side
from generator.diff.specs import compare
from generator.model import Model

MARKER = "<!-- policybook-diff -->"
"""Hidden first line of the Markdown report: the workflow finds its previous PR
comment by it and updates that comment instead of adding another."""


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    """``parameters`` or ``flow:intake`` (see :attr:`Change.group`)."""
    title: str
    changes: tuple[Change, ...]

    @property
    def material(self) -> int:
        return sum(c.material for c in self.changes)

    @property
    def editorial(self) -> int:
        return len(self.changes) - self.material


@dataclass(frozen=True, slots=True)
class Diagram:
    flow: str
    title: str
    mermaid: str


@dataclass(slots=True)
class DiffReport:
    base: Side
    head: Side
    groups: list[Group] = field(default_factory=list)
    impacts: list[Impact] = field(default_factory=list)
    diagrams: list[Diagram] = field(default_factory=list)
    printed: list[PrintedChange] | None = None
    """The printables whose pages look different (``diff --pdf-review``), else None."""

    @property
    def ok(self) -> bool:
        """Both sides could be read; otherwise there is no comparison, only errors."""
        return self.base.ok and self.head.ok

    @property
    def changes(self) -> Iterator[Change]:
        for g in self.groups:
            yield from g.changes

    @property
    def material(self) -> int:
        return sum(g.material for g in self.groups)

    @property
    def editorial(self) -> int:
        return sum(g.editorial for g in self.groups)

    def errors(self, side: Side) -> list[Diagnostic]:
        if side.empty:
            return []
        return [d for d in side.analysis.diagnostics if d.severity >= Severity.ERROR]


def _title(key: str, new: Model, old: Model) -> str:
    kind, _, ident = key.partition(":")
    label = LABELS.get(kind, kind)
    if not ident:
        return label
    collection = {"flow": "flows", "decision_table": "decision_tables",
                  "questionnaire": "questionnaires", "form": "forms",
                  "checklist": "checklists", "script": "scripts"}.get(kind)
    for model in (new, old):
        element = getattr(model, collection, {}).get(ident) if collection else None
        if element is not None:
            return f"{label}:{element.title}"
    return f"{label}:{ident}"


def _order(key: str, new: Model, old: Model) -> tuple[int, int, str]:
    kind, _, ident = key.partition(":")
    rank = ORDER.index(kind) if kind in ORDER else len(ORDER)
    flows = list(new.flows) + [f for f in old.flows if f not in new.flows]
    within = flows.index(ident) if kind == "flow" and ident in flows else 0
    return rank, within, ident


def build_report(base: Side, head: Side) -> DiffReport:
    report = DiffReport(base, head)
    if not report.ok:
        return report
    old, new = base.model, head.model
    changes = compare(old, new)
    by_group: dict[str, list[Change]] = {}
    for change in changes:
        by_group.setdefault(change.group, []).append(change)
    for key in sorted(by_group, key=lambda k: _order(k, new, old)):
        # Material first; otherwise in the order of the pack.
        ordered = sorted(by_group[key], key=lambda c: not c.material)
        report.groups.append(Group(key, _title(key, new, old), tuple(ordered)))
    report.impacts = impacts(changes, old, new)
    for group in report.groups:
        kind, _, flow_id = group.key.partition(":")
        if kind != "flow" or flow_id not in new.flows or not structure_changed(group.changes):
            continue
        flow = new.flows[flow_id]
        report.diagrams.append(Diagram(flow_id, flow.title, flow_diagram(
            old.flows.get(flow_id), flow, new, old, group.changes)))
    return report
