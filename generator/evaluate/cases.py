"""The shipped test cases through the evaluation engine: what the handbook's case
walkthroughs show and what ``check`` verifies are one computation.

:func:`run_case` evaluates a case with :func:`evaluate_decision`,
:func:`evaluate_questionnaire` or :func:`walk_flow` and judges the result against the
case's ``expect``; ``check``'s case checks (``generator/checks/cases.py``) only turn a
:class:`CaseRun` into a diagnostic at the field it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.evaluate.engine import (
    EvaluationError,
    Facts,
    evaluate_decision,
    evaluate_questionnaire,
    suggest,
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
    """Why the case fails or cannot run; ``""`` when it passes."""
    field: tuple[str | int, ...] = ()
    """Where in the case the problem shows (e.g. ``("expect", "end")``)."""
    hint: str = ""
    invalid: bool = False
    """The case itself cannot run (an unknown input, answer, …), as opposed to failing.
    With no ``problem``, another check reports why (``ref.*``, a domain)."""

    @property
    def passed(self) -> bool:
        return not self.problem and not self.invalid

    @property
    def visited(self) -> list[str]:
        """For a flow case, the steps the walk went through."""
        return self.result.path if isinstance(self.result, FlowWalk) else []


def case_facts(case: Case) -> Facts:
    """A flow case's choices as the facts of a walk."""
    return Facts(choices={k: str(v) for k, v in case.given.items()})


def run_case(model: Model, case: Case) -> CaseRun:
    """Evaluate the case and judge the result against what it expects."""
    if case.kind == "decision":
        return _decision(model, case)
    if case.kind == "questionnaire":
        return _questionnaire(model, case)
    return _flow(model, case)


def _silent(case: Case) -> CaseRun:
    """The case cannot run for a reason another check reports."""
    return CaseRun(case, None, invalid=True)


# --- decision cases -----------------------------------------------------------------


def _decision(model: Model, case: Case) -> CaseRun:
    table = model.decision_tables.get(case.target)
    if table is None:
        return CaseRun(case, None)  # ref.unknown-decision-table
    specs = {i.id: i for i in table.inputs}
    for name, value in case.given.items():
        spec = specs.get(name)
        if spec is not None and spec.type == "number" and isinstance(value, int | float) \
                and ((spec.minimum is not None and value < spec.minimum)
                     or (spec.maximum is not None and value > spec.maximum)):
            return _silent(case)  # case.input-out-of-domain
    try:
        result = evaluate_decision(model, table.id, case.given)
    except EvaluationError as exc:
        name = exc.where[-1] if exc.where else ""
        hint = exc.hint
        spec = specs.get(name)
        if spec is not None and spec.type == "enum":
            hint = suggest(str(case.given[name]), [v.id for v in spec.values]) + hint
        return CaseRun(case, None, exc.message, ("input", name), hint, invalid=True)
    for name in specs:
        if name not in case.given and any(name in r.when for r in table.rows):
            return CaseRun(case, result, f"案例没有给出输入 {name} 的值。", ("input",),
                           f"在 input 中写明 {name}。", invalid=True)
    if result.status == "no_match":
        return CaseRun(case, result, f"决策表 {table.id} 没有任何规则行匹配这组输入。",
                       ("input",), "决策表有遗漏(见 decision.gap),或案例的输入写错了。")
    if result.status != "decided":
        rows = "、".join(r.id for r in result.rows if r.matches)
        return CaseRun(case, result, f"这组输入同时匹配了 {rows} 几行。", ("input",),
                       "决策表有重叠(见 decision.overlap)。")
    row = result.row.id if result.row else ""
    for name, wanted in case.expect.items():
        got = result.row.outputs.get(name) if result.row else None
        if got != wanted:
            return CaseRun(case, result, f"预期 {name} 为 “{wanted}”,实际由第 {row} 行得出 "
                           f"“{got}”。", ("expect", name),
                           "改正决策表的规则行,或改正案例的预期。")
    return CaseRun(case, result)


# --- questionnaire cases ------------------------------------------------------------


def _questionnaire(model: Model, case: Case) -> CaseRun:
    if case.target not in model.questionnaires:
        return CaseRun(case, None)  # ref.unknown-questionnaire
    try:
        result = evaluate_questionnaire(model, case.target,
                                        {k: str(v) for k, v in case.given.items()})
    except EvaluationError as exc:
        qid = exc.where[-1] if exc.where else ""
        hint = exc.hint
        if exc.key:
            hint = suggest(qid, [q.id for q in model.questionnaires[case.target].questions]) \
                + "answers 的键是题目的 id。"
        return CaseRun(case, None, exc.message, ("answers", qid), hint, invalid=True)
    if result.missing:
        return CaseRun(case, result, f"案例没有回答题目 {'、'.join(result.missing)}。",
                       ("answers",), "问卷案例须回答每一道题。", invalid=True)
    got = result.level.id if result.level else "(无等级)"
    band = result.band.id if result.band else "(无等级)"
    applied = [o.id for o in result.overrides]
    how = f"总分 {result.score}(分数段 {band})" + (
        f",覆盖规则 {'、'.join(applied)} 作用后为 {got}" if applied else f",等级 {got}")
    expect = case.expect
    if "score" in expect and expect["score"] != result.score:
        return CaseRun(case, result, f"预期总分 {expect['score']},实际{how}。",
                       ("expect", "score"), "改正答案的分值,或改正案例的预期。")
    if "band" in expect and expect["band"] != band:
        return CaseRun(case, result, f"预期分数段 “{expect['band']}”,实际{how}。",
                       ("expect", "band"), "改正分数段,或改正案例的预期。")
    if "overrides" in expect and list(expect["overrides"]) != applied:
        wanted = "、".join(expect["overrides"]) or "(无)"
        return CaseRun(case, result, f"预期触发覆盖规则 {wanted},实际{how}"
                       + ("" if applied else ",没有触发覆盖规则") + "。",
                       ("expect", "overrides"),
                       "改正覆盖规则的 when,或改正案例的预期(按问卷中的顺序列出)。")
    if expect.get("level") != got:
        return CaseRun(case, result, f"预期等级 “{expect.get('level')}”,实际{how}。",
                       ("expect", "level"), "改正分数段或覆盖规则,或改正案例的预期。")
    return CaseRun(case, result)


# --- flow cases ---------------------------------------------------------------------


def _flow(model: Model, case: Case) -> CaseRun:
    flow = model.flows.get(case.target)
    if flow is None:
        return CaseRun(case, None)  # ref.unknown-flow
    # A choice for a step the flow does not decide at is never read (ref.unknown-step
    # reports one that names no step); one naming no outcome of its step makes the
    # case invalid where the walk reaches that step (ref.unknown-outcome reports it).
    outcomes = {s.id: {o.id for o in s.outcomes} for s in flow.steps if s.type == "decision"}
    choices = {k: v for k, v in case_facts(case).choices.items() if k in outcomes}
    bad = {k for k, v in choices.items() if v not in outcomes[k]}
    try:
        walk = walk_flow(model, flow.id, Facts(choices={k: v for k, v in choices.items()
                                                        if k not in bad}))
    except EvaluationError:
        return _silent(case)
    if walk.stop == "missing" and walk.steps and walk.steps[-1].id in bad:
        return CaseRun(case, walk, invalid=True)
    if walk.stop == "invalid":
        if not walk.steps:
            return CaseRun(case, walk)  # no single start: flow.single-start
        return CaseRun(case, walk, invalid=True)  # a next step that is not in the flow
    if walk.stop == "loop":
        return CaseRun(case, walk, walk.message.replace("按给出的选择", "按案例的选择"),
                       ("choices",), "为回路中的决策环节选择离开回路的结果。")
    if walk.stop == "missing":
        step = model.steps[walk.steps[-1].id]
        options = "、".join(o.id for o in step.outcomes)
        return CaseRun(case, walk,
                       f"流程走到决策环节 {step.id}({step.title}),案例没有为它选择结果。",
                       ("choices",), f"在 choices 中写 {step.id}: <结果>(可选:{options})。")
    path = " → ".join(walk.path)
    if case.expect.get("end") != walk.end:
        return CaseRun(case, walk, f"预期结束于 {case.expect.get('end')},实际结束于 "
                       f"{walk.end}。路径:{path}。", ("expect", "end"),
                       "改正流程的 next 或决策结果,或改正案例的预期。")
    for i, step_id in enumerate(case.expect.get("visits", ())):
        if step_id not in walk.path:
            return CaseRun(case, walk, f"预期途经 {step_id},实际路径没有经过它:{path}。",
                           ("expect", "visits", i), "改正流程或案例的预期。")
    return CaseRun(case, walk)
