"""The comparison engine: what every kind's spec (:mod:`generator.diff.specs`) is
built from.

A spec compares one kind of element on the two models and yields
:class:`~generator.diff.changes.Change` values, the way a check yields diagnostics.
Elements are paired by id; a renamed id reads as one removed and one added. Most of
a spec is a table of :class:`Field` and :class:`Text` rows run by :func:`aspects`;
added and removed elements go through :func:`presence`.

Each spec also declares the YAML field paths it compares (:attr:`Spec.fields`), so
that :mod:`generator.diff.failclosed` can report every other difference in the raw
documents instead of letting it pass unseen.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.diff.changes import Change
from generator.diff.wording import (
    char_diff,
    normalise,
    obligation_change,
    parameter_display,
    similarity,
    substance_change,
)
from generator.model import Loc, Model

NONE = "(无)"
"""How an empty value reads in a change."""


@dataclass(frozen=True, slots=True)
class Context:
    old: Model
    new: Model

    @property
    def role_names(self) -> set[str]:
        return {r.name for m in (self.old, self.new) for r in m.roles.values()}

    def reword(self, at: At, aspect: str, old: str, new: str, *,
               judge: bool = True) -> Iterator[Change]:
        """A ``reworded`` change if the text differs: material if the new wording
        changes a number, a parameter, an obligation word or a role (``judge``).
        Differences in white space alone are not changes."""
        old, new = normalise(old), normalise(new)
        if old == new:
            return
        # Any text, judged or not, changes what it says when a number, a parameter, a
        # unit or a negation changes (a question's `18至30岁` → `18至35岁`).
        why = (obligation_change(old, new, self.role_names) if judge else "") \
            or substance_change(old, new)
        if not old or not new:
            action = "added" if not old else "removed"
            material = judge
            reason = ("新增了要求" if action == "added" else "删去了要求") if judge \
                else "说明性文字"
        else:
            action, material = "reworded", bool(why)
            reason = why or ("措辞修改,未改变数字、参数、单位、否定、义务用语或岗位" if judge
                             else "说明性文字,未改变数字、参数、单位或否定")
        wording = char_diff(old, new, show_old=parameter_display(self.old.parameters),
                            show_new=parameter_display(self.new.parameters))
        yield at.change(action, material=material, reason=reason, aspect=aspect,
                        old=self.old.text(old), new=self.new.text(new),
                        wording=wording if old and new else (),
                        elements=at.elements or ((at.kind, at.id),))


@dataclass(frozen=True, slots=True)
class At:
    """Where a change is reported and what it is about."""

    group: str
    kind: str
    id: str
    title: str
    loc: Loc | None = None
    elements: tuple[tuple[str, str], ...] = ()
    steps: tuple[str, ...] = ()

    def change(self, action: str, *, material: bool, reason: str,
               **details: Any) -> Change:
        details.setdefault("elements", self.elements)
        details.setdefault("loc", self.loc)
        details.setdefault("steps", self.steps)
        return Change(self.group, self.kind, self.id, self.title, action, material=material,
                      reason=reason, **details)


def presence(at: At, old: object, *, material: bool, reason: str, shown: str = "",
             **details: Any) -> Change:
    """The element was added (``old`` is None) or removed; ``shown`` is what it was or
    is, on the side it exists."""
    added = old is None
    return at.change("added" if added else "removed", material=material, reason=reason,
                     old="" if added else shown, new=shown if added else "", **details)


Show = Callable[[Model, Any], str]


def plain(_model: Model, value: Any) -> str:
    return str(value)


def or_none(_model: Model, value: Any) -> str:
    return str(value) if value else NONE


@dataclass(frozen=True, slots=True)
class Field:
    """A value compared as a whole: a change to it is material or not, for ``reason``."""

    aspect: str
    get: Callable[[Any], Any]
    material: bool
    reason: str
    show: Show = plain
    action: str = "changed"


@dataclass(frozen=True, slots=True)
class Text:
    """A text compared by :meth:`Context.reword`; ``judge`` decides materiality by the
    words, otherwise it is editorial."""

    aspect: str
    get: Callable[[Any], str]
    judge: bool = False


Row = Field | Text


def aspects(ctx: Context, at: At, a: Any, b: Any, rows: Iterable[Row]) -> Iterator[Change]:
    """One table of rows over the old and new element, in the table's order."""
    for row in rows:
        x, y = row.get(a), row.get(b)
        if isinstance(row, Text):
            yield from ctx.reword(at, row.aspect, x, y, judge=row.judge)
        elif x != y:
            yield at.change(row.action, material=row.material, reason=row.reason,
                            aspect=row.aspect, old=row.show(ctx.old, x),
                            new=row.show(ctx.new, y))


def pairs(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(id, old or None, new or None) in the new order, then the removed ones."""
    for key, value in new.items():
        yield key, old.get(key), value
    for key, value in old.items():
        if key not in new:
            yield key, value, None


def by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


def listed(values: Iterable[str]) -> str:
    return "、".join(values) or NONE


def match_texts(old: Sequence[str], new: Sequence[str]) -> list[tuple[str, str]]:
    """Align two lists of sentences: (old, new) pairs, ``""`` on the side where an
    item was added or removed; replaced items are paired when they are similar."""
    out: list[tuple[str, str]] = []
    old, new = [normalise(t) for t in old], [normalise(t) for t in new]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        while olds and news:
            best = max(((similarity(o, n), i, j) for i, o in enumerate(olds)
                        for j, n in enumerate(news)), default=(0.0, 0, 0))
            if best[0] < 0.4:
                break
            out.append((olds.pop(best[1]), news.pop(best[2])))
        out.extend((o, "") for o in olds)
        out.extend(("", n) for n in news)
    return out


Comparator = Callable[[Context], Iterator[Change]]


@dataclass(frozen=True, slots=True)
class Spec:
    """How one document kind is compared."""

    kind: str
    """The document kind, as written in ``kind:``."""
    compare: Comparator
    fields: tuple[str, ...]
    """The YAML field paths ``compare`` looks at: ``steps[].title`` is the title of
    every step, ``rows[].when`` everything under it; ``steps@order`` is the order of
    the list; a trailing ``?`` covers only a value appearing or disappearing.
    Listing any field of ``X[]`` says that added and removed items are reported."""
    group: str
    """The report section of the document, ``{id}`` replaced by its id."""
    element: str = ""
    """The element kind a document is (``flow``), if it is one element."""
    items: Mapping[str, str] = field(default_factory=dict)
    """Top-level lists whose items are elements: ``{"parameters": "parameter"}``."""
    documents: bool = True
    """Whether ``compare`` reports a whole document added or removed."""


def title_of(model: Model, kind: str, ident: str) -> str:
    parent, _, child = ident.partition("/")
    tables: dict[str, Mapping[str, Any]] = {
        "parameter": model.parameters, "permission": model.permissions, "role": model.roles,
        "rule": model.rules, "flow": model.flows, "step": model.steps,
        "decision_table": model.decision_tables, "questionnaire": model.questionnaires,
        "form": model.forms, "checklist": model.checklists, "script": model.scripts,
        "term": model.terms, "case": model.cases,
    }
    found = tables.get(kind, {}).get(ident)
    if found is not None:
        for attr in ("title", "name", "term"):
            if getattr(found, attr, ""):
                return str(getattr(found, attr))
    if kind == "form_field" and parent in model.forms:
        return next((f.label for f in model.forms[parent].fields if f.id == child), ident)
    if kind == "checklist_item" and parent in model.checklists:
        return next((model.text(i.text) for i in model.checklists[parent].own_items
                     if i.id == child), ident)
    if model.meta and kind in ("governing_document", "principle", "stage"):
        items: tuple[Any, ...] = {"governing_document": model.meta.governing_documents,
                                  "principle": model.meta.principles,
                                  "stage": model.meta.stages}[kind]
        return next((str(getattr(i, "title", ident)) for i in items if i.id == ident), ident)
    if kind == "pack" and model.meta:
        return model.meta.title
    return ident
