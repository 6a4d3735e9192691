"""Questionnaires: questions and answer scores, and the bands that turn a score into
a level."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from generator.diff.changes import Change
from generator.diff.engine import (
    At,
    Context,
    Field,
    Spec,
    Text,
    aspects,
    by_id,
    or_none,
    pairs,
    presence,
)
from generator.diff.specs.provenance import provenance_at
from generator.model import Questionnaire

_QUESTIONNAIRE = (
    Text("名称", lambda q: q.title),
    Text("填写说明", lambda q: q.instructions, judge=True),
    Text("等级的含义", lambda q: q.result_title),
    Text("等级所允许的", lambda q: q.allows_title),
    Field("有效期参数", lambda q: q.validity, True, "评估结果的有效期改变", show=or_none),
)
_ANSWER = (
    Field("分值", lambda a: a.score, True, "计分改变", show=lambda _m, v: f"{v} 分"),
    Text("答案", lambda a: a.text),
)
_LEVEL = (
    Field("分数段", lambda lv: (lv.min_score, lv.max_score), True, "等级的分数段改变",
          show=lambda _m, v: f"{v[0]}–{v[1]} 分"),
    Field("该等级允许", lambda lv: lv.allows, True, "等级所允许的范围改变", show=or_none),
    Text("名称", lambda lv: lv.title),
)


def compare(ctx: Context) -> Iterator[Change]:
    for qid, a, b in pairs(ctx.old.questionnaires, ctx.new.questionnaires):
        if a is None or b is None:
            el = b or a
            yield presence(At(f"questionnaire:{qid}", "questionnaire", qid, el.title, el.loc),
                           a, material=True, reason="评估的依据改变")
            continue
        yield from _compare_questionnaire(ctx, a, b)


def _compare_questionnaire(ctx: Context, a: Questionnaire, b: Questionnaire) -> Iterator[Change]:
    g, qid = f"questionnaire:{b.id}", b.id
    yield from aspects(ctx, At(g, "questionnaire", qid, b.title, b.loc), a, b, _QUESTIONNAIRE)
    el = (("questionnaire", qid),)
    for question_id, x, y in pairs(by_id(a.questions), by_id(b.questions)):
        q = y or x
        at = At(g, "question", f"{qid}/{question_id}", q.text, q.loc, el)
        if x is None or y is None:
            yield presence(at, x, material=True, reason="计分和等级的依据改变")
            continue
        yield from ctx.reword(at, "题目", x.text, y.text, judge=False)
        for aid, p, r in pairs(by_id(x.answers), by_id(y.answers)):
            ans = r or p
            answer = replace(at, kind="answer", id=f"{at.id}/{aid}", title=f"{y.text} {ans.text}",
                             loc=ans.loc)
            if p is None or r is None:
                yield presence(answer, p, material=True, reason="计分改变",
                               shown=f"{ans.score} 分")
                continue
            yield from aspects(ctx, answer, p, r, _ANSWER)
    for lid, x, y in pairs(by_id(a.levels), by_id(b.levels)):
        lv = y or x
        at = At(g, "level", f"{qid}/{lid}", f"{lid} {lv.title}", lv.loc, el)
        if x is None or y is None:
            yield presence(at, x, material=True, reason="等级划分改变",
                           shown=f"{lv.min_score}–{lv.max_score} 分")
            continue
        yield from aspects(ctx, at, x, y, _LEVEL)


SPEC = Spec(
    "questionnaire", compare, group="questionnaire:{id}", element="questionnaire",
    fields=("title", "instructions", "result_title", "allows_title", "validity",
            "questions[].text",
            "questions[].answers[].score", "questions[].answers[].text",
            "levels[].min_score", "levels[].max_score", "levels[].allows",
            "levels[].title", *provenance_at("")),
)
