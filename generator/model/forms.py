"""Forms (sections of typed fields) and checklists (items tied to steps)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.model.core import Loc, Provenance


@dataclass(frozen=True, slots=True)
class FieldOption:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class RequiredWhen:
    """When a field that is not always required must be filled: a condition on the
    value of another field of the same form. Exactly one of ``in_`` (the other field's
    value, or for multiple choice one of its values, is one of these option ids) and
    ``not_equal_field`` (the other field is filled and differs from this third field)."""

    field: str
    in_: tuple[str, ...] = ()
    not_equal_field: str = ""
    loc: Loc | None = dataclasses.field(default=None, compare=False)
    """Where it is written; not part of the condition (two versions compare equal)."""

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the condition reads."""
        return (self.field, self.not_equal_field) if self.not_equal_field else (self.field,)

    def holds(self, values: Mapping[str, Any]) -> bool:
        """Whether the condition holds for a filled form (field id → value; a
        multiple choice as a list of option ids; a field left empty is absent,
        ``None`` or ``""``)."""
        value = _filled(values.get(self.field))
        if value is None:
            return False
        if self.not_equal_field:
            return bool(value != _filled(values.get(self.not_equal_field)))
        chosen = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
        return any(str(v) in self.in_ for v in chosen)


def _filled(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    return None if value in (None, "", [], ()) else value


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
    required_when: RequiredWhen | None = None
    """For a field that is not always required: when it is (``required`` is false)."""

    def is_required(self, values: Mapping[str, Any]) -> bool:
        """Whether the field must be filled in a form holding ``values``."""
        return self.required or (self.required_when is not None
                                 and self.required_when.holds(values))


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

    def field(self, field_id: str) -> FormField | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def missing(self, values: Mapping[str, Any]) -> tuple[FormField, ...]:
        """The fields a person fills that must be filled in ``values`` and are not,
        conditions (``required_when``) evaluated on ``values``; derived fields are the
        system's."""
        return tuple(f for f in self.fields if not f.derived and f.is_required(values)
                     and _filled(values.get(f.id)) is None)

    def condition_text(self, fld: FormField) -> str:
        """The condition of a conditionally required field in words, by the labels of
        the fields and options it reads (“甲”与“乙”不同时必填, “类型”为“丙”时必填);
        empty for any other field."""
        rw = fld.required_when
        if rw is None:
            return ""
        other = self.field(rw.field)
        name = f"“{other.label if other else rw.field}”"
        if rw.not_equal_field:
            third = self.field(rw.not_equal_field)
            return f"{name}与“{third.label if third else rw.not_equal_field}”不同时必填"
        labels = {o.id: o.label for o in other.options} if other else {}
        chosen = "、".join(f"“{labels.get(o, o)}”" for o in rw.in_)
        verb = "选" if other and other.type == "multi_choice" else "为"
        return f"{name}{verb}{chosen}{'之一' if len(rw.in_) > 1 else ''}时必填"


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
