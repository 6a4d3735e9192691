"""Test cases check the rules; they are not obligations themselves."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.changes import Change
from generator.diff.engine import At, Context, Spec, pairs, presence
from generator.diff.specs.provenance import provenance_at

_WHY = "测试案例验证规则,本身不是义务"


def compare(ctx: Context) -> Iterator[Change]:
    for cid, a, b in pairs(ctx.old.cases, ctx.new.cases):
        el = b or a
        at = At("cases", "case", cid, el.title, el.loc)
        if a is None or b is None:
            yield presence(at, a, material=False, reason=_WHY)
        elif (a.target, dict(a.written), dict(a.expect)) != (b.target, dict(b.written),
                                                             dict(b.expect)):
            yield at.change("changed", material=False, reason=_WHY, aspect="输入与预期")


SPEC = Spec(
    "cases", compare, group="cases", items={"cases": "case"},
    fields=(*(f"cases[].{name}" for name in (
        "decision", "questionnaire", "flow", "input", "answers", "choices", "expect")),
        # A case takes the provenance of its file.
        *provenance_at("")),
)
