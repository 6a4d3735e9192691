"""The drafted content as decisions a policy owner can take one at a time.

A decision is one ``drafted`` note: the elements that state it (their own
``provenance``), the elements that follow it (no provenance of their own: they are
adopted with their form, checklist or file), and, for a drafted rule, the elements
that implement it and the cases that test it (:func:`generator.trace.build_matrix`).
Elements that state the same note about the same section are one decision. Everything
is read from the model, so new drafted content lands here without an edit.

The home page and the review page state the counts with the same sentence
(:func:`counts_sentence`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.model import Model, Provenance
from generator.site.links import Links
from generator.site.markup import Markup
from generator.trace import Link, TraceRow, kind_label, own_provenance


@dataclass(frozen=True, slots=True)
class DraftCounts:
    drafted: int
    """Every drafted element, as ``policybook check``'s provenance.drafted warning counts."""
    stated: int
    """Those with their own drafting note."""
    decisions: int
    """Distinct notes: what the owner decides, one at a time."""

    @property
    def following(self) -> int:
        return self.drafted - self.stated


def counts_sentence(c: DraftCounts) -> str:
    """The one sentence both the home page and the review page print."""
    if not c.drafted:
        return "目前没有起草内容。"
    return (f"目前共有 {c.drafted} 项起草内容，归为 {c.decisions} 个待审定事项："
            f"其中 {c.stated} 项单独写明起草说明，{c.following} 项随所在的表单、清单或文件"
            "一起审定。")


@dataclass(slots=True)
class DecisionItem:
    kind: str
    """The element kind's label (环节, 检查项…)."""
    link: Markup
    where: str
    """``file:line`` of the YAML that holds it."""
    inherited: bool


@dataclass(slots=True)
class Decision:
    number: int
    section: str
    """The label of the kind that states it first (规则, 环节, 表单…): the page's heading."""
    title: str
    note: str
    based_on: str
    items: list[DecisionItem] = field(default_factory=list)
    implemented_by: list[Markup] = field(default_factory=list)
    """For a drafted rule: what implements it (steps, fields, checklist items…)."""
    tested_by: list[Markup] = field(default_factory=list)

    @property
    def stated(self) -> int:
        return sum(1 for i in self.items if not i.inherited)


def _key(prov: Provenance) -> tuple[str, str, str]:
    return (prov.note.strip(), prov.based_on, prov.source)


def draft_counts(model: Model) -> DraftCounts:
    drafted = [prov for _, _, prov, _ in model.elements() if prov.drafted]
    stated = [p for p in drafted if not p.inherited]
    return DraftCounts(len(drafted), len(stated), len({_key(p) for p in drafted}))


def decisions(model: Model, links: Links, matrix: dict[str, TraceRow]) -> list[Decision]:
    """One decision per distinct drafting note, rules first, then in the order the
    kinds are declared; within a decision, the stating elements first."""
    by_key: dict[tuple[str, str, str], Decision] = {}
    heading: dict[tuple[str, str, str], tuple[str, str]] = {}
    for kind, key, title, prov, loc in own_provenance(model):
        if prov.drafted:
            label = kind_label(model, kind) if kind != "document" else "文件"
            heading.setdefault(_key(prov), (label, title if kind != "rule" else f"{key} {title}"))
    for kind, key, prov, loc in model.elements():
        if not prov.drafted:
            continue
        k = _key(prov)
        section, title = heading.get(k, (kind_label(model, kind), key))
        d = by_key.setdefault(k, Decision(0, section, title, prov.note, prov.based_on))
        d.items.append(DecisionItem(kind_label(model, kind), links.element(kind, key),
                                    f"{loc.file}:{loc.line}", prov.inherited))
        if kind == "rule" and key in matrix and not prov.inherited:
            row = matrix[key]
            d.implemented_by += _links(model, links, (*row.implementers, *row.controls))
            d.tested_by += _links(model, links, row.cases)
    rule = kind_label(model, "rule")
    first: dict[str, int] = {}
    for d in by_key.values():
        first.setdefault(d.section, -1 if d.section == rule else len(first))
    found = sorted(by_key.values(), key=lambda d: first[d.section])  # stable: model order
    for n, d in enumerate(found, 1):
        d.number = n
        d.items.sort(key=lambda i: i.inherited)
        if d.stated > 1 and d.section != "文件":
            d.title += f" 等 {d.stated} 项"
    return found


def _links(model: Model, links: Links, found: Iterable[Link]) -> list[Markup]:
    return [Markup(f"{kind_label(model, x.kind)} {links.element(x.kind, x.id)}")
            for x in found]


def sections(found: list[Decision]) -> list[tuple[str, list[Decision]]]:
    """Decisions under the heading of the kind that states them, in order."""
    out: dict[str, list[Decision]] = {}
    for d in found:
        out.setdefault(d.section, []).append(d)
    return list(out.items())
