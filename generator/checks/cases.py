"""Run every test case in ``cases/``: decision tables are evaluated, questionnaires
evaluated (scored, then their overrides applied: :meth:`Questionnaire.evaluate`),
flows walked from their start following the chosen outcomes. A failing case
is an error at the case, saying what actually happened."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.checks import check
from generator.checks._common import at, per_model, suggest
from generator.diagnostics import Diagnostic, Severity
from generator.model import Case, Model


@dataclass(frozen=True, slots=True)
class Outcome:
    """What running a case did: ``None`` problem means it passed."""

    problem: str = ""
    field: tuple[str | int, ...] = ()
    """Where in the case the problem shows (e.g. ``("expect", "end")``)."""
    hint: str = ""
    invalid: bool = False
    """The case itself cannot run (unknown input, answer, …), as opposed to failing."""


PASSED = Outcome()


def run_case(model: Model, case: Case) -> tuple[Outcome, list[str]]:
    """What the case did, and for a flow case the steps it visited."""
    if case.kind == "decision":
        return _run_decision(model, case), []
    if case.kind == "questionnaire":
        return _run_questionnaire(model, case), []
    visited, outcome = walk(model, case)
    if outcome.problem or outcome.invalid or not visited:
        return outcome, visited
    return _judge_flow(case, visited), visited


@per_model
def results(model: Model) -> dict[str, tuple[Outcome, list[str]]]:
    """Every case run once; three checks report on the results."""
    return {case.id: run_case(model, case) for case in model.cases.values()}


def _run_decision(model: Model, case: Case) -> Outcome:
    table = model.decision_tables.get(case.target)
    if table is None:
        return PASSED  # ref.unknown-decision-table
    inputs = {i.id: i for i in table.inputs}
    for name, value in case.given.items():
        spec = inputs.get(name)
        if spec is None:
            return Outcome(f"决策表 {table.id} 没有输入 “{name}”。", ("input", name),
                           suggest(name, inputs) + f"输入有:{'、'.join(inputs)}。", True)
        if spec.type == "number" and not isinstance(value, int | float):
            return Outcome(f"输入 {name} 应为数字,实际是 “{value}”。", ("input", name),
                           "数字不要加引号,也不要写单位。", True)
        if spec.type == "enum" and value not in [v.id for v in spec.values]:
            allowed = [v.id for v in spec.values]
            return Outcome(f"“{value}” 不是输入 {name} 的取值。", ("input", name),
                           suggest(str(value), allowed) + f"取值有:{'、'.join(allowed)}。", True)
    for name in inputs:
        if name not in case.given and any(name in r.when for r in table.rows):
            return Outcome(f"案例没有给出输入 {name} 的值。", ("input",),
                           f"在 input 中写明 {name}。", True)
    rows = table.evaluate(case.given)
    if not rows:
        return Outcome(f"决策表 {table.id} 没有任何规则行匹配这组输入。", ("input",),
                       "决策表有遗漏(见 decision.gap),或案例的输入写错了。")
    if len(rows) > 1:
        return Outcome(f"这组输入同时匹配了 {'、'.join(r.id for r in rows)} 几行。", ("input",),
                       "决策表有重叠(见 decision.overlap)。")
    row = rows[0]
    for name, wanted in case.expect.items():
        got = row.then.get(name)
        if got != wanted:
            return Outcome(
                f"预期 {name} 为 “{wanted}”,实际由第 {row.id} 行得出 “{got}”。",
                ("expect", name), "改正决策表的规则行,或改正案例的预期。")
    return PASSED


def _run_questionnaire(model: Model, case: Case) -> Outcome:
    quiz = model.questionnaires.get(case.target)
    if quiz is None:
        return PASSED  # ref.unknown-questionnaire
    questions = {q.id: q for q in quiz.questions}
    for qid, answer in case.given.items():
        question = questions.get(qid)
        if question is None:
            return Outcome(f"问卷 {quiz.id} 没有题目 “{qid}”。", ("answers", qid),
                           suggest(qid, questions) + "answers 的键是题目的 id。", True)
        options = [a.id for a in question.answers]
        if answer not in options:
            return Outcome(f"题目 {qid} 没有答案 “{answer}”。", ("answers", qid),
                           f"可选答案:{'、'.join(options)}。", True)
    missing = [q for q in questions if q not in case.given]
    if missing:
        return Outcome(f"案例没有回答题目 {'、'.join(missing)}。", ("answers",),
                       "问卷案例须回答每一道题。", True)
    result = quiz.evaluate(case.given)
    score, got = result.score, result.level.id if result.level else "(无等级)"
    band = result.band.id if result.band else "(无等级)"
    applied = [o.id for o in result.applied]
    how = f"总分 {score}(分数段 {band})" + (
        f",覆盖规则 {'、'.join(applied)} 作用后为 {got}" if applied else f",等级 {got}")
    if "score" in case.expect and case.expect["score"] != score:
        return Outcome(f"预期总分 {case.expect['score']},实际{how}。",
                       ("expect", "score"), "改正答案的分值,或改正案例的预期。")
    if "band" in case.expect and case.expect["band"] != band:
        return Outcome(f"预期分数段 “{case.expect['band']}”,实际{how}。",
                       ("expect", "band"), "改正分数段,或改正案例的预期。")
    if "overrides" in case.expect and list(case.expect["overrides"]) != applied:
        wanted = "、".join(case.expect["overrides"]) or "(无)"
        return Outcome(f"预期触发覆盖规则 {wanted},实际{how}"
                       + ("" if applied else ",没有触发覆盖规则") + "。",
                       ("expect", "overrides"),
                       "改正覆盖规则的 when,或改正案例的预期(按问卷中的顺序列出)。")
    if case.expect.get("level") != got:
        return Outcome(f"预期等级 “{case.expect.get('level')}”,实际{how}。",
                       ("expect", "level"), "改正分数段或覆盖规则,或改正案例的预期。")
    return PASSED


def walk(model: Model, case: Case) -> tuple[list[str], Outcome]:
    """Follow the flow from its start with the case's choices; the steps visited."""
    flow = model.flows.get(case.target)
    if flow is None or len(flow.starts) != 1:
        return [], PASSED  # ref.unknown-flow / flow.single-start
    step = flow.starts[0]
    visited: list[str] = []
    while True:
        if step.id in visited:
            loop = " → ".join([*visited[visited.index(step.id):], step.id])
            return visited, Outcome(f"按案例的选择会在回路中无限循环:{loop}。", ("choices",),
                                    "为回路中的决策环节选择离开回路的结果。")
        visited.append(step.id)
        if step.type == "end":
            return visited, PASSED
        if step.type == "decision":
            choice = case.given.get(step.id)
            if choice is None:
                options = "、".join(o.id for o in step.outcomes)
                return visited, Outcome(
                    f"流程走到决策环节 {step.id}({step.title}),案例没有为它选择结果。",
                    ("choices",), f"在 choices 中写 {step.id}: <结果>(可选:{options})。")
            nxt = next((o.next for o in step.outcomes if o.id == choice), None)
            if nxt is None:
                return visited, Outcome("", invalid=True)  # ref.unknown-outcome reports it
        else:
            nxt = step.next
        target = model.steps.get(nxt)
        if target is None or target.flow != flow.id:
            return visited, Outcome("", invalid=True)  # ref.unknown-step reports it
        step = target


def _judge_flow(case: Case, visited: list[str]) -> Outcome:
    end = visited[-1]
    path = " → ".join(visited)
    if case.expect.get("end") != end:
        return Outcome(f"预期结束于 {case.expect.get('end')},实际结束于 {end}。路径:{path}。",
                       ("expect", "end"), "改正流程的 next 或决策结果,或改正案例的预期。")
    for i, step_id in enumerate(case.expect.get("visits", ())):
        if step_id not in visited:
            return Outcome(f"预期途经 {step_id},实际路径没有经过它:{path}。",
                           ("expect", "visits", i), "改正流程或案例的预期。")
    return PASSED


@check("case.failed", "cases/ 中的每个测试案例都通过。")
def failed(model: Model) -> Iterator[Diagnostic]:
    for case in model.cases.values():
        outcome, _visited = results(model)[case.id]
        if outcome.problem and not outcome.invalid:
            yield at(model, case.loc, *outcome.field).diagnostic(
                "case.failed", f"案例 {case.id}({case.title})未通过:{outcome.problem}",
                outcome.hint)


@check("case.invalid", "测试案例的输入、答案和选择都是被测对象中存在的。")
def invalid(model: Model) -> Iterator[Diagnostic]:
    for case in model.cases.values():
        outcome, _visited = results(model)[case.id]
        if outcome.problem and outcome.invalid:
            loc = at(model, case.loc, *outcome.field)
            yield loc.diagnostic("case.invalid", f"案例 {case.id} 无法执行:{outcome.problem}",
                                 outcome.hint)


@check("case.unused-choice", "流程案例的每个选择都在实际路径上用到。")
def unused_choice(model: Model) -> Iterator[Diagnostic]:
    for case in model.cases.values():
        outcome, visited = results(model)[case.id]
        if case.kind != "flow" or outcome.problem or outcome.invalid or not visited:
            continue
        for step_id in case.given:
            if step_id not in visited and step_id in model.steps:
                yield at(model, case.loc, "choices", step_id).diagnostic(
                    "case.unused-choice",
                    f"案例 {case.id} 为 {step_id} 选择了结果,但实际路径没有经过该环节。",
                    "删除这个选择,或检查前面的选择是否让流程走了别的分支。",
                    severity=Severity.WARNING)
