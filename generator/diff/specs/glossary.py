"""The glossary: explanations, never obligations."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.changes import Change
from generator.diff.engine import At, Context, Spec, Text, aspects, pairs, presence
from generator.diff.specs.provenance import provenance_at

_TERM = (Text("术语", lambda t: t.term), Text("英文", lambda t: t.en),
         Text("释义", lambda t: t.definition))


def compare(ctx: Context) -> Iterator[Change]:
    for tid, a, b in pairs(ctx.old.terms, ctx.new.terms):
        el = b or a
        at = At("glossary", "term", tid, el.term, el.loc)
        if a is None or b is None:
            yield presence(at, a, material=False, reason="术语解释")
            continue
        yield from aspects(ctx, at, a, b, _TERM)


SPEC = Spec(
    "glossary", compare, group="glossary", items={"terms": "term"},
    fields=("terms[].term", "terms[].en", "terms[].definition", *provenance_at("terms[]")),
)
