"""Target clients: the standard, and where such clients come from and how they are
found and developed."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.changes import Change
from generator.diff.engine import At, Context, Spec, Text, aspects, by_id, pairs, presence
from generator.diff.specs.provenance import provenance_at

_LISTS = ("sources", "mining", "development")
_TOPIC = (
    Text("名称", lambda t: t.title), Text("说明", lambda t: t.description),
    Text("信号", lambda t: t.signal), Text("标准", lambda t: t.criterion),
    Text("做法", lambda t: t.action),
)


def compare(ctx: Context) -> Iterator[Change]:
    old, new = ctx.old.target_clients, ctx.new.target_clients
    if not (old and new):
        return
    g, els = "target_clients", (("target_clients", new.id),)
    yield from ctx.reword(At(g, "target_clients", new.id, new.title, new.loc), "目标客户标准",
                          old.standard, new.standard)
    old_topics = by_id((*old.sources, *old.mining, *old.development))
    new_topics = by_id((*new.sources, *new.mining, *new.development))
    for tid, a, b in pairs(old_topics, new_topics):
        el = b or a
        at = At(g, "target_topic", tid, el.title, el.loc, els)
        if a is None or b is None:
            yield presence(at, a, material=False, reason="目标客户的来源与挖掘方法")
            continue
        yield from aspects(ctx, at, a, b, _TOPIC)


SPEC = Spec(
    "target_clients", compare, group="target_clients", element="target_clients",
    documents=False,
    items={name: "target_topic" for name in _LISTS},
    fields=("standard.text",
            *(f"{name}[].{f}" for name in _LISTS
              for f in ("title", "description", "signal", "criterion", "action")),
            *provenance_at("", *(f"{name}[]" for name in _LISTS))),
)
