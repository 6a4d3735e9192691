"""Case walkthroughs (案例演练): every flow case as a training page. The case is
walked by :func:`generator.evaluate.walk_flow` (the engine ``check`` agrees with), so
the page shows exactly the path the test proves: the situation in words, the path
highlighted on the flow's diagram, and each decision with its rule and citation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.site.deferred import deferrable
from generator.evaluate import Citation, FlowWalk, WalkStep, case_facts, walk_flow
from generator.evaluate.report import cite
from generator.model import Case, Flow, Step
from generator.site.contexts import PageContext
from generator.site.markup import Markup
from generator.site.mermaid import figure

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


@dataclass(frozen=True, slots=True)
class DecisionView:
    """One decision on the path: what was asked, what was decided, and why."""

    walked: WalkStep
    step: Step
    how: str
    """How the outcome was reached, in words."""


@dataclass(frozen=True, kw_only=True)
class CasePage(PageContext):
    TEMPLATE = "case.md.j2"
    case: Case
    flow: Flow
    walk: FlowWalk
    diagram: Markup
    situation: list[str]
    """The case in words: each decision's question and its answer."""
    decisions: list[DecisionView]
    cite: Callable[[Citation], str]
    """:func:`generator.evaluate.report.cite`: a citation in words."""


_HOW = {"table": "由决策表判定", "questionnaire": "由问卷结果判定", "choice": "按实际情况判断"}


@deferrable
def case_page(site: SiteBuilder, case: Case) -> GeneratedPage:
    model = site.model
    flow = model.flows[case.target]
    walk = walk_flow(model, flow.id, case_facts(case))
    base = site.base(f"cases/{case.id}.md", case.title)
    situation, decisions = [], []
    for walked in walk.steps:
        if walked.decision is None:
            continue
        step = model.steps[walked.id]
        question = model.text(step.question) or step.title
        situation.append(f"{question} —— {walked.decision.outcome_title}。")
        how = ("按决策表的规则" if walked.decision.explained_by
               else _HOW[walked.decision.by])
        decisions.append(DecisionView(walked, step, how))
    return site.page(CasePage(
        **base, case=case, flow=flow, walk=walk,
        diagram=figure(flow, model, base["links"], walk.path),
        situation=situation, decisions=decisions, cite=cite))


def case_pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    """A page per flow case whose flow exists."""
    for case in site.model.cases.values():
        if case.kind == "flow" and case.target in site.model.flows:
            yield case_page(site, case)
