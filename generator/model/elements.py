"""The one walk over every element of a pack that carries provenance, in a fixed
order: the pack's metadata, then each collection of the model, then the elements
nested in them (decision rows, form fields, checklist items), then target clients.

Trace, coverage, the review page and the reference check read the pack through it,
so a new kind is added here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.model.core import Loc, Provenance
from generator.model.model import Model


@dataclass(frozen=True, slots=True)
class Element:
    kind: str
    """pack, stage, rule, step, decision_row, form_field, checklist_item, …"""
    key: str
    """Unique within its kind; nested elements are ``parent/child`` (``limits/row_1``)."""
    title: str
    """How a person recognises it: its title (parameters filled in), name or label."""
    provenance: Provenance
    loc: Loc


def iter_elements(model: Model) -> Iterator[Element]:
    """Every element that carries provenance (its own or inherited)."""
    if model.meta:
        m = model.meta
        yield Element(kind="pack", key=m.id, title=m.title, provenance=m.provenance, loc=m.loc)
        for g in m.governing_documents:
            yield Element(kind="governing_document", key=g.id, title=g.title,
                          provenance=g.provenance, loc=g.loc)
        for p in m.principles:
            yield Element(kind="principle", key=p.id, title=p.title, provenance=p.provenance,
                          loc=p.loc)
        for s in m.stages:
            yield Element(kind="stage", key=s.id, title=s.title, provenance=s.provenance,
                          loc=s.loc)
    for kind, items, attr in (
        ("parameter", model.parameters, "title"), ("permission", model.permissions, "title"),
        ("role", model.roles, "name"), ("rule", model.rules, "title"),
        ("flow", model.flows, "title"), ("step", model.steps, "title"),
        ("decision_table", model.decision_tables, "title"),
        ("questionnaire", model.questionnaires, "title"), ("form", model.forms, "title"),
        ("checklist", model.checklists, "title"), ("script", model.scripts, "title"),
        ("term", model.terms, "term"), ("case", model.cases, "title"),
    ):
        for key, el in items.items():
            yield Element(kind=kind, key=key, title=model.text(str(getattr(el, attr))),
                          provenance=el.provenance, loc=el.loc)
    for table in model.decision_tables.values():
        for row in table.rows:
            yield Element(kind="decision_row", key=f"{table.id}/{row.id}",
                          title=row.note or row.id, provenance=row.provenance, loc=row.loc)
    for fld in model.all_fields():
        yield Element(kind="form_field", key=f"{fld.form}/{fld.id}", title=fld.label,
                      provenance=fld.provenance, loc=fld.loc)
    for item in model.all_checklist_items():
        yield Element(kind="checklist_item", key=f"{item.checklist}/{item.id}",
                      title=model.text(item.text), provenance=item.provenance, loc=item.loc)
    if model.target_clients:
        t = model.target_clients
        yield Element(kind="target_clients", key=t.id, title=t.title, provenance=t.provenance,
                      loc=t.loc)
        for topic in (*t.sources, *t.mining, *t.development):
            yield Element(kind="target_topic", key=topic.id, title=topic.title,
                          provenance=topic.provenance, loc=topic.loc)
