"""Provenance of every element that carries one: drafted → sourced is adoption
(material), and a changed citation is editorial."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.changes import Change
from generator.diff.engine import Context, title_of
from generator.diff.groups import group_of
from generator.model import Provenance


def provenance_at(*elements: str) -> tuple[str, ...]:
    """The YAML fields :func:`compare` covers for elements at these paths (``""`` is
    the document itself): which of ``sourced``/``drafted`` is given, and the citation."""
    out: list[str] = []
    for path in elements:
        base = f"{path}.provenance" if path else "provenance"
        out += [f"{base}.sourced", f"{base}.drafted?", f"{base}.based_on?"]
    return tuple(out)


def _describe(p: Provenance) -> str:
    if p.drafted:
        return "起草" + (f"(依据 {p.based_on})" if p.based_on else "")
    return "出处 " + p.citation


def compare(ctx: Context) -> Iterator[Change]:
    old = {(kind, ident): (prov, loc) for kind, ident, prov, loc in ctx.old.elements()}
    for kind, ident, prov, loc in ctx.new.elements():
        if (kind, ident) not in old:
            continue
        before, _ = old[(kind, ident)]
        if before.inherited and prov.inherited:
            continue  # reported once, on the element it is inherited from
        group = group_of(ctx.new, kind, ident)
        title = title_of(ctx.new, kind, ident)
        elements = ((kind, ident),)
        steps = (ident,) if kind == "step" else ()
        if before.status != prov.status:
            adopted = before.drafted and not prov.drafted
            yield Change(group, kind, ident, title, "adopted" if adopted else "unadopted",
                         material=True,
                         reason="起草内容被采纳为依据来源文件的正式要求" if adopted
                         else "内容改为起草,审定前不作为制度执行",
                         aspect="来源", old=_describe(before), new=_describe(prov),
                         elements=elements, loc=loc, steps=steps)
        elif prov.status == "sourced" and before.citation != prov.citation:
            yield Change(group, kind, ident, title, "changed", material=False, reason="出处标注",
                         aspect="出处", old=before.citation, new=prov.citation,
                         elements=elements, loc=loc, steps=steps)
