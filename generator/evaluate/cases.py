"""The shipped test cases through the evaluation engine: what the handbook's case
walkthroughs show and what ``check`` verifies are one computation.

(``generator/checks/cases.py`` still runs its own loop today; on merging, its
``_run_decision``, ``_run_questionnaire`` and ``walk`` become calls to
:func:`run_case`. ``tests/test_evaluate.py`` pins that both agree on every shipped case.)
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.evaluate.engine import (
    EvaluationError,
    Facts,
    evaluate_decision,
    evaluate_questionnaire,
    walk_flow,
)
from generator.evaluate.results import DecisionResult, FlowWalk, QuestionnaireResult
from generator.model import Case, Model

Result = DecisionResult | QuestionnaireResult | FlowWalk


@dataclass(frozen=True, slots=True)
class CaseRun:
    case: Case
    result: Result | None
    """``None`` when the case cannot run (its error is in ``problem``)."""
    problem: str = ""
    """Why the case fails; ``""`` when it passes."""

    @property
    def passed(self) -> bool:
        return not self.problem


def case_facts(case: Case) -> Facts:
    """A flow case's choices as the facts of a walk."""
    return Facts(choices={k: str(v) for k, v in case.given.items()})


def run_case(model: Model, case: Case) -> CaseRun:
    try:
        if case.kind == "decision":
            return _decision(case, evaluate_decision(model, case.target, case.given))
        if case.kind == "questionnaire":
            return _questionnaire(case, evaluate_questionnaire(
                model, case.target, {k: str(v) for k, v in case.given.items()}))
        return _flow(case, walk_flow(model, case.target, case_facts(case)))
    except EvaluationError as exc:
        return CaseRun(case, None, exc.message)


def _decision(case: Case, result: DecisionResult) -> CaseRun:
    if not result.decided:
        return CaseRun(case, result, f"决策表没有得出结果({result.status})。")
    for name, wanted in case.expect.items():
        got = result.output(name)
        if got != wanted:
            return CaseRun(case, result, f"预期 {name} 为 “{wanted}”,实际由第 "
                           f"{result.row.id if result.row else ''} 行得出 “{got}”。")
    return CaseRun(case, result)


def _questionnaire(case: Case, result: QuestionnaireResult) -> CaseRun:
    if result.missing:
        return CaseRun(case, result, f"没有回答题目 {'、'.join(result.missing)}。")
    got = result.level.id if result.level else "(无等级)"
    if "score" in case.expect and case.expect["score"] != result.score:
        return CaseRun(case, result, f"预期总分 {case.expect['score']},实际 {result.score}。")
    if case.expect.get("level") != got:
        return CaseRun(case, result, f"预期等级 “{case.expect.get('level')}”,实际 {got}。")
    return CaseRun(case, result)


def _flow(case: Case, walk: FlowWalk) -> CaseRun:
    if walk.stop != "end":
        return CaseRun(case, walk, walk.message)
    path = " → ".join(walk.path)
    if case.expect.get("end") != walk.end:
        return CaseRun(case, walk, f"预期结束于 {case.expect.get('end')},实际结束于 "
                       f"{walk.end}。路径:{path}。")
    for step_id in case.expect.get("visits", ()):
        if step_id not in walk.path:
            return CaseRun(case, walk, f"预期途经 {step_id},实际路径没有经过它:{path}。")
    return CaseRun(case, walk)
