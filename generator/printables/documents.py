"""model → what each printed document shows: typed contexts for the templates.

Every text goes through ``model.text`` here, so a threshold changed in
parameters.yaml reaches every checklist, form and flow sheet. Templates only lay
out what these dataclasses hold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from generator.model import (
    Checklist,
    Flow,
    Form,
    FormField,
    Model,
    Override,
    Questionnaire,
    Step,
)
from generator.printables.flowchart import Frame, layout
from generator.printables.links import Links, StepLink

Kind = Literal["checklists", "forms", "flows"]

CHINESE_NUMERALS = "一二三四五六七八九十"
PAGE_BODY_MM = 297 - 22 - 18
FLOW_HEADER_FIELDS = ("机构", "日期", "业务编号")
ROLE_HEADER_FIELDS = ("机构", "日期", "执行人")
"""The header blanks of a checklist that declares none (``header_fields``)."""
"""A4 height less the top and bottom page margins of print.css."""


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
    letter: str
    text: str
    score: int


@dataclass(frozen=True, slots=True)
class QuestionView:
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


# --- building the contexts -----------------------------------------------------------------------


def timestamp(model: Model) -> str:
    """SOURCE_DATE_EPOCH if set (reproducible-builds convention), else the pack's
    effective date: the same policies always give the same PDF bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    else:
        day = model.meta.effective_date if model.meta else dt.date(2000, 1, 1)
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _numeral(index: int) -> str:
    return CHINESE_NUMERALS[index] if index < len(CHINESE_NUMERALS) else str(index + 1)


class Planner:
    """Builds the context of every printable of a model."""

    def __init__(self, model: Model, links: Links, frame: Frame | None = None) -> None:
        self.model = model
        self.links = links
        self.frame = frame or Frame()
        self.stamp = timestamp(model)

    def plan(self) -> list[Printable]:
        """Each kind's printables (:attr:`generator.kinds.registry.Kind.printables`)."""
        return [p for kind in self.model.kinds.values() if kind.printables is not None
                for p in kind.printables(self)]

    def checklists(self) -> Iterator[Printable]:
        for c in self.model.checklists.values():
            yield Printable("checklists", c.id, "checklist.html", self.checklist(c), False)

    def forms(self) -> Iterator[Printable]:
        for f in self.model.forms.values():
            yield Printable("forms", f.id, "form.html", self.form(f), True)

    def flows(self) -> Iterator[Printable]:
        for f in self.model.flows.values():
            yield Printable("flows", f.id, "flow.html", self.flow(f), False)

    # -- shared

    def header(self, kind_label: str, code: str, title: str, title_en: str,
               drafted: bool) -> Header:
        meta = self.model.meta
        return Header(
            kind_label, code, self.model.text(title), title_en,
            meta.title if meta else "", meta.owner if meta else "",
            meta.version if meta else "", meta.effective_date.isoformat() if meta else "",
            self.stamp, drafted, example=bool(meta and meta.example))

    def role_name(self, role_id: str) -> str:
        role = self.model.roles.get(role_id)
        return role.name if role else role_id

    def rule_refs(self, ids: tuple[str, ...]) -> tuple[RuleRef, ...]:
        rules = self.model.rules
        return tuple(RuleRef(r, self.model.text(rules[r].title) if r in rules else "")
                     for r in ids)

    def step_title(self, step_id: str) -> str:
        step = self.model.steps.get(step_id)
        return self.model.text(step.title) if step else step_id

    @staticmethod
    def numbers(flow: Flow) -> dict[str, int]:
        """Task and decision steps numbered in the flow's order (start/end unnumbered)."""
        working = [s for s in flow.steps if s.type in ("task", "decision")]
        return {s.id: i + 1 for i, s in enumerate(working)}

    # -- checklists

    def checklist(self, cl: Checklist) -> ChecklistDoc:
        m = self.model
        items = m.checklist_items(cl)
        flows: list[FlowGroup] = []
        counter = 0
        flow_ids = [cl.flow] if cl.flow else list(m.flows)
        for flow_id in flow_ids:
            flow = m.flows.get(flow_id)
            if flow is None:
                continue
            numbers = self.numbers(flow)
            groups: list[StepGroup] = []
            for step in flow.steps:
                mine = [i for i in items if i.step == step.id]
                if not mine:
                    continue
                views = []
                for item in mine:
                    counter += 1
                    views.append(CheckItem(counter, item.id, m.text(item.text),
                                           self.rule_refs(item.rules)))
                actors = dict.fromkeys(self.role_name(m.item_role(i)) for i in mine)
                groups.append(StepGroup(numbers.get(step.id, 0), m.text(step.title),
                                        "、".join(a for a in actors if a),
                                        self.links.step(step.id), tuple(views)))
            if groups:
                flows.append(FlowGroup(m.text(flow.title), tuple(groups)))
        # Items whose step is in no flow still print (the checks report the bad reference).
        placed = {v.id for f in flows for g in f.steps for v in g.items}
        stray = [i for i in items if i.id not in placed]
        if stray:
            views = []
            for item in stray:
                counter += 1
                views.append(CheckItem(counter, item.id, m.text(item.text),
                                       self.rule_refs(item.rules)))
            nowhere = StepLink("", Markup(""))
            flows.append(FlowGroup("其他", (StepGroup(0, "其他检查项", "", nowhere,
                                                      tuple(views)),)))
        fields = tuple(m.text(f) for f in cl.header_fields) or (
            FLOW_HEADER_FIELDS if cl.flow else ROLE_HEADER_FIELDS)
        return ChecklistDoc(
            self.header("检查清单", cl.code, cl.title, cl.title_en, cl.provenance.drafted),
            m.text(cl.summary), self.role_name(cl.collect_role) if cl.collect_role else "",
            tuple(flows), counter, fields)

    # -- forms

    def field(self, f: FormField) -> FieldView:
        m = self.model
        if f.type == "multi_choice":
            choices = tuple(Choice(f"{f.id}:{o.id}", "Yes", m.text(o.label)) for o in f.options)
        else:
            choices = tuple(Choice(f.id, o.id, m.text(o.label)) for o in f.options)
        option_text = sum(len(c.label) + 3 for c in choices)
        wide = (f.type in ("textarea", "multi_choice", "checkbox") or f.lines > 1
                or option_text > 16 or len(f.label) > 14)
        return FieldView(f.id, m.text(f.label), f.type, f.required, m.text(f.hint), f.unit,
                         max(f.lines, 3 if f.type == "textarea" else 1), choices, wide,
                         f.derived)

    def form(self, form: Form) -> FormDoc:
        m = self.model
        sections = []
        for k, s in enumerate(form.sections):
            rows: list[FieldRow] = []
            pending: list[FieldView] = []
            for f in s.fields:
                view = self.field(f)
                if view.wide:
                    if pending:
                        rows.append(FieldRow(tuple(pending)))
                        pending = []
                    rows.append(FieldRow((view,)))
                    continue
                pending.append(view)
                if len(pending) == 2:
                    rows.append(FieldRow(tuple(pending)))
                    pending = []
            if pending:
                rows.append(FieldRow(tuple(pending)))
            # The questionnaire's questions come after the first section and take a number.
            number = _numeral(k + 1 if form.questionnaire and k >= 1 else k)
            sections.append(SectionView(number, m.text(s.title), m.text(s.note), tuple(rows)))
        questionnaire = None
        if form.questionnaire and form.questionnaire in m.questionnaires:
            questionnaire = self.questionnaire(m.questionnaires[form.questionnaire])
        steps = tuple(dict.fromkeys(self.step_title(f.filled_at) for f in form.fields))
        return FormDoc(
            self.header("表单", form.code, form.title, form.title_en, form.provenance.drafted),
            m.text(form.purpose), tuple(sections), questionnaire, 1, _numeral(1), steps)

    def questionnaire(self, q: Questionnaire) -> QuestionnaireView:
        m = self.model
        letters = "ABCDEFGHIJ"
        width = max(len(x.answers) for x in q.questions)
        return QuestionnaireView(
            m.text(q.title), m.text(q.instructions),
            tuple(QuestionView(k + 1, m.text(x.text), m.text(x.topic), tuple(
                AnswerView(letters[j], m.text(a.text), a.score)
                for j, a in enumerate(x.answers))) for k, x in enumerate(q.questions)),
            tuple(LevelView(lv.id, m.text(lv.title), f"{lv.min_score}–{lv.max_score}",
                            m.text(lv.description), m.text(lv.allows)) for lv in q.levels),
            tuple(letters[:width]), q.min_score, q.max_score, m.text(q.result_title),
            m.text(q.allows_title) if q.allows else "",
            tuple(self.override_line(q, o, letters) for o in q.overrides))

    def override_line(self, q: Questionnaire, o: Override, letters: str) -> OverrideLine:
        numbers = {x.id: (k + 1, [a.id for a in x.answers]) for k, x in enumerate(q.questions)}
        parts = []
        for qid, chosen in o.when.items():
            n, ids = numbers.get(qid, (0, []))
            picked = "/".join(letters[ids.index(a)] if a in ids else a for a in chosen)
            parts.append(f"第{n}题选{picked}" if n else f"{qid} 选 {picked}")
        level = q.level(o.level)
        name = f"{o.level} {self.model.text(level.title)}" if level else o.level
        return OverrideLine(self.model.text(o.title), "且".join(parts),
                            ("至多为 " if o.effect == "cap" else "定为 ") + name)

    # -- flow sheets

    def flow(self, flow: Flow) -> FlowSheetDoc:
        m = self.model
        numbers = self.numbers(flow)
        # Page 1 holds the title band (~38 mm), the summary (9.5 pt, ~55 characters a
        # line, ~5 mm a line) and the two-line legend above the diagram.
        lines = -(-len(m.text(flow.summary)) // 55)
        first = min(self.frame.first_height, PAGE_BODY_MM - 38 - 5 * lines - 10 - 6)
        frame = dataclasses.replace(self.frame, first_height=first)
        diagram = layout(flow, self.role_name, m.text, numbers, frame)
        stages = {s.id: s for s in (m.meta.stages if m.meta else ())}
        rows = []
        for step in flow.steps:
            if step.type not in ("task", "decision"):
                continue
            stage = stages.get(step.stage)
            rows.append(StepRow(
                numbers[step.id], m.text(step.title),
                "决策点" if step.type == "decision" else "环节",
                self.role_name(step.actor) if step.actor else "",
                f"第{stage.order}步 {m.text(stage.title)}" if stage else "",
                m.text(step.purpose), m.text(step.question),
                tuple(m.text(a) for a in step.actions),
                tuple(self.form_title(f) for f in step.forms),
                self.rule_refs(step.rules),
                tuple(OutcomeView(m.text(o.title), self.target(o.next, numbers))
                      for o in step.outcomes),
                self.target(step.next, numbers) if step.next else "",
                self.links.step(step.id)))
        return FlowSheetDoc(
            self.header("流程图", self.flow_code(flow), flow.title, flow.title_en,
                        flow.provenance.drafted),
            m.text(flow.summary), tuple(self.role_name(a) for a in flow.performers),
            () if tuple(flow.actors) == flow.performers else
            tuple(self.role_name(a) for a in flow.actors),
            flow.provenance.based_on if flow.provenance.drafted else flow.provenance.citation,
            tuple(Markup(p.svg) for p in diagram.pages), tuple(rows))

    def flow_code(self, flow: Flow) -> str:
        """Flows carry no document code: ``<prefix>-P-<order>``, with the prefix the
        pack's forms and checklists use (MN-F-01 → MN-P-01); ``P-<order>`` without one."""
        codes = [f.code for f in self.model.forms.values()]
        codes += [c.code for c in self.model.checklists.values()]
        prefix = codes[0].split("-")[0] + "-" if codes else ""
        order = flow.order or list(self.model.flows).index(flow.id) + 1
        return f"{prefix}P-{order:02d}"

    def form_title(self, form_id: str) -> str:
        form = self.model.forms.get(form_id)
        return f"《{self.model.text(form.title)}》" if form else form_id

    def target(self, step_id: str, numbers: dict[str, int]) -> str:
        step: Step | None = self.model.steps.get(step_id)
        if step is None:
            return step_id
        number = numbers.get(step_id)
        title = self.model.text(step.title)
        return f"{number}. {title}" if number else title
