"""What an evaluation returns: typed results that carry their own trace (which row
decided, each input against its condition, the rules and where the source says so).
The CLI and the handbook only format them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DecisionStatus = Literal["decided", "no_match", "overlap", "missing"]


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule (or a row) comes from: the section of a source, with its title."""

    status: Literal["sourced", "drafted"]
    section: str
    """``第二部分 四(二)``; for drafted content the section it is based on (may be empty)."""
    section_title: str = ""
    source: str = ""
    """The source's id."""
    source_title: str = ""
    quote: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class RuleRef:
    id: str
    title: str
    text: str
    """The rule's text with parameters rendered (``100万元``)."""
    citation: Citation


@dataclass(frozen=True, slots=True)
class BoundView:
    """One side of a numeric condition: ``<`` 1000000, written as a parameter or not."""

    op: Literal[">=", ">", "<=", "<"]
    value: float
    parameter: str = ""
    shown: str = ""
    """The bound as the handbook shows it (``100万元``)."""


@dataclass(frozen=True, slots=True)
class ConditionCheck:
    """One input of a row against the row's condition on it."""

    input: str
    title: str
    value: Any
    """What was given (``None`` when the input is missing)."""
    shown: str
    """The value as read (``95万元``, ``未报批``)."""
    condition: str
    """The condition in words with parameters by value (``< 100万元``)."""
    written: str
    """The condition with parameters by name (``< min_amount (100万元)``)."""
    holds: bool | None
    """``None``: the input was not given."""
    bounds: tuple[BoundView, ...] = ()
    values: tuple[str, ...] = ()
    """For an enumeration: the values the row accepts."""


@dataclass(frozen=True, slots=True)
class RowCheck:
    id: str
    note: str
    checks: tuple[ConditionCheck, ...]
    outputs: dict[str, str]

    @property
    def matches(self) -> bool:
        return all(c.holds is True for c in self.checks)

    @property
    def possible(self) -> bool:
        """No given input contradicts the row."""
        return all(c.holds is not False for c in self.checks)


@dataclass(frozen=True, slots=True)
class OutputValue:
    id: str
    title: str
    value: str
    value_title: str


@dataclass(frozen=True, slots=True)
class InputValue:
    id: str
    title: str
    value: Any
    shown: str


@dataclass(frozen=True, slots=True)
class DecisionResult:
    table: str
    title: str
    status: DecisionStatus
    inputs: tuple[InputValue, ...]
    row: RowCheck | None
    """The row that decided (when ``status == "decided"``)."""
    outputs: tuple[OutputValue, ...]
    rules: tuple[RuleRef, ...]
    """The deciding row's rules (the table's when the row names none)."""
    row_citation: Citation | None
    rows: tuple[RowCheck, ...]
    """Every row, checked: why the others did not decide."""
    missing: tuple[str, ...] = ()
    """Inputs that must be given before the table can decide."""

    @property
    def decided(self) -> bool:
        return self.status == "decided"

    def output(self, output_id: str | None = None) -> str:
        """An output's value (the first output by default); ``""`` if undecided."""
        for o in self.outputs:
            if output_id is None or o.id == output_id:
                return o.value
        return ""


@dataclass(frozen=True, slots=True)
class AnswerScore:
    question: str
    text: str
    answer: str
    answer_text: str
    score: int


@dataclass(frozen=True, slots=True)
class LevelView:
    id: str
    title: str
    min_score: int
    max_score: int
    description: str
    allows: str


@dataclass(frozen=True, slots=True)
class OverrideView:
    """An override that changed the level after scoring (see :mod:`.quiz`)."""

    id: str
    title: str
    effect: str


@dataclass(frozen=True, slots=True)
class QuestionnaireResult:
    questionnaire: str
    title: str
    result_title: str
    allows_title: str
    answers: tuple[AnswerScore, ...]
    score: int | None
    band: LevelView | None
    """The level the score falls in."""
    overrides: tuple[OverrideView, ...]
    level: LevelView | None
    """The level after overrides: the result."""
    rules: tuple[RuleRef, ...]
    missing: tuple[str, ...] = ()
    """Questions not answered."""

    @property
    def complete(self) -> bool:
        return not self.missing and self.level is not None


@dataclass(frozen=True, slots=True)
class MissingFact:
    kind: Literal["input", "answer", "choice"]
    name: str
    """The input id, the questionnaire id, or the decision step id."""
    title: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionTaken:
    """How a decision step chose its outcome."""

    outcome: str
    outcome_title: str
    by: Literal["table", "questionnaire", "choice"]
    """``table``: the decision table decided from the inputs; ``questionnaire``: the
    level decided; ``choice``: a person's call, given in the facts."""
    table: DecisionResult | None = None
    explained_by: tuple[RowCheck, ...] = ()
    """For an outcome chosen at a table-driven step: the rows that give it."""


@dataclass(frozen=True, slots=True)
class FormUse:
    id: str
    title: str
    fields: tuple[str, ...]
    """Labels of the fields filled at this step."""


@dataclass(frozen=True, slots=True)
class WalkStep:
    id: str
    type: str
    title: str
    actor: str
    actor_name: str
    actions: tuple[str, ...]
    forms: tuple[FormUse, ...]
    checklist: tuple[str, ...]
    rules: tuple[RuleRef, ...]
    decision: DecisionTaken | None = None
    questionnaire: QuestionnaireResult | None = None
    next: str = ""


StopReason = Literal["end", "missing", "loop", "invalid"]


@dataclass(frozen=True, slots=True)
class FlowWalk:
    flow: str
    title: str
    steps: tuple[WalkStep, ...]
    stop: StopReason
    message: str
    """Why the walk stopped, in words."""
    end: str = ""
    """The end step reached (``stop == "end"``)."""
    result: str = ""
    continues_in: str = ""
    missing: tuple[MissingFact, ...] = ()
    used: frozenset[str] = field(default_factory=frozenset)
    """The facts the walk read (``inputs.x``, ``answers.q``, ``choices.s``)."""

    @property
    def path(self) -> list[str]:
        return [s.id for s in self.steps]
