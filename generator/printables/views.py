"""What each printed document shows: the typed contexts the templates lay out.

Built by the planners (:mod:`generator.printables.documents`); templates only lay
out what these dataclasses hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from generator.printables.links import StepLink

Kind = Literal["checklists", "forms", "flows"]


@dataclass(frozen=True, slots=True)
class Header:
    """What every page's header and footer and the first page's title band show."""

    kind_label: str
    code: str
    title: str
    title_en: str
    pack_title: str
    owner: str
    version: str
    effective_date: str
    timestamp: str
    """The PDF's creation and modification date (fixed, for byte-identical builds)."""
    drafted: bool
    example: bool = False
    """The pack is an example: every page says it is not the bank's procedure."""
    page_fields: tuple[str, ...] = ()
    """The blanks at the top of every page after the first (the client's name, ID)."""


@dataclass(frozen=True, slots=True)
class RuleRef:
    id: str
    title: str


# --- checklists ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckItem:
    number: int
    id: str
    text: str
    rules: tuple[RuleRef, ...]


@dataclass(frozen=True, slots=True)
class StepGroup:
    number: int
    """The step's number in its flow (as on the flow sheet)."""
    title: str
    actor: str
    link: StepLink
    items: tuple[CheckItem, ...]


@dataclass(frozen=True, slots=True)
class FlowGroup:
    title: str
    """The flow's title; shown only on role checklists, which span flows."""
    steps: tuple[StepGroup, ...]


@dataclass(frozen=True, slots=True)
class ChecklistDoc:
    header: Header
    summary: str
    role: str
    """The role of a role checklist, else empty."""
    flows: tuple[FlowGroup, ...]
    item_count: int
    fields: tuple[str, ...]
    """What the user writes at the top (``header_fields``), e.g. branch, date, case."""
    signers: tuple[str, ...] = ()
    """The roles whose items the checklist holds, in order, when there are several: each
    signs for its own items (one 执行人 line per role); empty: one 执行人 line."""
    initials: tuple[str, ...] = ()
    """The roles whose staff check its items, when more than one: each item then has a
    经办 cell for the initials of whoever checked it."""


# --- forms -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    name: str
    """The fillable field's name (the field id; ``field:option`` for multiple choice)."""
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class FieldView:
    id: str
    label: str
    type: str
    required: bool
    hint: str
    unit: str
    lines: int
    choices: tuple[Choice, ...]
    wide: bool
    """Takes a whole row (long options, several lines, a declaration)."""
    derived: str = ""
    """Filled by the system from the questionnaire (read-only): printed, not an input."""
    condition: str = ""
    """When a conditionally required field must be filled (“…时必填”), under its label."""


@dataclass(frozen=True, slots=True)
class FieldRow:
    cells: tuple[FieldView, ...]
    """One wide field, or one or two narrow ones."""


@dataclass(frozen=True, slots=True)
class SectionView:
    number: str
    title: str
    note: str
    rows: tuple[FieldRow, ...]


@dataclass(frozen=True, slots=True)
class AnswerView:
    id: str
    """The answer's id: the value of its question's radio group."""
    letter: str
    text: str
    score: int


@dataclass(frozen=True, slots=True)
class QuestionView:
    field: str
    """The question's fillable field (a radio group): ``<questionnaire>:<question>``."""
    number: int
    text: str
    topic: str
    answers: tuple[AnswerView, ...]


@dataclass(frozen=True, slots=True)
class LevelView:
    id: str
    title: str
    scores: str
    description: str
    allows: str


@dataclass(frozen=True, slots=True)
class OverrideLine:
    title: str
    when: str
    """The condition by question number and answer letter, e.g. ``第7题选A``."""
    effect: str


@dataclass(frozen=True, slots=True)
class QuestionnaireView:
    title: str
    instructions: str
    questions: tuple[QuestionView, ...]
    levels: tuple[LevelView, ...]
    letters: tuple[str, ...]
    min_score: int
    max_score: int
    result_title: str
    """What the level stands for (the level column's heading)."""
    allows_title: str
    """The heading of what each level allows; empty when no level says."""
    overrides: tuple[OverrideLine, ...] = ()
    """Printed with the scoring key on the bank's copy only."""


@dataclass(frozen=True, slots=True)
class FormDoc:
    header: Header
    purpose: str
    sections: tuple[SectionView, ...]
    questionnaire: QuestionnaireView | None
    questionnaire_after: int
    """How many sections come before the questionnaire's questions."""
    questionnaire_number: str
    steps: tuple[str, ...]
    """Titles of the steps that fill the form."""
    combs: tuple[str, ...] = ()
    """The fields printed as cells, one character each (identity numbers)."""

    @property
    def conditional(self) -> bool:
        """Some field is required only under a condition, written under its label."""
        return any(c.condition for s in self.sections for r in s.rows for c in r.cells)


# --- flow sheets -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutcomeView:
    title: str
    next: str


@dataclass(frozen=True, slots=True)
class StepRow:
    number: int
    title: str
    type_label: str
    actor: str
    stage: str
    purpose: str
    question: str
    actions: tuple[str, ...]
    forms: tuple[str, ...]
    rules: tuple[RuleRef, ...]
    outcomes: tuple[OutcomeView, ...]
    next: str
    link: StepLink


@dataclass(frozen=True, slots=True)
class FlowSheetDoc:
    header: Header
    summary: str
    actors: tuple[str, ...]
    """The roles that perform its steps."""
    declared: tuple[str, ...]
    """The flow's ``actors`` as the source names them, when they differ; with where."""
    declared_at: str
    diagram: tuple[Markup, ...]
    """One SVG per page."""
    steps: tuple[StepRow, ...]


Document = ChecklistDoc | FormDoc | FlowSheetDoc


@dataclass(frozen=True, slots=True)
class Printable:
    kind: Kind
    id: str
    template: str
    doc: Document
    fillable: bool

    @property
    def relpath(self) -> str:
        return f"{self.kind}/{self.id}.pdf"

