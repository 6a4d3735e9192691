"""Scored questionnaires: every question answerable, and the level bands cover the
reachable scores exactly: contiguous, not overlapping, from the minimum to the
maximum total."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at
from generator.diagnostics import Diagnostic
from generator.model import Level, Loc, Model, Questionnaire


@check("questionnaire.unanswerable", "每道题至少有两个答案,且答案标识互不相同。")
def unanswerable(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        seen_questions: set[str] = set()
        for q in quiz.questions:
            if q.id in seen_questions:
                yield at(model, q.loc, "id").diagnostic(
                    "questionnaire.unanswerable", f"问卷 {quiz.id} 的题目标识 “{q.id}” 重复。",
                    "题目标识在问卷内必须唯一,案例按标识回答题目。")
            seen_questions.add(q.id)
            if len(q.answers) < 2:
                yield q.loc.diagnostic(
                    "questionnaire.unanswerable",
                    f"题目 {q.id} 只有 {len(q.answers)} 个答案,无从选择。",
                    "单选题至少要有两个答案。")
            seen: set[str] = set()
            for a in q.answers:
                if a.id in seen:
                    yield a.loc.diagnostic(
                        "questionnaire.unanswerable", f"题目 {q.id} 的答案标识 “{a.id}” 重复。",
                        "同一题的答案标识必须互不相同,否则无法确定客户选了哪一个。")
                seen.add(a.id)


def answers_for(quiz: Questionnaire, score: int) -> dict[str, str] | None:
    """One set of answers that totals ``score`` (dynamic programming over the questions)."""
    reachable: list[dict[int, str]] = []  # per question: total so far → answer chosen
    totals = {0}
    for q in quiz.questions:
        step: dict[int, str] = {}
        nxt: set[int] = set()
        for t in totals:
            for a in q.answers:
                if t + a.score not in step:
                    step[t + a.score] = a.id
                    nxt.add(t + a.score)
        reachable.append(step)
        totals = nxt
    if score not in totals:
        return None
    chosen: dict[str, str] = {}
    for q, step in zip(reversed(quiz.questions), reversed(reachable), strict=True):
        answer = step[score]
        chosen[q.id] = answer
        score -= next(a.score for a in q.answers if a.id == answer)
    return dict(reversed(chosen.items()))


def _case(quiz: Questionnaire, scores: range, level: str) -> tuple[str, ...]:
    """A test case for the first reachable score in ``scores`` (none if none is)."""
    for score in scores:
        answers = answers_for(quiz, score)
        if answers is not None:
            break
    else:
        return ()
    given = ", ".join(f"{k}: {v}" for k, v in answers.items())
    return (
        "可作为测试案例粘贴到 cases/ 下的文件" + ("(请填写预期等级):" if level == "TODO" else ":"),
        f"  - id: {quiz.id}_score_{score}",
        f"    title: 问卷 {quiz.id} 总分 {score}",
        f"    rules: [{', '.join(quiz.rules)}]",
        f"    questionnaire: {quiz.id}",
        f"    answers: {{ {given} }}",
        f"    expect: {{ level: {level}, score: {score} }}",
    )


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}–{b}"


def _bands(quiz: Questionnaire) -> list[Level]:
    return sorted(quiz.levels, key=lambda lv: (lv.min_score, lv.max_score))


def _level_loc(model: Model, level: Level, field: str) -> Loc:
    return at(model, level.loc, field)


@check("questionnaire.band-gap", "分数段首尾相接,覆盖从最低到最高可得总分的每一个分数。")
def band_gap(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        if not quiz.questions:
            continue
        bands = [lv for lv in _bands(quiz) if lv.min_score <= lv.max_score]
        low, high = quiz.min_score, quiz.max_score
        covered_to = low - 1
        for lv in bands:
            if lv.min_score > covered_to + 1 and lv.min_score <= high:
                gap = covered_to + 1
                yield _level_loc(model, lv, "min_score").diagnostic(
                    "questionnaire.band-gap",
                    f"问卷 {quiz.id} 的总分 {_span(gap, lv.min_score - 1)} 不属于任何等级"
                    f"(可得总分 {low}–{high})。",
                    f"把等级 {lv.id} 的 min_score 改为 {gap},或让前一个等级的 max_score 延伸到 "
                    f"{lv.min_score - 1}。",
                    related=_case(quiz, range(gap, lv.min_score), "TODO"))
            covered_to = max(covered_to, lv.max_score)
        if covered_to < high and bands:
            last = max(bands, key=lambda lv: lv.max_score)
            yield _level_loc(model, last, "max_score").diagnostic(
                "questionnaire.band-gap",
                f"问卷 {quiz.id} 的最高可得总分是 {high},但等级只覆盖到 {covered_to}。",
                f"把等级 {last.id} 的 max_score 改为 {high}。",
                related=_case(quiz, range(covered_to + 1, high + 1), "TODO"))


@check("questionnaire.band-overlap", "分数段互不重叠,每个总分只属于一个等级。")
def band_overlap(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        bands = _bands(quiz)
        for prev, lv in itertools.pairwise(bands):
            if lv.min_score <= prev.max_score and lv.min_score <= lv.max_score:
                yield _level_loc(model, lv, "min_score").diagnostic(
                    "questionnaire.band-overlap",
                    f"问卷 {quiz.id} 的等级 {prev.id}({prev.min_score}–{prev.max_score})和 "
                    f"{lv.id}({lv.min_score}–{lv.max_score})重叠。",
                    f"把等级 {lv.id} 的 min_score 改为 {prev.max_score + 1}。",
                    related=_case(quiz, range(lv.min_score, min(prev.max_score, lv.max_score) + 1),
                                  prev.id))


@check("questionnaire.band-range", "每个分数段的下限不大于上限,且落在可得总分范围内。")
def band_range(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        if not quiz.questions:
            continue
        low, high = quiz.min_score, quiz.max_score
        for lv in quiz.levels:
            if lv.min_score > lv.max_score:
                yield _level_loc(model, lv, "min_score").diagnostic(
                    "questionnaire.band-range",
                    f"等级 {lv.id} 的 min_score({lv.min_score})大于 max_score({lv.max_score})。",
                    "检查两个值是否写反。")
            elif lv.max_score > high:
                yield _level_loc(model, lv, "max_score").diagnostic(
                    "questionnaire.band-range",
                    f"等级 {lv.id} 的上限 {lv.max_score} 超过了问卷 {quiz.id} "
                    f"的最高可得总分 {high}。",
                    f"把 max_score 改为 {high},或检查各题答案的分值。")
            elif lv.min_score < low:
                yield _level_loc(model, lv, "min_score").diagnostic(
                    "questionnaire.band-range",
                    f"等级 {lv.id} 的下限 {lv.min_score} 低于问卷 {quiz.id} 的最低可得总分 {low}。",
                    f"把 min_score 改为 {low},或检查各题答案的分值。")


@check("form.derived-mismatch",
       "系统生成的字段(derived)所在表单用了问卷,等级类字段的选项与问卷的等级一致。")
def derived_mismatch(model: Model) -> Iterator[Diagnostic]:
    for form in model.forms.values():
        quiz = model.questionnaires.get(form.questionnaire)
        for fld in form.fields:
            if not fld.derived:
                continue
            where = at(model, fld.loc, "derived")
            if quiz is None:
                yield where.diagnostic(
                    "form.derived-mismatch",
                    f"表单 {form.id} 的字段 {fld.id} 由系统按问卷生成(derived: {fld.derived}),"
                    "但表单没有指定问卷。",
                    "在表单上写 questionnaire: <问卷标识>,或去掉该字段的 derived。")
                continue
            if fld.derived == "score":
                continue
            expected = ([lv.id for lv in quiz.levels] if fld.derived in ("band", "level")
                        else list(dict.fromkeys(lv.allows for lv in quiz.levels if lv.allows)))
            options = [o.id for o in fld.options]
            if options != expected:
                yield where.diagnostic(
                    "form.derived-mismatch",
                    f"表单 {form.id} 的字段 {fld.id}(derived: {fld.derived})的选项"
                    f"{'、'.join(options) or '(无)'}与问卷 {quiz.id} 的"
                    f"{'等级' if fld.derived != 'allows' else '各等级允许的范围'}"
                    f"{'、'.join(expected) or '(无)'}不一致。",
                    "选项标识须与问卷逐一对应、顺序相同,系统才能勾选计分结果。")
