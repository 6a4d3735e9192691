"""Forms (sections of typed fields) and checklists (items tied to steps)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.core import Loc, Provenance


@dataclass(frozen=True, slots=True)
class FieldOption:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class FormField:
    id: str
    form: str
    label: str
    type: str
    required: bool
    filled_at: str
    provenance: Provenance
    loc: Loc
    label_en: str = ""
    options: tuple[FieldOption, ...] = ()
    unit: str = ""
    hint: str = ""
    lines: int = 1
    rules: tuple[str, ...] = ()
    derived: str = ""
    """``score``, ``band``, ``level`` or ``allows``: the system fills it from the form's
    questionnaire (read-only); empty for a field a person fills in."""


@dataclass(frozen=True, slots=True)
class FormSection:
    id: str
    title: str
    note: str
    fields: tuple[FormField, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    code: str
    title: str
    title_en: str
    purpose: str
    questionnaire: str
    rules: tuple[str, ...]
    sections: tuple[FormSection, ...]
    provenance: Provenance
    loc: Loc
    page_fields: tuple[str, ...] = ()
    """The blanks printed at the top of every page after the first (client, case)."""

    @property
    def fields(self) -> tuple[FormField, ...]:
        return tuple(f for s in self.sections for f in s.fields)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    checklist: str
    text: str
    step: str
    role: str
    """Explicit role, or empty to mean the step's actor (see :meth:`Model.item_role`)."""
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    code: str
    title: str
    title_en: str
    summary: str
    flow: str
    """The flow of a flow checklist; empty for a role checklist."""
    collect_role: str
    """The role of a role checklist; empty for a flow checklist."""
    own_items: tuple[ChecklistItem, ...]
    provenance: Provenance
    loc: Loc
    header_fields: tuple[str, ...] = ()
    """The blanks at the top of the printed checklist; empty: the printables' default."""
    page_fields: tuple[str, ...] = ()
    """The blanks printed at the top of every page after the first (client, case)."""
