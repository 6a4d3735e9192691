"""Parameters: a threshold or limit is part of the obligation that cites it."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.changes import Change
from generator.diff.engine import At, Context, Field, Spec, Text, aspects, pairs
from generator.diff.specs.provenance import provenance_at


def _direction(comparison: str, old: float, new: float) -> str:
    if comparison not in ("min", "max") or old == new:
        return ""
    up = new > old
    if comparison == "min":
        return "门槛提高(收紧)" if up else "门槛降低(放宽)"
    return "上限提高(放宽)" if up else "上限降低(收紧)"


_PARAMETER = (
    Field("比较方式", lambda p: p.comparison, True, "比较方式改变"),
    Text("名称", lambda p: p.title),
    Text("说明", lambda p: p.description),
)


def compare(ctx: Context) -> Iterator[Change]:
    for pid, a, b in pairs(ctx.old.parameters, ctx.new.parameters):
        el = b or a
        at = At("parameters", "parameter", pid, el.title, el.loc)
        if a is None or b is None:
            yield at.change("added" if a is None else "removed", material=True,
                            reason="门槛或上限是义务的一部分",
                            old="" if a is None else a.display,
                            new="" if b is None else b.display)
            continue
        if (a.value, a.unit) != (b.value, b.unit):
            yield at.change("changed", material=True,
                            reason=_direction(b.comparison, float(a.value), float(b.value))
                            or "取值改变", aspect="取值", old=a.display, new=b.display)
        yield from aspects(ctx, at, a, b, _PARAMETER)


SPEC = Spec(
    "parameters", compare, group="parameters", items={"parameters": "parameter"},
    fields=("parameters[].value", "parameters[].unit", "parameters[].comparison",
            "parameters[].title", "parameters[].description",
            *provenance_at("parameters[]")),
)
