"""Marketing scripts: guidance, not obligation, except what staff must never say."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.changes import Change
from generator.diff.engine import (
    At,
    Context,
    Field,
    Spec,
    Text,
    aspects,
    by_id,
    listed,
    match_texts,
    pairs,
    presence,
)
from generator.diff.specs.provenance import provenance_at
from generator.model import Script

_GUIDANCE = "话术是指引,不是义务"
_SCRIPT = (
    Field("环节", lambda s: s.step, False, "话术所属环节"),
    Text("名称", lambda s: s.title),
    Text("开场白", lambda s: s.opening),
    Text("结束语", lambda s: s.closing),
    Field("依据规则", lambda s: s.rules, False, "话术所遵守的规则(指引与规则的对应,不改变义务)",
          show=lambda _m, v: listed(v)),
)


def compare(ctx: Context) -> Iterator[Change]:
    for sid, a, b in pairs(ctx.old.scripts, ctx.new.scripts):
        if a is None or b is None:
            el = b or a
            yield presence(At(f"script:{sid}", "script", sid, el.title, el.loc), a,
                           material=False, reason=_GUIDANCE)
            continue
        yield from _compare_script(ctx, a, b)


def _compare_script(ctx: Context, a: Script, b: Script) -> Iterator[Change]:
    at = At(f"script:{b.id}", "script", b.id, b.title, b.loc)
    yield from aspects(ctx, at, a, b, _SCRIPT)
    for x, y in match_texts(a.key_messages, b.key_messages):
        yield from ctx.reword(at, "要点", x, y, judge=False)
    for _oid, p, q in pairs(by_id(a.objections), by_id(b.objections)):
        if p is None or q is None:
            o = q or p
            yield presence(At(at.group, "script", b.id, b.title, o.loc), p, material=False,
                           reason=_GUIDANCE, aspect="异议处理", shown=o.objection)
            continue
        answer = At(at.group, "script", b.id, b.title, q.loc)
        yield from ctx.reword(answer, f"异议“{q.objection}”的应答", p.answer, q.answer,
                              judge=False)
        yield from ctx.reword(answer, "客户异议", p.objection, q.objection, judge=False)
    for x, y in match_texts(a.never_say, b.never_say):
        if x and y:
            yield from ctx.reword(at, "禁用语", x, y)
        else:
            yield at.change("added" if y else "removed", material=True,
                            reason="禁止员工说的话是义务", aspect="禁用语", old=x, new=y)


SPEC = Spec(
    "script", compare, group="script:{id}", element="script",
    fields=("step", "title", "opening", "closing", "key_messages", "objections[].answer",
            "objections[].objection", "never_say", "rules",
            *provenance_at("")),
)
