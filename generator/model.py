"""The typed model of a policy pack: what every check, page, checklist, form and
diff reads. Built from schema-valid documents by :func:`build_model`.

Every element keeps its :class:`Loc` (file, line, column, JSON pointer), so a
finding about it can point at the YAML line that defines it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.diagnostics import Diagnostic, Severity, join_pointer
from generator.load import PLACEHOLDER, Document, LoadResult
from generator.sources import Source, build_sources

# --- locations and provenance -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loc:
    file: str
    line: int
    column: int
    pointer: str

    def diagnostic(self, check: str, message: str, hint: str = "", *,
                   severity: Severity = Severity.ERROR,
                   related: tuple[str, ...] = ()) -> Diagnostic:
        return Diagnostic(check, message, self.file, self.line, self.column, self.pointer,
                          hint=hint, severity=severity, related=related)


@dataclass(frozen=True, slots=True)
class Provenance:
    status: Literal["sourced", "drafted"]
    citation: str = ""
    """For sourced content: the section of the source, e.g. ``第二部分 四(六)3``."""
    quote: str = ""
    note: str = ""
    """For drafted content: what it is based on or what a reviewer should decide."""
    based_on: str = ""
    inherited: bool = False
    source: str = ""
    """The id of the source the citation is in; ``""`` for the pack's first source."""

    @property
    def drafted(self) -> bool:
        return self.status == "drafted"

    @property
    def label(self) -> str:
        return "起草" if self.drafted else "有出处"


# --- parameters and text ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parameter:
    id: str
    title: str
    value: float | int
    unit: str
    loc: Loc
    provenance: Provenance
    title_en: str = ""
    comparison: str = ""
    description: str = ""
    rules: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return format_quantity(self.value, self.unit)


def format_quantity(value: float | int, unit: str) -> str:
    """How a bank writes the amount: 1000000 元 → 100万元; 200 名 → 200名."""
    number: float | int = int(value) if float(value).is_integer() else value
    if unit == "元" and isinstance(number, int) and number >= 10000 and number % 10000 == 0:
        return f"{number // 10000}万元"
    if unit == "元" and isinstance(number, int) and number >= 10000:
        return f"{number:,}元"
    return f"{number}{unit}"


def render_text(text: str, parameters: Mapping[str, Parameter]) -> str:
    """Replace every ``{{ name }}`` with the parameter's value and unit."""
    if "{{" not in text:
        return text

    def sub(match: re.Match[str]) -> str:
        param = parameters.get(match.group(1))
        return param.display if param else match.group(0)

    return PLACEHOLDER.sub(sub, text)


def placeholders(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text)]


# --- pack metadata -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoverningDocument:
    id: str
    title: str
    binding: str
    issuer: str
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Principle:
    id: str
    title: str
    summary: str
    description: str
    title_en: str
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    order: int
    """1-based position among the named steps."""
    title: str
    title_en: str
    tagline: str
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class PackMeta:
    id: str
    title: str
    title_en: str
    owner: str
    version: str
    effective_date: dt.date
    summary: str
    audience: tuple[str, ...]
    sources: tuple[Source, ...]
    governing_documents: tuple[GoverningDocument, ...]
    definition: str
    definition_provenance: Provenance | None
    principles: tuple[Principle, ...]
    stages: tuple[Stage, ...]
    provenance: Provenance
    loc: Loc
    example: bool = False
    """A pack written to demonstrate the toolkit: every page and printout says so."""

    def source(self, source_id: str) -> Source | None:
        """The source a citation names (``""``: the first one)."""
        if not source_id:
            return self.sources[0] if self.sources else None
        return next((s for s in self.sources if s.id == source_id), None)


# --- roles and rules -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Permission:
    id: str
    title: str
    description: str
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    name_en: str
    type: str
    part_of: str
    description: str
    permissions: tuple[str, ...]
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Waypoint:
    """A place a path must pass: a step (optionally one of its outcomes), a stage,
    or any of several such places."""

    loc: Loc
    step: str = ""
    outcome: str = ""
    stage: str = ""
    any_of: tuple[Waypoint, ...] = ()

    def describe(self) -> str:
        if self.any_of:
            return " 或 ".join(w.describe() for w in self.any_of)
        if self.stage:
            return f"命名环节 {self.stage}"
        return f"{self.step}→{self.outcome}" if self.outcome else self.step


@dataclass(frozen=True, slots=True)
class Constraint:
    flow: str
    to: tuple[str, ...]
    in_order: tuple[Waypoint, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    text: str
    category: str
    provenance: Provenance
    loc: Loc
    title_en: str = ""
    parameters: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()


# --- flows -------------------------------------------------------------------------------------

StepType = Literal["start", "task", "decision", "end"]


@dataclass(frozen=True, slots=True)
class IO:
    kind: Literal["form", "document", "system"]
    value: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    title: str
    next: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    flow: str
    type: StepType
    title: str
    provenance: Provenance
    loc: Loc
    title_en: str = ""
    stage: str = ""
    actor: str = ""
    permission: str = ""
    purpose: str = ""
    actions: tuple[str, ...] = ()
    inputs: tuple[IO, ...] = ()
    outputs: tuple[IO, ...] = ()
    rules: tuple[str, ...] = ()
    decision_table: str = ""
    questionnaire: str = ""
    question: str = ""
    outcomes: tuple[Outcome, ...] = ()
    next: str = ""
    result: str = ""
    continues_in: str = ""

    def successors(self) -> list[tuple[str, Outcome | None]]:
        """(target step id, the outcome that leads there or None)."""
        if self.type == "decision":
            return [(o.next, o) for o in self.outcomes]
        return [(self.next, None)] if self.next else []

    @property
    def forms(self) -> tuple[str, ...]:
        """Forms this step uses or produces."""
        return tuple(dict.fromkeys(io.value for io in (*self.inputs, *self.outputs)
                                   if io.kind == "form"))


@dataclass(frozen=True, slots=True)
class Loop:
    from_step: str
    to_step: str
    reason: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Flow:
    id: str
    title: str
    title_en: str
    order: int
    actors: tuple[str, ...]
    summary: str
    steps: tuple[Step, ...]
    loops: tuple[Loop, ...]
    provenance: Provenance
    loc: Loc

    def step(self, step_id: str) -> Step | None:
        for s in self.steps:
            if s.id == step_id:
                return s
        return None

    @property
    def starts(self) -> list[Step]:
        return [s for s in self.steps if s.type == "start"]

    @property
    def ends(self) -> list[Step]:
        return [s for s in self.steps if s.type == "end"]


# --- decision tables ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EnumValue:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class DecisionInput:
    id: str
    title: str
    type: Literal["number", "enum"]
    unit: str
    minimum: float | None
    maximum: float | None
    values: tuple[EnumValue, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class DecisionOutput:
    id: str
    title: str
    values: tuple[EnumValue, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Bound:
    value: float
    parameter: str = ""
    """The parameter the bound was written as, if any."""


@dataclass(frozen=True, slots=True)
class Interval:
    """A numeric condition; ``None`` means unbounded on that side."""

    low: Bound | None
    low_inclusive: bool
    high: Bound | None
    high_inclusive: bool
    loc: Loc

    def contains(self, x: float) -> bool:
        if self.low is not None and (x < self.low.value
                                     or (x == self.low.value and not self.low_inclusive)):
            return False
        return not (self.high is not None
                    and (x > self.high.value
                         or (x == self.high.value and not self.high_inclusive)))

    def describe(self, parameters: Mapping[str, Parameter] | None = None) -> str:
        def show(b: Bound) -> str:
            if b.parameter and parameters and b.parameter in parameters:
                return parameters[b.parameter].display
            return f"{b.value:g}"

        parts = []
        if self.low is not None:
            parts.append(("≥ " if self.low_inclusive else "> ") + show(self.low))
        if self.high is not None:
            parts.append(("≤ " if self.high_inclusive else "< ") + show(self.high))
        return " 且 ".join(parts) or "任意"


@dataclass(frozen=True, slots=True)
class EnumSet:
    values: tuple[str, ...]
    loc: Loc

    def contains(self, x: str) -> bool:
        return x in self.values


Condition = Interval | EnumSet


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    when: Mapping[str, Condition]
    then: Mapping[str, str]
    note: str
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc

    def matches(self, inputs: Mapping[str, Any]) -> bool:
        for name, cond in self.when.items():
            value = inputs.get(name)
            if isinstance(cond, Interval):
                if not isinstance(value, int | float) or isinstance(value, bool):
                    return False
                if not cond.contains(float(value)):
                    return False
            elif not cond.contains(str(value)):
                return False
        return True


@dataclass(frozen=True, slots=True)
class DecisionTable:
    id: str
    title: str
    title_en: str
    summary: str
    hit_policy: str
    inputs: tuple[DecisionInput, ...]
    outputs: tuple[DecisionOutput, ...]
    rows: tuple[Row, ...]
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc

    def evaluate(self, inputs: Mapping[str, Any]) -> list[Row]:
        """Every row that matches (a sound table returns exactly one)."""
        return [row for row in self.rows if row.matches(inputs)]


# --- questionnaires -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    text: str
    score: int
    loc: Loc


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    topic: str
    answers: tuple[Answer, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    title: str
    title_en: str
    min_score: int
    max_score: int
    description: str
    max_product_risk: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: str
    title: str
    title_en: str
    summary: str
    instructions: str
    rules: tuple[str, ...]
    validity: str
    questions: tuple[Question, ...]
    levels: tuple[Level, ...]
    provenance: Provenance
    loc: Loc

    @property
    def min_score(self) -> int:
        return sum(min(a.score for a in q.answers) for q in self.questions)

    @property
    def max_score(self) -> int:
        return sum(max(a.score for a in q.answers) for q in self.questions)

    def score(self, answers: Mapping[str, str]) -> int:
        """Total score; raises KeyError for an unknown question or answer."""
        total = 0
        for q in self.questions:
            chosen = answers[q.id]
            scores = [a.score for a in q.answers if a.id == chosen]
            if not scores:
                raise KeyError(f"{q.id}: {chosen}")
            total += scores[0]
        return total

    def level_for(self, score: int) -> Level | None:
        for level in self.levels:
            if level.min_score <= score <= level.max_score:
                return level
        return None


# --- forms, checklists, scripts, glossary, target clients, cases ----------------------------------


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


@dataclass(frozen=True, slots=True)
class Objection:
    id: str
    objection: str
    answer: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Script:
    id: str
    title: str
    step: str
    opening: str
    key_messages: tuple[str, ...]
    objections: tuple[Objection, ...]
    closing: str
    never_say: tuple[str, ...]
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    term: str
    en: str
    definition: str
    aliases: tuple[str, ...]
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Topic:
    """An entry of the target-clients part: a source, a mining criterion or a channel."""

    id: str
    title: str
    description: str
    provenance: Provenance
    loc: Loc
    signal: str = ""
    criterion: str = ""
    action: str = ""
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TargetClients:
    id: str
    title: str
    standard: str
    standard_rules: tuple[str, ...]
    standard_provenance: Provenance
    sources: tuple[Topic, ...]
    mining: tuple[Topic, ...]
    development: tuple[Topic, ...]
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    title: str
    kind: Literal["decision", "questionnaire", "flow"]
    target: str
    """The decision table, questionnaire or flow the case exercises."""
    rules: tuple[str, ...]
    given: Mapping[str, Any]
    """Decision inputs, questionnaire answers, or flow choices (decision step → outcome).
    Inputs written relative to a parameter are resolved to numbers."""
    expect: Mapping[str, Any]
    case_set: str
    provenance: Provenance
    loc: Loc
    parameters: Mapping[str, str] = field(default_factory=dict)
    """Decision input id → the parameter its value was written relative to."""
    shown: Mapping[str, str] = field(default_factory=dict)
    """Decision input id → how a relative input reads (``100万元 − 0.01``)."""
    written: Mapping[str, Any] = field(default_factory=dict)
    """The inputs as written (``{param: …, offset: …}`` unresolved): what a reviewer
    compares, since a moved parameter moves the resolved values but changes no case."""


# --- the model ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Model:
    meta: PackMeta | None = None
    parameters: dict[str, Parameter] = field(default_factory=dict)
    permissions: dict[str, Permission] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
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
    documents: dict[str, Document] = field(default_factory=dict)
    """file → document, for tools that need the raw data (diff, coverage)."""
    files_by_kind: dict[str, list[str]] = field(default_factory=dict)

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
        """(kind, id, provenance, loc) of every element that carries provenance."""
        if self.meta:
            m = self.meta
            yield "pack", m.id, m.provenance, m.loc
            for g in m.governing_documents:
                yield "governing_document", g.id, g.provenance, g.loc
            for p in m.principles:
                yield "principle", p.id, p.provenance, p.loc
            for s in m.stages:
                yield "stage", s.id, s.provenance, s.loc
        for kind, items in (
            ("parameter", self.parameters), ("permission", self.permissions),
            ("role", self.roles), ("rule", self.rules), ("flow", self.flows),
            ("step", self.steps), ("decision_table", self.decision_tables),
            ("questionnaire", self.questionnaires), ("form", self.forms),
            ("checklist", self.checklists), ("script", self.scripts), ("term", self.terms),
            ("case", self.cases),
        ):
            for key, el in items.items():
                yield kind, key, el.provenance, el.loc
        for table in self.decision_tables.values():
            for row in table.rows:
                yield "decision_row", f"{table.id}/{row.id}", row.provenance, row.loc
        for fld in self.all_fields():
            yield "form_field", f"{fld.form}/{fld.id}", fld.provenance, fld.loc
        for item in self.all_checklist_items():
            yield "checklist_item", f"{item.checklist}/{item.id}", item.provenance, item.loc
        if self.target_clients:
            t = self.target_clients
            yield "target_clients", t.id, t.provenance, t.loc
            for topic in (*t.sources, *t.mining, *t.development):
                yield "target_topic", topic.id, topic.provenance, topic.loc


# --- building -------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, doc: Document, diagnostics: list[Diagnostic]) -> None:
        self.doc = doc
        self.diagnostics = diagnostics

    def loc(self, pointer: str) -> Loc:
        line, col = self.doc.at(pointer)
        return Loc(self.doc.file, line, col, pointer)

    def provenance(self, data: Mapping[str, Any], inherited: Provenance | None) -> Provenance:
        raw = data.get("provenance")
        if isinstance(raw, dict):
            if "sourced" in raw:
                return Provenance("sourced", citation=raw["sourced"], quote=raw.get("quote", ""),
                                  source=raw.get("source", ""))
            return Provenance("drafted", note=raw.get("drafted", ""),
                              based_on=raw.get("based_on", ""), source=raw.get("source", ""))
        if inherited is None:
            return Provenance("drafted", note="未注明来源", inherited=True)
        if inherited.inherited:
            return inherited
        return Provenance(inherited.status, inherited.citation, inherited.quote, inherited.note,
                          inherited.based_on, inherited=True, source=inherited.source)


def _t(values: Any) -> tuple[Any, ...]:
    return tuple(values or ())


def build_model(result: LoadResult) -> tuple[Model, list[Diagnostic]]:
    """Build the model from schema-valid documents (invalid ones are skipped).

    Returns the diagnostics found while building: duplicate ids across the pack.
    """
    model = Model()
    diags: list[Diagnostic] = []
    seen: dict[tuple[str, str], Loc] = {}

    def register(kind: str, key: str, loc: Loc, label: str) -> bool:
        first = seen.get((kind, key))
        if first is not None:
            diags.append(loc.diagnostic(
                "ref.duplicate-id",
                f"{label}标识 “{key}” 重复,已在 {first.file}:{first.line} 定义。",
                "标识在政策包中必须唯一;请改名或删除其中一个。"))
            return False
        seen[(kind, key)] = loc
        return True

    # Parameters first: decision-table bounds resolve against them.
    order = {kind: i for i, kind in enumerate(_BUILDERS)}
    for doc in sorted(result.documents, key=lambda d: (order[d.kind], d.file)):
        model.files_by_kind.setdefault(doc.kind, []).append(doc.file)
        model.documents[doc.file] = doc
        if not doc.valid:
            continue
        b = _Builder(doc, diags)
        _BUILDERS[doc.kind](model, b, doc.data, register)
    return model, diags


Register = Any  # Callable[[str, str, Loc, str], bool]


def _build_pack(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    definition = d.get("definition") or {}
    model.meta = PackMeta(
        id=d["id"], title=d["title"], title_en=d.get("title_en", ""), owner=d["owner"],
        version=d["version"], effective_date=dt.date.fromisoformat(d["effective_date"]),
        summary=d.get("summary", ""), audience=_t(d.get("audience")),
        sources=build_sources(d.get("sources"), b.doc.at, b.doc.attachments),
        governing_documents=tuple(
            GoverningDocument(g["id"], g["title"], g["binding"], g.get("issuer", ""),
                              b.provenance(g, prov), b.loc(f"/governing_documents/{i}"))
            for i, g in enumerate(d.get("governing_documents", []))),
        definition=definition.get("text", ""),
        definition_provenance=b.provenance(definition, prov) if definition else None,
        principles=tuple(
            Principle(p["id"], p["title"], p["summary"], p.get("description", ""),
                      p.get("title_en", ""), b.provenance(p, prov), b.loc(f"/principles/{i}"))
            for i, p in enumerate(d.get("principles", []))),
        stages=tuple(
            Stage(s["id"], i + 1, s["title"], s.get("title_en", ""), s.get("tagline", ""),
                  b.provenance(s, prov), b.loc(f"/stages/{i}"))
            for i, s in enumerate(d.get("stages", []))),
        provenance=prov, loc=b.loc(""), example=bool(d.get("example", False)),
    )
    for s in model.meta.stages:
        register("stage", s.id, s.loc, "命名环节")


def _build_roles(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    for i, p in enumerate(d["permissions"]):
        loc = b.loc(f"/permissions/{i}")
        if register("permission", p["id"], loc, "权限"):
            model.permissions[p["id"]] = Permission(
                p["id"], p["title"], p.get("description", ""), _t(p.get("rules")),
                b.provenance(p, prov), loc)
    for i, r in enumerate(d["roles"]):
        loc = b.loc(f"/roles/{i}")
        if register("role", r["id"], loc, "岗位"):
            model.roles[r["id"]] = Role(
                r["id"], r["name"], r["name_en"], r["type"], r.get("part_of", ""),
                r.get("description", ""), _t(r.get("permissions")), b.provenance(r, prov), loc)


def _build_parameters(model: Model, b: _Builder, d: Mapping[str, Any],
                      register: Register) -> None:
    prov = b.provenance(d, None)
    for i, p in enumerate(d["parameters"]):
        loc = b.loc(f"/parameters/{i}")
        if register("parameter", p["id"], loc, "参数"):
            model.parameters[p["id"]] = Parameter(
                p["id"], p["title"], p["value"], p["unit"], loc, b.provenance(p, prov),
                p.get("title_en", ""), p.get("comparison", ""), p.get("description", ""),
                _t(p.get("rules")))


def _waypoint(b: _Builder, w: Mapping[str, Any], pointer: str) -> Waypoint:
    if "any_of" in w:
        return Waypoint(b.loc(pointer), any_of=tuple(
            _waypoint(b, x, f"{pointer}/any_of/{j}") for j, x in enumerate(w["any_of"])))
    return Waypoint(b.loc(pointer), step=w.get("step", ""), outcome=w.get("outcome", ""),
                    stage=w.get("stage", ""))


def _build_rules(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    for i, r in enumerate(d["rules"]):
        ptr = f"/rules/{i}"
        loc = b.loc(ptr)
        constraints = tuple(
            Constraint(c["flow"], _t(c["to"]), tuple(
                _waypoint(b, w, f"{ptr}/constraints/{j}/in_order/{k}")
                for k, w in enumerate(c["in_order"])), b.loc(f"{ptr}/constraints/{j}"))
            for j, c in enumerate(r.get("constraints", [])))
        if register("rule", r["id"], loc, "规则"):
            model.rules[r["id"]] = Rule(
                r["id"], r["title"], r["text"], r["category"], b.provenance(r, prov), loc,
                r.get("title_en", ""), _t(r.get("parameters")), constraints)


def _io(b: _Builder, items: Any, pointer: str) -> tuple[IO, ...]:
    out = []
    for i, item in enumerate(items or ()):
        (kind, value), = item.items()
        out.append(IO(kind, value, b.loc(f"{pointer}/{i}/{kind}")))
    return tuple(out)


def _build_flow(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    flow_loc = b.loc("")
    steps = []
    for i, s in enumerate(d["steps"]):
        ptr = f"/steps/{i}"
        loc = b.loc(ptr)
        step = Step(
            id=s["id"], flow=d["id"], type=s["type"], title=s["title"],
            provenance=b.provenance(s, prov), loc=loc, title_en=s.get("title_en", ""),
            stage=s.get("stage", ""), actor=s.get("actor", ""),
            permission=s.get("permission", ""), purpose=s.get("purpose", ""),
            actions=_t(s.get("actions")), inputs=_io(b, s.get("inputs"), f"{ptr}/inputs"),
            outputs=_io(b, s.get("outputs"), f"{ptr}/outputs"), rules=_t(s.get("rules")),
            decision_table=s.get("decision_table", ""), questionnaire=s.get("questionnaire", ""),
            question=s.get("question", ""),
            outcomes=tuple(Outcome(o["id"], o["title"], o["next"], b.loc(f"{ptr}/outcomes/{j}"))
                           for j, o in enumerate(s.get("outcomes", []))),
            next=s.get("next", ""), result=s.get("result", ""),
            continues_in=s.get("continues_in", ""),
        )
        if register("step", step.id, loc, "环节"):
            steps.append(step)
            model.steps[step.id] = step
    if register("flow", d["id"], flow_loc, "流程"):
        model.flows[d["id"]] = Flow(
            d["id"], d["title"], d.get("title_en", ""), d.get("order", 0), _t(d["actors"]),
            d.get("summary", ""), tuple(steps),
            tuple(Loop(lp["from"], lp["to"], lp["reason"], b.loc(f"/loops/{j}"))
                  for j, lp in enumerate(d.get("loops", []))),
            prov, flow_loc)
        model.flows = dict(sorted(model.flows.items(), key=lambda kv: (kv[1].order, kv[0])))


def _values(items: Any) -> tuple[EnumValue, ...]:
    return tuple(EnumValue(v["id"], v["title"]) for v in items or ())


def _bound(raw: Any, model: Model) -> Bound:
    if isinstance(raw, str):
        param = model.parameters.get(raw)
        return Bound(float(param.value) if param else float("nan"), parameter=raw)
    return Bound(float(raw))


def _condition(b: _Builder, raw: Any, pointer: str, model: Model) -> Condition:
    loc = b.loc(pointer)
    if isinstance(raw, list):
        return EnumSet(tuple(raw), loc)
    low = raw.get("gte", raw.get("gt"))
    high = raw.get("lte", raw.get("lt"))
    return Interval(
        _bound(low, model) if low is not None else None, "gte" in raw,
        _bound(high, model) if high is not None else None, "lte" in raw, loc)


def _build_decision_table(model: Model, b: _Builder, d: Mapping[str, Any],
                          register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if not register("decision_table", d["id"], loc, "决策表"):
        return
    model.decision_tables[d["id"]] = DecisionTable(
        d["id"], d["title"], d.get("title_en", ""), d.get("summary", ""), d["hit_policy"],
        tuple(DecisionInput(x["id"], x["title"], x["type"], x.get("unit", ""),
                            x.get("minimum"), x.get("maximum"), _values(x.get("values")),
                            b.loc(f"/inputs/{i}")) for i, x in enumerate(d["inputs"])),
        tuple(DecisionOutput(x["id"], x["title"], _values(x["values"]), b.loc(f"/outputs/{i}"))
              for i, x in enumerate(d["outputs"])),
        tuple(Row(r["id"],
                  {k: _condition(b, v, join_pointer(f"/rows/{i}/when", k), model)
                   for k, v in r["when"].items()},
                  dict(r["then"]), r.get("note", ""), _t(r.get("rules")),
                  b.provenance(r, prov), b.loc(f"/rows/{i}"))
              for i, r in enumerate(d["rows"])),
        _t(d.get("rules")), prov, loc)


def _build_questionnaire(model: Model, b: _Builder, d: Mapping[str, Any],
                         register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if not register("questionnaire", d["id"], loc, "问卷"):
        return
    model.questionnaires[d["id"]] = Questionnaire(
        d["id"], d["title"], d.get("title_en", ""), d.get("summary", ""),
        d.get("instructions", ""), _t(d.get("rules")), d.get("validity", ""),
        tuple(Question(q["id"], q["text"], q.get("topic", ""),
                       tuple(Answer(a["id"], a["text"], a["score"],
                                    b.loc(f"/questions/{i}/answers/{j}"))
                             for j, a in enumerate(q["answers"])), b.loc(f"/questions/{i}"))
              for i, q in enumerate(d["questions"])),
        tuple(Level(lv["id"], lv["title"], lv.get("title_en", ""), lv["min_score"],
                    lv["max_score"], lv.get("description", ""), lv.get("max_product_risk", ""),
                    b.loc(f"/levels/{i}")) for i, lv in enumerate(d["levels"])),
        prov, loc)


def _build_form(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if not register("form", d["id"], loc, "表单"):
        return
    sections = []
    field_ids: set[str] = set()
    for i, s in enumerate(d["sections"]):
        fields = []
        for j, f in enumerate(s["fields"]):
            ptr = f"/sections/{i}/fields/{j}"
            floc = b.loc(ptr)
            if f["id"] in field_ids:
                diags = b.diagnostics
                diags.append(floc.diagnostic(
                    "ref.duplicate-id", f"表单字段标识 “{f['id']}” 在本表单中重复。",
                    "字段标识同时是可填写 PDF 的字段名,在表单内必须唯一。"))
                continue
            field_ids.add(f["id"])
            fields.append(FormField(
                f["id"], d["id"], f["label"], f["type"], f["required"], f["filled_at"],
                b.provenance(f, prov), floc, f.get("label_en", ""),
                tuple(FieldOption(o["id"], o["label"]) for o in f.get("options", [])),
                f.get("unit", ""), f.get("hint", ""), f.get("lines", 1), _t(f.get("rules"))))
        sections.append(FormSection(s["id"], s["title"], s.get("note", ""), tuple(fields),
                                    b.loc(f"/sections/{i}")))
    model.forms[d["id"]] = Form(
        d["id"], d["code"], d["title"], d.get("title_en", ""), d["purpose"],
        d.get("questionnaire", ""), _t(d.get("rules")), tuple(sections), prov, loc)


def _build_checklist(model: Model, b: _Builder, d: Mapping[str, Any],
                     register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if not register("checklist", d["id"], loc, "清单"):
        return
    items = []
    for i, it in enumerate(d.get("items", [])):
        iloc = b.loc(f"/items/{i}")
        if register("checklist_item", it["id"], iloc, "检查项"):
            items.append(ChecklistItem(it["id"], d["id"], it["text"], it["step"],
                                       it.get("role", ""), _t(it.get("rules")),
                                       b.provenance(it, prov), iloc))
    model.checklists[d["id"]] = Checklist(
        d["id"], d["code"], d["title"], d.get("title_en", ""), d.get("summary", ""),
        d.get("flow", ""), (d.get("collect") or {}).get("role", ""), tuple(items), prov, loc)


def _build_script(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if register("script", d["id"], loc, "话术"):
        model.scripts[d["id"]] = Script(
            d["id"], d["title"], d["step"], d["opening"], _t(d["key_messages"]),
            tuple(Objection(o["id"], o["objection"], o["answer"], b.loc(f"/objections/{i}"))
                  for i, o in enumerate(d["objections"])),
            d["closing"], _t(d["never_say"]), prov, loc)


def _build_glossary(model: Model, b: _Builder, d: Mapping[str, Any],
                    register: Register) -> None:
    prov = b.provenance(d, None)
    for i, t in enumerate(d["terms"]):
        loc = b.loc(f"/terms/{i}")
        if register("term", t["id"], loc, "术语"):
            model.terms[t["id"]] = Term(t["id"], t["term"], t["en"], t["definition"],
                                        _t(t.get("aliases")), b.provenance(t, prov), loc)


def _topics(b: _Builder, items: Any, pointer: str, prov: Provenance) -> tuple[Topic, ...]:
    return tuple(
        Topic(x["id"], x["title"], x.get("description", ""), b.provenance(x, prov),
              b.loc(f"{pointer}/{i}"), x.get("signal", ""), x.get("criterion", ""),
              x.get("action", ""), _t(x.get("parameters")))
        for i, x in enumerate(items or ()))


def _build_target_clients(model: Model, b: _Builder, d: Mapping[str, Any],
                          register: Register) -> None:
    prov = b.provenance(d, None)
    std = d["standard"]
    model.target_clients = TargetClients(
        d["id"], d["title"], std["text"], _t(std.get("rules")), b.provenance(std, prov),
        _topics(b, d["sources"], "/sources", prov), _topics(b, d["mining"], "/mining", prov),
        _topics(b, d["development"], "/development", prov), prov, b.loc(""))


def _build_cases(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    for i, c in enumerate(d["cases"]):
        loc = b.loc(f"/cases/{i}")
        kind: Literal["decision", "questionnaire", "flow"]
        if "decision" in c:
            kind, target, given = "decision", c["decision"], c["input"]
        elif "questionnaire" in c:
            kind, target, given = "questionnaire", c["questionnaire"], c["answers"]
        else:
            kind, target, given = "flow", c["flow"], c["choices"]
        resolved, relative, shown = (_case_inputs(given, model) if kind == "decision"
                                     else (given, {}, {}))
        if register("case", c["id"], loc, "案例"):
            model.cases[c["id"]] = Case(c["id"], c["title"], kind, target, _t(c["rules"]),
                                        resolved, dict(c["expect"]), d["id"], prov, loc,
                                        relative, shown, dict(given))


def _case_inputs(given: Mapping[str, Any], model: Model
                 ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """``{param: p, times: t, offset: o}`` → value of p × t + o (NaN for an unknown p,
    which the reference check reports), the parameter it follows, and how it reads."""
    resolved: dict[str, Any] = {}
    relative: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name, value in given.items():
        if not isinstance(value, dict):
            resolved[name] = value
            continue
        param = model.parameters.get(value["param"])
        base = float(param.value) if param else float("nan")
        times, offset = value.get("times", 1), value.get("offset", 0)
        number = base * times + offset
        resolved[name] = int(number) if number.is_integer() else number
        relative[name] = value["param"]
        text = param.display if param else value["param"]
        if times != 1:
            text = f"{times:g} × {text}"
        if offset:
            text += f" {'−' if offset < 0 else '+'} {abs(offset):g}"
        shown[name] = text
    return resolved, relative, shown


_BUILDERS = {
    "pack": _build_pack,
    "parameters": _build_parameters,
    "roles": _build_roles,
    "rules": _build_rules,
    "flow": _build_flow,
    "decision_table": _build_decision_table,
    "questionnaire": _build_questionnaire,
    "form": _build_form,
    "checklist": _build_checklist,
    "script": _build_script,
    "glossary": _build_glossary,
    "target_clients": _build_target_clients,
    "cases": _build_cases,
}
