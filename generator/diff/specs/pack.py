"""The pack's own page: version, effective date, governing documents, named
stages (required, in order) and working principles."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from generator.diff.changes import Change
from generator.diff.engine import At, Context, Field, Spec, Text, aspects, by_id, pairs, presence
from generator.diff.specs.provenance import provenance_at

_PACK = (
    Field("版本", lambda m: m.version, False, "版本号"),
    Field("生效日期", lambda m: m.effective_date.isoformat(), True, "义务开始执行的日期改变"),
    Text("名称", lambda m: m.title),
    Text("负责部门", lambda m: m.owner),
    Text("简介", lambda m: m.summary),
    Text("定义", lambda m: m.definition, judge=True),
)
_PRINCIPLE = (Text("名称", lambda p: p.title), Text("要点", lambda p: p.summary),
              Text("说明", lambda p: p.description))


def compare(ctx: Context) -> Iterator[Change]:
    old, new = ctx.old.meta, ctx.new.meta
    if old is None or new is None:
        return
    pack = At("pack", "pack", new.id, new.title, new.loc)
    yield from aspects(ctx, pack, old, new, _PACK)
    in_pack = (("pack", new.id),)
    for gid, a, b in pairs(by_id(old.governing_documents), by_id(new.governing_documents)):
        el = b or a
        at = At("pack", "governing_document", gid, el.title, el.loc, in_pack)
        if a is None or b is None:
            mandatory = el.binding == "mandatory"
            yield presence(at, a, material=mandatory,
                           reason="必须遵循的制度改变" if mandatory else "参考资料")
        elif a.binding != b.binding:
            yield at.change("changed", material=True, reason="制度的约束力改变", aspect="约束力",
                            old=a.binding, new=b.binding)
        elif a.title != b.title:
            yield from ctx.reword(at, "名称", a.title, b.title, judge=False)
    yield from _stages(ctx, new.id)
    for pid, a, b in pairs(by_id(old.principles), by_id(new.principles)):
        el = b or a
        at = At("pack", "principle", pid, el.title, el.loc, in_pack)
        if a is None or b is None:
            yield presence(at, a, material=False, reason="工作原则的表述")
        else:
            yield from aspects(ctx, replace(at, title=b.title), a, b, _PRINCIPLE)


def _stages(ctx: Context, pack_id: str) -> Iterator[Change]:
    old, new = ctx.old.meta, ctx.new.meta
    assert old is not None and new is not None
    old_stages = [s.id for s in old.stages]
    new_stages = [s.id for s in new.stages]
    titles = {s.id: s.title for s in (*old.stages, *new.stages)}
    in_pack = (("pack", pack_id),)
    for sid in new_stages:
        if sid not in old_stages:
            yield presence(At("pack", "stage", sid, titles[sid], new.loc, in_pack), None,
                           material=True, reason="命名环节是必经环节")
    for sid in old_stages:
        if sid not in new_stages:
            yield presence(At("pack", "stage", sid, titles[sid], old.loc, in_pack), sid,
                           material=True, reason="命名环节是必经环节")
    common_old = [s for s in old_stages if s in new_stages]
    common_new = [s for s in new_stages if s in old_stages]
    if common_old != common_new:
        yield At("pack", "stage", "order", "命名环节顺序", new.loc, in_pack).change(
            "moved", material=True, reason="命名环节必须按顺序完成", aspect="顺序",
            old=" → ".join(titles[s] for s in common_old),
            new=" → ".join(titles[s] for s in common_new))
    for sid in common_new:
        a = next(s for s in old.stages if s.id == sid)
        b = next(s for s in new.stages if s.id == sid)
        yield from ctx.reword(At("pack", "stage", sid, b.title, b.loc, in_pack), "名称",
                              a.title, b.title, judge=False)


SPEC = Spec(
    "pack", compare, group="pack", element="pack", documents=False,
    items={"governing_documents": "governing_document", "principles": "principle",
           "stages": "stage"},
    fields=(
        "version", "effective_date", "title", "owner", "summary", "definition.text",
        "governing_documents[].binding", "governing_documents[].title",
        "stages[].title", "stages@order", "principles[].title", "principles[].summary",
        "principles[].description",
        *provenance_at("", "governing_documents[]", "principles[]", "stages[]"),
    ),
)
