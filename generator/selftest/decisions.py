"""Self-test questions from decision tables and questionnaires, each answered by the
evaluation engine on the situation it states.

A decision table is probed just below, at and above every threshold its rows test
(a parameter or a number), with every value of its enumerations; a questionnaire by
totals at the edges of its bands and by answers that trigger each override.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping
from typing import Any

from generator.evaluate import evaluate_decision, evaluate_questionnaire
from generator.evaluate.results import DecisionResult, QuestionnaireResult, RowCheck
from generator.model import DecisionInput, DecisionTable, Interval, Model, Questionnaire
from generator.selftest.questions import Option, Question, own_source, rule_sources, shuffled

PER_TABLE = 6
"""Questions per decision table: one per deciding row first, then others."""
MAX_COMBINATIONS = 200
BANDS = 3
"""Band questions per questionnaire (plus one per override)."""


# --- decision tables -------------------------------------------------------------------


def _near(value: float, factor: float, step: int) -> float:
    """A round number near ``value``: ``value × factor`` when that is whole (95万 for
    100万), else one ``step`` away."""
    scaled = value * factor
    return scaled if scaled.is_integer() and scaled != value else value + step


def probes(table: DecisionTable, spec: DecisionInput) -> list[float]:
    """Values just below, at and just above every bound the rows put on a numeric
    input, inside its declared domain."""
    bounds = sorted({b.value for row in table.rows
                     for cond in (row.when.get(spec.id),) if isinstance(cond, Interval)
                     for b in (cond.low, cond.high) if b is not None})
    values: list[float] = []
    for v in bounds:
        for x in (_near(v, 0.95, -1), v, _near(v, 1.2, 1)):
            if (spec.minimum is None or x >= spec.minimum) and \
                    (spec.maximum is None or x <= spec.maximum) and x not in values:
                values.append(x)
    if not values:
        values.append(spec.minimum if spec.minimum is not None else 0)
    return [int(x) if float(x).is_integer() else x for x in values]


def situations(table: DecisionTable, rng: random.Random) -> list[dict[str, Any]]:
    """Every combination of the probes (a seeded sample of them when there are many)."""
    axes = [probes(table, i) if i.type == "number" else [v.id for v in i.values]
            for i in table.inputs]
    combos = list(itertools.islice(itertools.product(*axes), MAX_COMBINATIONS * 20))
    if len(combos) > MAX_COMBINATIONS:
        combos = rng.sample(combos, MAX_COMBINATIONS)
    return [dict(zip((i.id for i in table.inputs), c, strict=True)) for c in combos]


def _failing(row: RowCheck, stated: set[str]) -> str:
    # Under a unique hit policy another row always fails on some input the deciding row
    # tests (else both would match when the others vary): name only those.
    return ";".join(f"它要求{c.title}{c.condition},本题为{c.shown}"
                    for c in row.checks if c.holds is False and c.input in stated)


def _row_number(table: DecisionTable, row_id: str) -> int:
    return next(i + 1 for i, r in enumerate(table.rows) if r.id == row_id)


def decision_question(model: Model, table: DecisionTable, result: DecisionResult,
                      output_id: str, rng: random.Random) -> Question:
    assert result.row is not None
    out = next(o for o in table.outputs if o.id == output_id)
    titles = {v.id: v.title for v in out.values}
    value = result.row.outputs[output_id]
    n = _row_number(table, result.row.id)
    # Only what the deciding row tests: an input it does not test cannot change the
    # outcome (the table is unique), and stating it would only distract.
    stated = {c.input for c in result.row.checks}
    given = ",".join(f"{i.title}为{i.shown}" for i in result.inputs if i.id in stated)
    given = given or "任何情形下"
    reasons = ";".join(f"{c.title}为{c.shown},{c.condition}" for c in result.row.checks)
    note = f"{result.row.note}" if result.row.note else ""
    explanation = f"按「{table.title}」第 {n} 行:{reasons or '任何情形'}。{note}"
    wrong = []
    for v in out.values:
        if v.id == value:
            continue
        giving = [r for r in result.rows if r.outputs.get(output_id) == v.id]
        why = (f"这是第 {_row_number(table, giving[0].id)} 行的结果,"
               f"{_failing(giving[0], stated)}。"
               if giving else "决策表没有任何一行得出这一结果。")
        wrong.append((v.title, why, v.id))
    rng.shuffle(wrong)
    sources = rule_sources(model, (r.id for r in result.rules))
    row = next(r for r in table.rows if r.id == result.row.id)
    sources.append(own_source(model, f"「{table.title}」第 {n} 行", row.provenance))
    return Question(
        "decision", table.title, f"{given}:{out.title}应为?",
        shuffled(rng, (titles.get(value, value), explanation, value), wrong),
        explanation, tuple(sources),
        {"table": table.id,
         "inputs": {i.id: i.value for i in result.inputs if i.id in stated},
         "output": output_id})


def table_questions(model: Model, table: DecisionTable, rng: random.Random
                    ) -> Iterator[Question]:
    outputs = [o.id for o in table.outputs if len(o.values) > 1]
    if not outputs:
        return
    by_row: dict[str, list[DecisionResult]] = {}
    for inputs in situations(table, rng):
        result = evaluate_decision(model, table.id, inputs)
        if result.decided and result.row is not None:
            by_row.setdefault(result.row.id, []).append(result)
    for group in by_row.values():
        rng.shuffle(group)
    chosen: list[DecisionResult] = []
    used: dict[tuple[str, Any], int] = {}

    def staleness(result: DecisionResult) -> int:
        return sum(used.get((i.id, i.value), 0) for i in result.inputs)

    wanted = max(PER_TABLE, len(by_row))  # every row is asked at least once
    while len(chosen) < wanted and any(by_row.values()):
        for group in by_row.values():  # round robin: every row answers before any twice
            if group and len(chosen) < wanted:
                # the situation whose values were asked least: below, at and above
                best = min(range(len(group)), key=lambda k: staleness(group[k]))
                result = group.pop(best)
                for given in result.inputs:
                    used[(given.id, given.value)] = used.get((given.id, given.value), 0) + 1
                chosen.append(result)
    for n, result in enumerate(chosen):
        yield decision_question(model, table, result, outputs[n % len(outputs)], rng)


def decision_questions(model: Model, rng: random.Random) -> Iterator[Question]:
    for table in model.decision_tables.values():
        yield from table_questions(model, table, rng)


# --- questionnaires -------------------------------------------------------------------


def _triggers(quiz: Questionnaire) -> set[tuple[str, str]]:
    """(question, answer) pairs that appear in some override's condition."""
    return {(q, a) for o in quiz.overrides for q, answers in o.when.items() for a in answers}


def answers_for_total(quiz: Questionnaire, total: int) -> dict[str, str] | None:
    """Answers that score ``total`` and trigger no override, or ``None``."""
    triggers = _triggers(quiz)
    reach: list[dict[int, dict[str, str]]] = [{0: {}}]
    for q in quiz.questions:
        nxt: dict[int, dict[str, str]] = {}
        for score, chosen in reach[-1].items():
            for a in q.answers:
                if (q.id, a.id) not in triggers:
                    nxt.setdefault(score + a.score, {**chosen, q.id: a.id})
        reach.append(nxt)
    return reach[-1].get(total)


def _level_line(lv: Any) -> str:
    return f"{lv.id}「{lv.title}」"


def _level_options(quiz: Questionnaire, result: QuestionnaireResult, rng: random.Random,
                   explanation: str, why_wrong: Mapping[str, str]) -> tuple[Option, ...]:
    assert result.level is not None
    ranked = [lv.id for lv in quiz.ranked()]
    here = ranked.index(result.level.id)
    near = sorted((lv for lv in quiz.ranked() if lv.id != result.level.id),
                  key=lambda lv: (lv.id not in why_wrong, abs(ranked.index(lv.id) - here)))
    wrong = [(_level_line(lv), why_wrong.get(lv.id) or
              f"{lv.id} 的分数段是 {lv.min_score}–{lv.max_score} 分,且没有覆盖规则得出它。",
              lv.id) for lv in near]
    return shuffled(rng, (_level_line(result.level), explanation, result.level.id), wrong)


def band_question(model: Model, quiz: Questionnaire, total: int, rng: random.Random
                  ) -> Question | None:
    answers = answers_for_total(quiz, total)
    if answers is None:
        return None
    result = evaluate_questionnaire(model, quiz.id, answers)
    if result.level is None or result.overrides:
        return None
    why = {lv.id: f"{lv.id} 的分数段是 {lv.min_score}–{lv.max_score} 分,{total} 分不在其中。"
           for lv in quiz.levels}
    level = result.level
    explanation = (f"{total} 分在 {level.id}「{level.title}」的分数段 "
                   f"{level.min_score}–{level.max_score} 分之内,且没有覆盖规则适用。")
    options = _level_options(quiz, result, rng, explanation, why)
    stem = (f"客户答完「{quiz.title}」的全部 {len(quiz.questions)} 题,总分 {total} 分,"
            f"没有任何答案触发覆盖规则:{quiz.result_title}为?")
    sources = [*rule_sources(model, quiz.rules), own_source(model, quiz.title, quiz.provenance)]
    return Question("questionnaire", quiz.title, stem, options, explanation, tuple(sources),
                    {"questionnaire": quiz.id, "answers": answers})


def override_question(model: Model, quiz: Questionnaire, index: int,
                      rng: random.Random) -> Question | None:
    override = quiz.overrides[index]
    triggers = _triggers(quiz)
    answers: dict[str, str] = {}
    for q in quiz.questions:
        if q.id in override.when:
            answers[q.id] = next(a.id for a in q.answers if a.id in override.when[q.id])
            continue
        calm = [a for a in q.answers if (q.id, a.id) not in triggers] or list(q.answers)
        answers[q.id] = max(calm, key=lambda a: a.score).id
    result = evaluate_questionnaire(model, quiz.id, answers)
    if result.level is None or result.band is None:
        return None
    numbers = {q.id: i + 1 for i, q in enumerate(quiz.questions)}
    texts = {q.id: (model.text(q.text), {a.id: model.text(a.text) for a in q.answers})
             for q in quiz.questions}
    stated = [q for q in answers if (q, answers[q]) in triggers]
    picks = ";".join(f"第 {numbers[q]} 题「{texts[q][0]}」选「{texts[q][1][answers[q]]}」"
                     for q in stated)
    band, level = result.band, result.level
    stem = (f"客户在「{quiz.title}」中{picks},总分 {result.score} 分(分数段为 "
            f"{_level_line(band)}),其余各题的答案不涉及覆盖规则:{quiz.result_title}为?")
    applied = "、".join(f"「{o.title}」" for o in result.overrides)
    explanation = (f"总分 {result.score} 分先落在分数段 {band.id};计分后按顺序适用覆盖规则"
                   f"{applied},结果为 {_level_line(level)}。" if result.overrides else
                   f"总分 {result.score} 分在分数段 {band.id},没有覆盖规则适用。")
    why = {band.id: f"这是只按总分得出的分数段;计分后还要适用覆盖规则{applied}。"} \
        if band.id != level.id else {}
    options = _level_options(quiz, result, rng, explanation, why)
    rules = [r for o in quiz.overrides if o.id in {x.id for x in result.overrides}
             for r in o.rules] or list(quiz.rules)
    sources = [*rule_sources(model, rules),
               own_source(model, f"覆盖规则「{override.title}」", override.provenance)]
    return Question("questionnaire", quiz.title, stem, options, explanation, tuple(sources),
                    {"questionnaire": quiz.id, "answers": answers})


def questionnaire_questions(model: Model, rng: random.Random) -> Iterator[Question]:
    for quiz in model.questionnaires.values():
        edges = sorted({s for lv in quiz.levels for s in (lv.min_score, lv.max_score)})
        asked = 0
        for total in rng.sample(edges, len(edges)):
            q = band_question(model, quiz, total, rng) if asked < BANDS else None
            if q is not None:
                asked += 1
                yield q
        for i in range(len(quiz.overrides)):
            found = override_question(model, quiz, i, rng)
            if found is not None:
                yield found
