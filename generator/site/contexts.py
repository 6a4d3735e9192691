"""Typed template contexts: what each page template may use, declared in Python.

Each context names its template. :func:`generator.site.render.render` passes the
context's fields, and nothing else, to the template; Jinja's StrictUndefined turns
any other name into an error. Strings are escaped on output unless they are
:class:`~generator.site.markup.Markup` built by :mod:`generator.site.links`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from generator.model import (
    Case,
    Checklist,
    ChecklistItem,
    DecisionTable,
    Flow,
    Form,
    FormField,
    GoverningDocument,
    Outcome,
    PackMeta,
    Parameter,
    Permission,
    Provenance,
    Questionnaire,
    Role,
    Rule,
    Script,
    Stage,
    Step,
    TargetClients,
    Term,
)
from generator.site.language import KindDoc, SharedType
from generator.site.links import Links
from generator.site.markup import Markup
from generator.site.review import Decision
from generator.model.sources import Source
from generator.trace import TraceRow


@dataclass(frozen=True, kw_only=True)
class PageContext:
    TEMPLATE: ClassVar[str]
    here: str
    """The page's Markdown path inside the site."""
    title: str
    links: Links
    text: Callable[[str], str]
    """Policy text with ``{{ parameter }}`` references replaced by values and units."""
    badge: Callable[[Provenance], Markup]


# --- home, overview, flows and steps -----------------------------------------------


@dataclass(frozen=True, slots=True)
class RoleStart:
    """Where a role starts reading: the steps it performs and its checklists."""

    role: Role
    steps: list[Step]
    checklists: list[Checklist]


@dataclass(frozen=True, slots=True)
class StageStep:
    stage: Stage
    steps: list[Step]


@dataclass(frozen=True, kw_only=True)
class HomePage(PageContext):
    TEMPLATE = "home.md.j2"
    meta: PackMeta
    governing: list[GoverningDocument]
    starts: list[RoleStart]
    stages: list[StageStep]
    flows: list[Flow]
    counts: dict[str, int]
    drafted: str
    """The drafted-content sentence (:func:`generator.site.review.counts_sentence`)."""
    sources: list[Source]
    samples: tuple[Markup, Markup]
    """A sourced and a drafted badge, to explain them."""


@dataclass(frozen=True, slots=True)
class FlowDiagram:
    flow: Flow
    diagram: Markup
    actors: list[Role]
    """The roles that perform its steps (:attr:`Flow.performers`)."""
    declared: list[Role]
    """The flow's ``actors``, as the source names them, when they differ."""
    declared_provenance: Provenance


@dataclass(frozen=True, kw_only=True)
class OverviewPage(PageContext):
    TEMPLATE = "overview.md.j2"
    meta: PackMeta | None
    stages: list[StageStep]
    diagrams: list[FlowDiagram]
    legend: tuple[tuple[str, str], ...]
    """What the diagrams' shapes mean (:data:`generator.site.mermaid.LEGEND`)."""


@dataclass(frozen=True, kw_only=True)
class FlowPage(PageContext):
    TEMPLATE = "flow.md.j2"
    flow: Flow
    diagram: Markup
    actors: list[Role]
    declared: list[Role]
    declared_provenance: Provenance
    numbers: dict[str, int]
    """The step numbers (:meth:`Flow.numbers`: the same on paper)."""
    terminals: list[Step]
    checklists: list[Checklist]
    previous: list[Flow]
    """Flows whose end continues in this one."""


@dataclass(frozen=True, slots=True)
class Link:
    """A neighbour in the flow: the step and the outcome that leads there (if any)."""

    step: Step
    outcome: Outcome | None


@dataclass(frozen=True, kw_only=True)
class StepPage(PageContext):
    TEMPLATE = "step.md.j2"
    step: Step
    flow: Flow
    number: int
    """The step's number in its flow (:meth:`Flow.numbers`)."""
    actor: Role | None
    permission: Permission | None
    rules: list[Rule]
    before: list[Link]
    after: list[Link]
    decision_table: DecisionTable | None
    long_rule: int
    """Rules whose text is longer than this show their title, the full text expandable."""
    questionnaire: Questionnaire | None
    overrides: list[OverrideView]
    """The questionnaire's overrides, shown with its band table (the desk scores here)."""
    items: list[ChecklistItem]
    scripts: list[Script]
    fields: list[FormField]
    conditions: dict[str, str]
    """``form/field`` → the condition of a conditionally required field, in words."""
    forms: list[Form]


@dataclass(frozen=True, slots=True)
class StepScripts:
    step: Step
    scripts: list[Script]


@dataclass(frozen=True, slots=True)
class FlowScripts:
    flow: Flow
    steps: list[StepScripts]


@dataclass(frozen=True, kw_only=True)
class ScriptsPage(PageContext):
    TEMPLATE = "scripts.md.j2"
    groups: list[FlowScripts]
    """Flow by flow, step by step: the steps that have scripts."""
    count: int
    never_say: list[tuple[str, Script]]
    """Every never-say line with its script, for training."""


# --- rules, roles, decisions ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleView:
    rule: Rule
    trace: TraceRow
    """What implements and tests the rule (:func:`generator.trace.build_matrix`)."""
    parameters: list[Parameter]
    constraints: list[Markup]
    """Its path constraints in words (:func:`generator.site.wording.constraint`)."""


@dataclass(frozen=True, slots=True)
class RuleGroup:
    label: str
    rules: list[RuleView]
    description: str = ""
    """The category's description from rules.yaml (may be empty)."""


@dataclass(frozen=True, kw_only=True)
class RulesPage(PageContext):
    TEMPLATE = "rules.md.j2"
    groups: list[RuleGroup]
    parameters: list[Parameter]


@dataclass(frozen=True, slots=True)
class RoleView:
    role: Role
    parent: Role | None
    permissions: list[Permission]
    steps: list[Step]
    checklists: list[Checklist]


@dataclass(frozen=True, kw_only=True)
class RolesPage(PageContext):
    TEMPLATE = "roles.md.j2"
    roles: list[RoleView]
    permissions: list[Permission]


@dataclass(frozen=True, slots=True)
class RowView:
    row_id: str
    when: list[str]
    then: list[str]
    note: str
    rules: tuple[str, ...]
    provenance: Provenance


@dataclass(frozen=True, kw_only=True)
class DecisionPage(PageContext):
    TEMPLATE = "decision.md.j2"
    table: DecisionTable
    rows: list[RowView]
    steps: list[Step]
    cases: list[Case]
    inputs: Callable[[Case], list[str]]
    """A case's inputs in words (:func:`generator.site.wording.decision_inputs`)."""
    outputs: Callable[[Case], list[str]]
    """What a case expects, in words."""
    tool: Markup
    """The in-browser check (:mod:`generator.site.tools`)."""


@dataclass(frozen=True, slots=True)
class OverrideView:
    """One override as the page shows it: its condition in the questions' own words."""

    override_id: str
    title: str
    when: list[str]
    """One line per question: ``第 8 题「…」选 A「…」``."""
    effect: str
    """``至多为 C1 保守型`` or ``定为 C1 保守型``."""
    description: str
    rules: tuple[str, ...]
    provenance: Provenance
    cases: list[Case]
    """The cases whose answers trigger it."""


@dataclass(frozen=True, kw_only=True)
class QuestionnairePage(PageContext):
    TEMPLATE = "questionnaire.md.j2"
    questionnaire: Questionnaire
    validity: Parameter | None
    steps: list[Step]
    forms: list[Form]
    cases: list[Case]
    expectations: dict[str, list[Markup]]
    """What each case expects, in words (:func:`generator.site.wording.expectation`)."""
    overrides: list[OverrideView]
    tool: Markup
    """The in-browser scoring (:mod:`generator.site.tools`)."""


# --- forms and checklists ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormSummary:
    form: Form
    steps: list[Step]


@dataclass(frozen=True, kw_only=True)
class FormsIndexPage(PageContext):
    TEMPLATE = "forms_index.md.j2"
    forms: list[FormSummary]


@dataclass(frozen=True, kw_only=True)
class FormPage(PageContext):
    TEMPLATE = "form.md.j2"
    form: Form
    steps: list[Step]
    """Steps that use or produce the form."""
    questionnaire: Questionnaire | None


@dataclass(frozen=True, slots=True)
class ItemView:
    item: ChecklistItem
    step: Step | None
    role: Role | None


@dataclass(frozen=True, kw_only=True)
class ChecklistsIndexPage(PageContext):
    TEMPLATE = "checklists_index.md.j2"
    checklists: list[Checklist]
    counts: dict[str, int]


@dataclass(frozen=True, kw_only=True)
class ChecklistPage(PageContext):
    TEMPLATE = "checklist.md.j2"
    checklist: Checklist
    items: list[ItemView]
    role: Role | None
    flow: Flow | None


# --- target clients, glossary, traceability, review -----------------------------------


@dataclass(frozen=True, kw_only=True)
class TargetClientsPage(PageContext):
    TEMPLATE = "target_clients.md.j2"
    target: TargetClients | None
    parameters: list[Parameter]


@dataclass(frozen=True, kw_only=True)
class GlossaryPage(PageContext):
    TEMPLATE = "glossary.md.j2"
    terms: list[Term]
    """In pinyin order (:mod:`generator.site.collation`)."""
    letters: list[tuple[str, list[Term]]] = field(default_factory=list)
    """The terms under their index letters (A–Z, then #)."""


@dataclass(frozen=True, kw_only=True)
class TracePage(PageContext):
    TEMPLATE = "trace.md.j2"
    rules: list[RuleView]
    cases: list[Case]
    case_targets: dict[str, Markup]
    expectations: dict[str, list[Markup]]
    """What each case expects, in words (:func:`generator.site.wording.expectation`)."""


@dataclass(frozen=True, kw_only=True)
class ReviewPage(PageContext):
    TEMPLATE = "review.md.j2"
    sections: list[tuple[str, list[Decision]]]
    """The drafted content as decisions (:mod:`generator.site.review`), under the label
    of the kind that states each."""
    total: int
    sourced: int
    counts: str
    """The count sentence the home page prints too."""
    sources: list[Source]
    """The pack's sources: their notes say what the source lost (why content is drafted)."""


# --- the policy language (from the schemas) --------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LanguageIndexPage(PageContext):
    TEMPLATE = "language_index.md.j2"
    kinds: list[KindDoc]
    shared: list[SharedType]
    type_titles: dict[str, str]
    """Shared definition name → its Chinese title, for links to it."""


@dataclass(frozen=True, kw_only=True)
class LanguagePage(PageContext):
    TEMPLATE = "language.md.j2"
    doc: KindDoc
    type_titles: dict[str, str]
    """Shared definition name → its Chinese title, for the type column's links."""
