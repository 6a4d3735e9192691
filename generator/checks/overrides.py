"""Questionnaire overrides: each can be triggered by some answers, names a level of its
questionnaire, does not contradict another that can apply with it, and leaves every
band reachable as a result. The evaluation itself is the model's
(:meth:`Questionnaire.evaluate`); these checks only search the answers for it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.checks import check
from generator.checks._common import at, per_model
from generator.diagnostics import Diagnostic
from generator.model import Model, Override, Questionnaire

_MAX_COMBINATIONS = 100_000
"""Above this many answer classes of the questions the overrides read, the search is
skipped rather than slowing ``check`` down (no shipped questionnaire comes near it)."""


def answers_within(quiz: Questionnaire, score: int,
                   allowed: Mapping[str, frozenset[str]] | None = None) -> dict[str, str] | None:
    """One set of answers totalling ``score`` in which each question listed in
    ``allowed`` takes one of its allowed answers (dynamic programming over the
    questions); ``None`` when there is none."""
    allowed = allowed or {}
    reachable: list[dict[int, str]] = []  # per question: total so far → answer chosen
    totals = {0}
    for q in quiz.questions:
        options = [a for a in q.answers if q.id not in allowed or a.id in allowed[q.id]]
        step: dict[int, str] = {}
        for t in totals:
            for a in options:
                step.setdefault(t + a.score, a.id)
        reachable.append(step)
        totals = set(step)
    if score not in totals:
        return None
    chosen: dict[str, str] = {}
    for q, step in zip(reversed(quiz.questions), reversed(reachable), strict=True):
        answer = step[score]
        chosen[q.id] = answer
        score -= next(a.score for a in q.answers if a.id == answer)
    return dict(reversed(chosen.items()))


def broken(quiz: Questionnaire, o: Override) -> bool:
    """Names a question, answer or level the questionnaire does not have."""
    questions = {q.id: {a.id for a in q.answers} for q in quiz.questions}
    return quiz.level(o.level) is None or any(
        q not in questions or not set(chosen) <= questions[q] for q, chosen in o.when.items())


def _together(a: Override, b: Override) -> dict[str, frozenset[str]] | None:
    """The answers under which both apply (question → allowed answers), if any."""
    allowed: dict[str, frozenset[str]] = {}
    for q in {*a.when, *b.when}:
        both = frozenset(a.when.get(q, b.when.get(q, ()))) & frozenset(
            b.when.get(q, a.when.get(q, ())))
        if not both:
            return None
        allowed[q] = both
    return allowed


def _any_answers(quiz: Questionnaire, allowed: Mapping[str, frozenset[str]]
                 ) -> dict[str, str] | None:
    for score in range(quiz.min_score, quiz.max_score + 1):
        found = answers_within(quiz, score, allowed)
        if found is not None:
            return found
    return None


def _paste(quiz: Questionnaire, name: str, title: str, answers: Mapping[str, str]
           ) -> tuple[str, ...]:
    result = quiz.evaluate(answers)
    given = ", ".join(f"{k}: {v}" for k, v in answers.items())
    level = result.level.id if result.level else "TODO"
    applied = ", ".join(o.id for o in result.applied)
    return (
        "可作为测试案例粘贴到 cases/ 下的文件:",
        f"  - id: {quiz.id}_{name}",
        f"    title: {title}",
        f"    rules: [{', '.join(quiz.rules)}]",
        f"    questionnaire: {quiz.id}",
        f"    answers: {{ {given} }}",
        f"    expect: {{ level: {level}, score: {result.score}, overrides: [{applied}] }}",
    )


@dataclass(frozen=True, slots=True)
class Reach:
    """A level the answers can end at, with one set of answers that does."""

    level: str
    answers: dict[str, str]


def reachable_levels(quiz: Questionnaire) -> dict[str, Reach] | None:
    """Every level some answers end at once the overrides applied, with a witness;
    ``None`` when the search would be too large.

    Only which answers an override lists matters, so the answers of each question an
    override reads fall into classes (same membership in every override), and the
    other questions only contribute their reachable sums."""
    sound = [o for o in quiz.overrides if not broken(quiz, o)]
    read = {q for o in sound for q in o.when}
    classes: list[list[frozenset[str]]] = []
    readq = [q for q in quiz.questions if q.id in read]
    for q in readq:
        by_sig: dict[tuple[bool, ...], set[str]] = {}
        for a in q.answers:
            by_sig.setdefault(tuple(a.id in o.when.get(q.id, ()) for o in sound),
                              set()).add(a.id)
        classes.append([frozenset(v) for v in by_sig.values()])
    total = 1
    for c in classes:
        total *= len(c)
    if total > _MAX_COMBINATIONS:
        return None
    others = {0}
    for q in quiz.questions:
        if q.id not in read:
            others = {t + a.score for t in others for a in q.answers}
    found: dict[str, Reach] = {}
    for combo in itertools.product(*classes):
        allowed = {q.id: cls for q, cls in zip(readq, combo, strict=True)}
        sums = set(others)
        for q, cls in zip(readq, combo, strict=True):
            sums = {t + a.score for t in sums for a in q.answers if a.id in cls}
        representative = {q: min(cls) for q, cls in allowed.items()}
        for score in sorted(sums):
            _applied, level = quiz.apply_overrides(quiz.level_for(score), representative)
            if level is None or level.id in found:
                continue
            answers = answers_within(quiz, score, allowed)
            if answers is not None:
                found[level.id] = Reach(level.id, answers)
    return found


reachable = per_model(lambda model: {q.id: reachable_levels(q)
                                     for q in model.questionnaires.values()})


@check("questionnaire.override-untriggerable",
       "覆盖规则的触发条件只用问卷中有的题目和答案,总有一组答案能触发它。")
def override_untriggerable(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        questions = {q.id: q for q in quiz.questions}
        for o in quiz.overrides:
            for qid, chosen in o.when.items():
                question = questions.get(qid)
                if question is None:
                    yield at(model, o.loc, "when", qid, key=True).diagnostic(
                        "questionnaire.override-untriggerable",
                        f"问卷 {quiz.id} 的覆盖规则 {o.id} 以题目 “{qid}” 为条件,但问卷没有这道题,"
                        "任何答案都触发不了它。",
                        f"题目有:{'、'.join(questions)}。")
                    continue
                options = [a.id for a in question.answers]
                for i, answer in enumerate(chosen):
                    if answer not in options:
                        yield at(model, o.loc, "when", qid, i).diagnostic(
                            "questionnaire.override-untriggerable",
                            f"覆盖规则 {o.id} 的条件要求题目 {qid} 选 “{answer}”,"
                            "但该题没有这个答案。",
                            f"题目 {qid} 的答案有:{'、'.join(options)}。")


@check("questionnaire.override-level", "覆盖规则所封顶或所定的等级是本问卷的等级。")
def override_level(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        for o in quiz.overrides:
            if quiz.level(o.level) is None:
                yield at(model, o.loc, o.effect).diagnostic(
                    "questionnaire.override-level",
                    f"覆盖规则 {o.id} 的 {o.effect} 是 “{o.level}”,问卷 {quiz.id} 没有这个等级。",
                    f"等级有:{'、'.join(lv.id for lv in quiz.levels)}。")


def _contradiction(quiz: Questionnaire, a: Override, b: Override) -> str:
    rank = {lv.id: i for i, lv in enumerate(quiz.ranked())}
    if a.effect == b.effect == "set" and a.level != b.level:
        return f"一条定为 {a.level},一条定为 {b.level}"
    for s, c in ((a, b), (b, a)):
        if s.effect == "set" and c.effect == "cap" and rank[s.level] > rank[c.level]:
            return f"{s.id} 定为 {s.level},高于 {c.id} 的上限 {c.level}"
    return ""


@check("questionnaire.override-contradiction",
       "能同时适用的两条覆盖规则结果一致:不定为两个不同的等级,也不定为高于另一条上限的等级。")
def override_contradiction(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        sound = [o for o in quiz.overrides if not broken(quiz, o)]
        for a, b in itertools.combinations(sound, 2):
            why = _contradiction(quiz, a, b)
            allowed = _together(a, b) if why else None
            answers = _any_answers(quiz, allowed) if allowed is not None else None
            if answers is None:
                continue
            yield at(model, b.loc, b.effect).diagnostic(
                "questionnaire.override-contradiction",
                f"问卷 {quiz.id} 的覆盖规则 {a.id} 和 {b.id} 可以同时适用,结果互相矛盾:{why};"
                "结果只取决于两条的先后顺序。",
                "改为同一结果,或收窄其中一条的 when,使两条不能同时适用。",
                related=_paste(quiz, f"{a.id}_{b.id}", f"同时触发 {a.id} 和 {b.id}", answers))


@check("questionnaire.band-unreachable",
       "每个等级都有一组答案能得到:分数段能得到,且不被覆盖规则全部改掉。")
def band_unreachable(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        found = reachable(model)[quiz.id]
        if found is None or not quiz.questions:
            continue
        for lv in quiz.levels:
            if lv.id in found or lv.min_score > lv.max_score \
                    or lv.max_score < quiz.min_score or lv.min_score > quiz.max_score:
                continue  # band-range reports a band outside the scores
            scored = [s for s in range(lv.min_score, lv.max_score + 1)
                      if answers_within(quiz, s) is not None]
            why = ("覆盖规则把落在该分数段的每一组答案都改成了别的等级" if scored
                   else "没有任何一组答案的总分落在该分数段内")
            hint = ("收窄覆盖规则的 when,或调整分数段;如确属有意,删除该等级。" if scored
                    else "调整分数段或各答案的分值。")
            yield at(model, lv.loc, "id").diagnostic(
                "questionnaire.band-unreachable",
                f"问卷 {quiz.id} 的等级 {lv.id}({lv.title})无论怎样作答都得不到:{why}。", hint)


@check("trace.override-untested", "每条问卷覆盖规则至少被一个问卷案例触发。")
def override_untested(model: Model) -> Iterator[Diagnostic]:
    for quiz in model.questionnaires.values():
        triggered: set[str] = set()
        for case in model.cases.values():
            if case.kind != "questionnaire" or case.target != quiz.id:
                continue
            try:
                triggered |= {o.id for o in quiz.evaluate(case.given).applied}
            except KeyError:
                continue  # case.invalid reports it
        for o in quiz.overrides:
            if o.id in triggered or broken(quiz, o):
                continue
            answers = _any_answers(quiz, {q: frozenset(v) for q, v in o.when.items()})
            yield at(model, o.loc, "id").diagnostic(
                "trace.override-untested",
                f"问卷 {quiz.id} 的覆盖规则 {o.id}({model.text(o.title)})没有任何测试案例触发。",
                "在 cases/ 中添加一个问卷案例,选中触发它的答案,并在 expect.overrides 中列出它。",
                related=_paste(quiz, o.id, model.text(o.title), answers) if answers else ())
