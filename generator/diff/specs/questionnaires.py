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


_OVERRIDE = (
    Field("触发条件", lambda o: tuple(sorted((q, tuple(v)) for q, v in o.when.items())), True,
          "触发覆盖规则的答案改变",
          show=lambda _m, v: ";".join(f"{q} 选 {'/'.join(a)}" for q, a in v)),
    Field("作用", lambda o: (o.effect, o.level), True, "覆盖规则所定的等级改变",
          show=lambda _m, v: f"{'至多为' if v[0] == 'cap' else '定为'} {v[1]}"),
    Field("依据规则", lambda o: o.rules, False, "", show=lambda _m, v: "、".join(v) or "—"),
    Text("名称", lambda o: o.title),
    Text("说明", lambda o: o.description, judge=True),
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
    order_a = [o.id for o in a.overrides]
    order_b = [o.id for o in b.overrides]
    for oid, x, y in pairs(by_id(a.overrides), by_id(b.overrides)):
        o = y or x
        at = At(g, "questionnaire_override", f"{qid}/{oid}", o.title, o.loc, el)
        if x is None or y is None:
            yield presence(at, x, material=True, reason="计分之后的等级改变",
                           shown=f"{'至多为' if o.effect == 'cap' else '定为'} {o.level}")
            continue
        yield from aspects(ctx, at, x, y, _OVERRIDE)
    common = [i for i in order_a if i in order_b]
    if common != [i for i in order_b if i in order_a]:
        yield from aspects(ctx, At(g, "questionnaire", qid, b.title, b.loc), a, b, (
            Field("覆盖规则的顺序", lambda q: tuple(o.id for o in q.overrides if o.id in common),
                  True, "覆盖规则的作用顺序改变", show=lambda _m, v: " → ".join(v)),))


SPEC = Spec(
    "questionnaire", compare, group="questionnaire:{id}", element="questionnaire",
    fields=("title", "instructions", "result_title", "allows_title", "validity",
            "questions[].text",
            "questions[].answers[].score", "questions[].answers[].text",
            "levels[].min_score", "levels[].max_score", "levels[].allows",
            "levels[].title",
            "overrides[].id", "overrides[].title", "overrides[].description", "overrides[].when",
            "overrides[].cap", "overrides[].set", "overrides[].rules", "overrides@order",
            *provenance_at(""), *provenance_at("overrides[]")),
)
