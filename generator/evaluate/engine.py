"""The executable procedure: a decision table evaluated, a questionnaire scored, a
flow walked with the facts of a client's case. Each answer carries its trace.

The engine reads only the model (:mod:`generator.model`): no rule is written twice.
It assumes the pack passed ``check`` and validates only what it is given; a bad
input raises :class:`EvaluationError`, which says what is wrong in words.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.evaluate.citations import citation, rule_refs
from generator.evaluate.quiz import scored
from generator.evaluate.results import (
    AnswerScore,
    BoundView,
    ConditionCheck,
    DecisionResult,
    DecisionTaken,
    FlowWalk,
    FormUse,
    InputValue,
    LevelView,
    MissingFact,
    OutputValue,
    OverrideView,
    QuestionnaireResult,
    RowCheck,
    RuleRef,
    WalkStep,
)
from generator.model import (
    ChecklistItem,
    DecisionInput,
    DecisionTable,
    EnumSet,
    FormField,
    Interval,
    Level,
    Model,
    Questionnaire,
    Row,
    Step,
    format_quantity,
)

UNKNOWN = "facts.unknown-name"


class EvaluationError(ValueError):
    """The facts cannot be evaluated: an unknown input, a wrong value, …"""

    def __init__(self, message: str, hint: str = "", *, where: tuple[str, ...] = (),
                 check: str = "facts.wrong-value", key: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where
        """The fact at fault, e.g. ``("inputs", "approval")``."""
        self.check = check
        """A stable id: ``facts.unknown-name`` (the key names nothing) or
        ``facts.wrong-value``."""
        self.key = key
        """The problem is the key (a name), not its value."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known about a client's case."""

    inputs: Mapping[str, Any] = field(default_factory=dict)
    """Decision inputs by id (shared by every table of the flow)."""
    answers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Questionnaire id → question id → answer id."""
    choices: Mapping[str, str] = field(default_factory=dict)
    """Decision step id → outcome: people's calls."""


def suggest(name: str, candidates: Iterable[str]) -> str:
    """``是否应为 “x”?`` when a known name is close to ``name``."""
    found = difflib.get_close_matches(name, sorted(candidates), n=1)
    return f"是否应为 “{found[0]}”?" if found else ""


# --- decision tables --------------------------------------------------------------


def input_problem(spec: DecisionInput, value: Any) -> tuple[str, str] | None:
    """Why ``value`` cannot be the input (message, hint), or ``None``."""
    if spec.type == "number":
        if not isinstance(value, int | float) or isinstance(value, bool):
            return (f"输入 {spec.id}({spec.title})应为数字,实际是 “{value}”。",
                    "数字不要加引号,也不要写单位或千分位(例如 950000)。")
        if value != value:
            return f"输入 {spec.id} 不是一个数。", "写一个数字。"
        if spec.minimum is not None and value < spec.minimum:
            return (f"输入 {spec.id} 不能小于 {spec.minimum:g},实际是 {value:g}。",
                    "检查数值是否写错。")
        if spec.maximum is not None and value > spec.maximum:
            return (f"输入 {spec.id} 不能大于 {spec.maximum:g},实际是 {value:g}。",
                    "检查数值是否写错。")
        return None
    allowed = [v.id for v in spec.values]
    if not isinstance(value, str) or value not in allowed:
        titles = "、".join(f"{v.id}({v.title})" for v in spec.values)
        return f"“{value}” 不是输入 {spec.id}({spec.title})的取值。", f"取值有:{titles}。"
    return None


def show_value(spec: DecisionInput, value: Any) -> str:
    if value is None:
        return "(未给出)"
    if spec.type == "number":
        return format_quantity(value, spec.unit)
    return next((v.title for v in spec.values if v.id == value), str(value))


def _check(model: Model, spec: DecisionInput, cond: Interval | EnumSet,
           value: Any) -> ConditionCheck:
    given = value is not None
    if isinstance(cond, Interval):
        bounds: list[BoundView] = []
        written: list[str] = []
        for bound, op in ((cond.low, ">=" if cond.low_inclusive else ">"),
                          (cond.high, "<=" if cond.high_inclusive else "<")):
            if bound is None:
                continue
            param = model.parameters.get(bound.parameter) if bound.parameter else None
            shown = param.display if param else format_quantity(bound.value, spec.unit)
            bounds.append(BoundView(op, bound.value, bound.parameter, shown))  # type: ignore[arg-type]
            sign = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}[op]
            written.append(f"{sign} {bound.parameter} ({shown})" if bound.parameter
                           else f"{sign} {shown}")
        words = " 且 ".join(f"{w.split(' ', 1)[0]} {b.shown}" for w, b in zip(written, bounds,
                                                                          strict=True))
        holds = cond.contains(float(value)) if given else None
        return ConditionCheck(spec.id, spec.title, value, show_value(spec, value),
                              words or "任意", " 且 ".join(written) or "任意", holds,
                              bounds=tuple(bounds))
    titles = {v.id: v.title for v in spec.values}
    words = "、".join(titles.get(v, v) for v in cond.values)
    return ConditionCheck(spec.id, spec.title, value, show_value(spec, value),
                          f"属于:{words}", f"∈ {{{', '.join(cond.values)}}}",
                          cond.contains(str(value)) if given else None, values=cond.values)


def check_row(model: Model, table: DecisionTable, row: Row,
              inputs: Mapping[str, Any]) -> RowCheck:
    specs = {i.id: i for i in table.inputs}
    checks = tuple(_check(model, specs[name], cond, inputs.get(name))
                   for name, cond in row.when.items() if name in specs)
    return RowCheck(row.id, model.text(row.note), checks, dict(row.then))


def evaluate_decision(model: Model, table_id: str, inputs: Mapping[str, Any]
                      ) -> DecisionResult:
    """The table's verdict on ``inputs`` (input id → number or enumeration id). Inputs
    the deciding row does not read may be left out; if the table cannot decide without
    one, the result is ``missing`` and names it."""
    table = model.decision_tables.get(table_id)
    if table is None:
        raise EvaluationError(f"没有决策表 “{table_id}”。",
                              f"决策表有:{'、'.join(model.decision_tables) or '(无)'}。")
    specs = {i.id: i for i in table.inputs}
    for name, value in inputs.items():
        spec = specs.get(name)
        if spec is None:
            raise EvaluationError(f"决策表 {table.id} 没有输入 “{name}”。",
                                  f"输入有:{'、'.join(specs)}。", where=("inputs", name),
                                  check=UNKNOWN, key=True)
        problem = input_problem(spec, value)
        if problem is not None:
            raise EvaluationError(*problem, where=("inputs", name))
    rows = tuple(check_row(model, table, r, inputs) for r in table.rows)
    matching = [r for r in rows if r.matches]
    missing: tuple[str, ...] = ()
    if len(matching) == 1:
        status = "decided"
    elif matching:
        status = "overlap"
    else:
        open_rows = [r for r in rows if r.possible]
        needed = {c.input for r in open_rows for c in r.checks if c.holds is None}
        missing = tuple(i.id for i in table.inputs if i.id in needed)
        status = "missing" if missing else "no_match"
    shown = tuple(InputValue(i.id, i.title, inputs[i.id], show_value(i, inputs[i.id]))
                  for i in table.inputs if i.id in inputs)
    row = matching[0] if status == "decided" else None
    outputs: tuple[OutputValue, ...] = ()
    rules: tuple[RuleRef, ...] = ()
    row_citation = None
    if row is not None:
        model_row = next(r for r in table.rows if r.id == row.id)
        outputs = tuple(_output(table, o.id, row.outputs[o.id])
                        for o in table.outputs if o.id in row.outputs)
        rules = rule_refs(model, model_row.rules or table.rules)
        row_citation = citation(model, model_row.provenance)
    return DecisionResult(table.id, table.title, status, shown, row,  # type: ignore[arg-type]
                          outputs, rules, row_citation, rows, missing)


def _output(table: DecisionTable, output_id: str, value: str) -> OutputValue:
    out = next(o for o in table.outputs if o.id == output_id)
    title = next((v.title for v in out.values if v.id == value), value)
    return OutputValue(out.id, out.title, value, title)


# --- questionnaires ---------------------------------------------------------------


def _level(model: Model, level: Level | None) -> LevelView | None:
    if level is None:
        return None
    return LevelView(level.id, level.title, level.min_score, level.max_score,
                     model.text(level.description), model.text(level.allows))


def evaluate_questionnaire(model: Model, quiz_id: str, answers: Mapping[str, str]
                           ) -> QuestionnaireResult:
    """Score per question, total, band, overrides and level. Unanswered questions are
    named in ``missing`` (and there is then no total)."""
    quiz = model.questionnaires.get(quiz_id)
    if quiz is None:
        raise EvaluationError(f"没有问卷 “{quiz_id}”。",
                              f"问卷有:{'、'.join(model.questionnaires) or '(无)'}。")
    check_answers(quiz, answers)
    per_question = []
    for q in quiz.questions:
        chosen = answers.get(q.id)
        answer = next((a for a in q.answers if a.id == chosen), None)
        if answer is not None:
            per_question.append(AnswerScore(q.id, model.text(q.text), answer.id,
                                            model.text(answer.text), answer.score))
    missing = tuple(q.id for q in quiz.questions if q.id not in answers)
    result = QuestionnaireResult(
        quiz.id, quiz.title, quiz.result_title, quiz.allows_title, tuple(per_question),
        score=None, band=None, overrides=(), level=None, rules=rule_refs(model, quiz.rules),
        missing=missing)
    if missing:
        return result
    verdict = scored(quiz, answers)
    return replace(result, score=verdict.score, band=_level(model, verdict.band),
                   overrides=tuple(OverrideView(*o) for o in verdict.overrides),
                   level=_level(model, verdict.level))


def check_answers(quiz: Questionnaire, answers: Mapping[str, str]) -> None:
    """Raise the first of :func:`answer_problems`."""
    for problem in answer_problems(quiz, answers):
        raise problem


def answer_problems(quiz: Questionnaire, answers: Mapping[str, str]
                    ) -> Iterator[EvaluationError]:
    """Every answer that names no question, or an answer the question does not have."""
    questions = {q.id: q for q in quiz.questions}
    for qid, chosen in answers.items():
        question = questions.get(qid)
        if question is None:
            yield EvaluationError(f"问卷 {quiz.id} 没有题目 “{qid}”。",
                                  suggest(qid, questions) + f"题目有:{'、'.join(questions)}。",
                                  where=(qid,), check=UNKNOWN, key=True)
            continue
        options = [a.id for a in question.answers]
        if chosen not in options:
            yield EvaluationError(f"题目 {qid} 没有答案 “{chosen}”。",
                                  f"可选答案:{'、'.join(options)}。", where=(qid,))


# --- flows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _StepIndex:
    """Each step's checklist items and form fields: ``Model.items_for`` and
    ``fields_for`` scan the whole pack, which a walk on a large pack cannot afford."""

    items: dict[str, list[ChecklistItem]]
    fields: dict[str, list[FormField]]


_INDEXES: dict[int, tuple[Model, _StepIndex]] = {}


def step_index(model: Model) -> _StepIndex:
    """Each step's checklist items and form fields, built once per model."""
    found = _INDEXES.get(id(model))
    if found is not None and found[0] is model:
        return found[1]
    index = _StepIndex({}, {})
    for item in model.all_checklist_items():
        index.items.setdefault(item.step, []).append(item)
    for fld in model.all_fields():
        index.fields.setdefault(fld.filled_at, []).append(fld)
    if len(_INDEXES) >= 8:  # the models of a library; older ones are dropped
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[id(model)] = (model, index)
    return index


def _walk_step(model: Model, step: Step) -> WalkStep:
    role = model.roles.get(step.actor)
    index = step_index(model)
    fields: dict[str, list[str]] = {f: [] for f in step.forms}
    for fld in index.fields.get(step.id, ()):
        fields.setdefault(fld.form, []).append(fld.label)
    forms = tuple(FormUse(f, model.forms[f].title if f in model.forms else f, tuple(labels))
                  for f, labels in fields.items())
    items = index.items.get(step.id, ())
    return WalkStep(
        id=step.id, type=step.type, title=step.title, actor=step.actor,
        actor_name=role.name if role else "", actions=tuple(model.text(a) for a in step.actions),
        forms=forms, checklist=tuple(model.text(i.text) for i in items),
        rules=rule_refs(model, step.rules))


def walk_flow(model: Model, flow_id: str, facts: Facts) -> FlowWalk:
    """Follow the flow from its start with the facts. The walk stops at an end, or at
    the first step that needs a fact that is not given (naming it), or where the facts
    contradict the procedure."""
    flow = model.flows.get(flow_id)
    if flow is None:
        raise EvaluationError(f"没有流程 “{flow_id}”。",
                              f"流程有:{'、'.join(model.flows) or '(无)'}。")
    _check_facts(model, flow_id, facts)
    walked: list[WalkStep] = []
    used: set[str] = set()

    def stop(reason: str, message: str, **extra: Any) -> FlowWalk:
        return FlowWalk(flow.id, flow.title, tuple(walked), reason,  # type: ignore[arg-type]
                        message, used=frozenset(used), **extra)

    if len(flow.starts) != 1:
        return stop("invalid", f"流程 {flow.id} 没有唯一的开始环节。")
    step = flow.starts[0]
    seen: list[str] = []
    while True:
        if step.id in seen:
            loop = " → ".join([*seen[seen.index(step.id):], step.id])
            return stop("loop", f"按给出的选择会在回路中无限循环:{loop}。")
        seen.append(step.id)
        base = _walk_step(model, step)
        quiz_result = None
        if step.questionnaire and step.questionnaire in facts.answers:
            used.add(f"answers.{step.questionnaire}")
            quiz_result = evaluate_questionnaire(model, step.questionnaire,
                                                 facts.answers[step.questionnaire])
            if quiz_result.missing:
                walked.append(_with(base, questionnaire=quiz_result))
                quiz = model.questionnaires[step.questionnaire]
                return stop("missing", f"环节 {step.id}({step.title})的问卷 {quiz.id} "
                            f"还有题目没有回答:{'、'.join(quiz_result.missing)}。",
                            missing=tuple(MissingFact("answer", f"{quiz.id}.{q}", q)
                                          for q in quiz_result.missing))
        if step.type == "end":
            walked.append(_with(base, questionnaire=quiz_result))
            return stop("end", f"流程结束于 {step.id}({step.title})。", end=step.id,
                        result=step.result, continues_in=step.continues_in)
        if step.type != "decision":
            walked.append(_with(base, questionnaire=quiz_result, next=step.next))
            nxt = step.next
        else:
            taken = _decide(model, step, facts, used, quiz_result)
            if isinstance(taken, _Stop):
                walked.append(_with(base, questionnaire=quiz_result))
                return stop(taken.reason, taken.message, missing=taken.missing)
            nxt = next(o.next for o in step.outcomes if o.id == taken.outcome)
            walked.append(_with(base, questionnaire=quiz_result, decision=taken, next=nxt))
        target = model.steps.get(nxt)
        if target is None or target.flow != flow.id:
            return stop("invalid", f"环节 {step.id} 的下一环节 “{nxt}” 不在流程中。")
        step = target


def _with(step: WalkStep, **changes: Any) -> WalkStep:
    return replace(step, **changes)


@dataclass(frozen=True, slots=True)
class _Stop:
    reason: str
    message: str
    missing: tuple[MissingFact, ...] = ()


def _decide(model: Model, step: Step, facts: Facts, used: set[str],
            quiz: QuestionnaireResult | None) -> DecisionTaken | _Stop:
    """The outcome at a decision step, or why the walk stops there."""
    outcomes = {o.id: o for o in step.outcomes}
    choice = facts.choices.get(step.id)
    if choice is not None:
        used.add(f"choices.{step.id}")

    stop = _Stop
    options = tuple(outcomes)
    table = model.decision_tables.get(step.decision_table)
    if table is not None:
        given = {k: v for k, v in facts.inputs.items() if k in {i.id for i in table.inputs}}
        used.update(f"inputs.{k}" for k in given)
        result = evaluate_decision(model, table.id, given)
        first = table.outputs[0].id if table.outputs else ""
        if result.decided:
            outcome = result.output(first)
            if choice is not None and choice != outcome:
                row = result.row.id if result.row else ""
                return stop("invalid", f"决策环节 {step.id} 的选择 “{choice}” 与决策表 "
                            f"{table.id} 的结果 “{outcome}”(第 {row} 行)不一致。")
            if outcome not in outcomes:
                return stop("invalid", f"决策表 {table.id} 得出 “{outcome}”,"
                            f"但决策环节 {step.id} 没有这个结果。")
            return DecisionTaken(outcome, outcomes[outcome].title, "table", result)
        if choice is not None and choice in outcomes:
            rows = tuple(r for r in result.rows if r.outputs.get(first) == choice)
            return DecisionTaken(choice, outcomes[choice].title, "choice", None, rows)
        if result.status == "missing":
            specs = {i.id: i for i in table.inputs}
            missing = tuple(MissingFact("input", name, specs[name].title,
                                        tuple(v.id for v in specs[name].values))
                            for name in result.missing)
            return stop("missing", f"决策环节 {step.id}({step.title})需要决策表 {table.id} "
                        f"的输入:{'、'.join(result.missing)}(或直接给出 choices.{step.id})。",
                        missing)
        how = "没有" if result.status == "no_match" else "有多"
        return stop("invalid", f"决策表 {table.id} 对给出的输入{how}行匹配。")
    if quiz is not None and quiz.level is not None and quiz.level.id in outcomes:
        if choice is not None and choice != quiz.level.id:
            return stop("invalid", f"决策环节 {step.id} 的选择 “{choice}” 与问卷结果 "
                        f"“{quiz.level.id}” 不一致。")
        return DecisionTaken(quiz.level.id, outcomes[quiz.level.id].title, "questionnaire")
    if choice is None:
        return stop("missing", f"流程走到决策环节 {step.id}({step.title}),没有给出它的结果。",
                    (MissingFact("choice", step.id, model.text(step.question) or step.title,
                                 options),))
    return DecisionTaken(choice, outcomes[choice].title, "choice")



def _check_facts(model: Model, flow_id: str, facts: Facts) -> None:
    """Raise the first of :func:`fact_problems`."""
    for problem in fact_problems(model, flow_id, facts):
        raise problem


def fact_problems(model: Model, flow_id: str, facts: Facts) -> Iterator[EvaluationError]:
    """Every fact that names nothing the flow has, or has a value it cannot take."""
    flow = model.flows[flow_id]
    specs: dict[str, DecisionInput] = {}
    for s in flow.steps:
        table = model.decision_tables.get(s.decision_table)
        if table is not None:
            for i in table.inputs:
                specs.setdefault(i.id, i)
    for name, value in facts.inputs.items():
        spec = specs.get(name)
        if spec is None:
            yield EvaluationError(f"流程 {flow.id} 的决策表没有输入 “{name}”。",
                                  suggest(name, specs) + f"输入有:{'、'.join(specs) or '(无)'}。",
                                  where=("inputs", name), check=UNKNOWN, key=True)
            continue
        problem = input_problem(spec, value)
        if problem is not None:
            yield EvaluationError(*problem, where=("inputs", name))
    quizzes = {s.questionnaire for s in flow.steps if s.questionnaire}
    for quiz_id, answers in facts.answers.items():
        if quiz_id not in quizzes or quiz_id not in model.questionnaires:
            yield EvaluationError(f"流程 {flow.id} 没有使用问卷 “{quiz_id}”。",
                                  f"问卷有:{'、'.join(sorted(quizzes)) or '(无)'}。",
                                  where=("answers", quiz_id), check=UNKNOWN, key=True)
            continue
        for exc in answer_problems(model.questionnaires[quiz_id], answers):
            yield EvaluationError(exc.message, exc.hint, where=("answers", quiz_id, *exc.where),
                                  check=exc.check, key=exc.key)
    steps = {s.id: s for s in flow.steps if s.type == "decision"}
    for step_id, choice in facts.choices.items():
        step = steps.get(step_id)
        if step is None:
            yield EvaluationError(f"流程 {flow.id} 没有决策环节 “{step_id}”。",
                                  suggest(step_id, steps) + f"决策环节有:{'、'.join(steps)}。",
                                  where=("choices", step_id), check=UNKNOWN, key=True)
            continue
        options = [o.id for o in step.outcomes]
        if choice not in options:
            yield EvaluationError(f"决策环节 {step_id} 没有结果 “{choice}”。",
                                  f"可选结果:{'、'.join(options)}。", where=("choices", step_id))
