"""Rules: what must be done, and the paths a flow must take; and the categories they
are listed under."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.diff.changes import Change
from generator.diff.engine import (
    At,
    Context,
    Field,
    Spec,
    Text,
    aspects,
    listed,
    or_none,
    pairs,
    presence,
)
from generator.diff.specs.provenance import provenance_at


def _constraints(rule: Any) -> str:
    return ";".join(
        f"{c.flow} 到达 {listed(c.to)} 前须依次经过 "
        + " → ".join(w.describe() for w in c.in_order) for c in rule.constraints)


_RULE = (
    Text("正文", lambda r: r.text, judge=True),
    Text("标题", lambda r: r.title),
    Field("类别", lambda r: r.category, False, "规则的分组"),
    Field("路径约束", _constraints, True, "必经环节或其顺序的要求改变",
          show=or_none),
)
_CATEGORY = (
    Text("名称", lambda c: c.title),
    Text("英文名称", lambda c: c.title_en),
    Text("说明", lambda c: c.description),
)


def compare(ctx: Context) -> Iterator[Change]:
    for cid, x, y in pairs(ctx.old.categories, ctx.new.categories):
        cat = y or x
        at = At("rules", "category", cid, cat.title, cat.loc)
        if x is None or y is None:
            yield presence(at, x, material=False, reason="规则的分组", shown=cat.title)
            continue
        yield from aspects(ctx, at, x, y, _CATEGORY)
    for rid, a, b in pairs(ctx.old.rules, ctx.new.rules):
        el = b or a
        at = At("rules", "rule", rid, el.title, el.loc)
        if a is None or b is None:
            yield at.change("added" if a is None else "removed", material=True,
                            reason="规则是必须遵守的要求",
                            old="" if a is None else ctx.old.text(a.text),
                            new="" if b is None else ctx.new.text(b.text))
            continue
        yield from aspects(ctx, at, a, b, _RULE)


SPEC = Spec(
    "rules", compare, group="rules", items={"rules": "rule", "categories": "category"},
    fields=("categories[].title", "categories[].title_en", "categories[].description",
            "rules[].text", "rules[].title", "rules[].category", "rules[].constraints",
            *provenance_at("rules[]")),
)
