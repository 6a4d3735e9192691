"""Provenance: what the project drafted is counted and listed for review, and every
citation names a section that the source deck really has."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from generator import deck
from generator.checks import check
from generator.checks._common import at
from generator.diagnostics import Diagnostic, Severity
from generator.model import Model
from generator.trace import KIND_LABELS, drafted_elements, own_provenance


@check("provenance.drafted", "起草内容须经政策负责人审定(汇总为一条警告;--strict 时视为失败)。")
def drafted(model: Model) -> Iterator[Diagnostic]:
    links = drafted_elements(model)
    if not links or model.meta is None:
        return
    counts = Counter(link.kind for link in links)
    related = ["按类型:"] + [f"  {KIND_LABELS.get(k, k)}({k}):{n}" for k, n in
                             sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    yield at(model, model.meta.loc, "provenance", key=True).diagnostic(
        "provenance.drafted",
        f"政策包中有 {len(links)} 项起草内容,尚未经负责部门审定。",
        "逐项审定后把 provenance 改为 sourced(注明出处)或保留 drafted 并由负责部门批准;"
        "`policybook trace --format markdown` 列出全部起草内容。",
        severity=Severity.WARNING, related=tuple(related))


@check("provenance.unknown-section", "引用的源课件章节在课件中确实存在。")
def unknown_section(model: Model) -> Iterator[Diagnostic]:
    for _kind, _key, _title, prov, loc in own_provenance(model):
        citation, field = ((prov.based_on, "based_on") if prov.drafted
                           else (prov.citation, "sourced"))
        if not citation or deck.section(citation) is not None:
            continue
        part = deck.part_of(citation)
        siblings = [s.citation for s in deck.SECTIONS if s.part == part] if part else []
        yield at(model, loc, "provenance", field).diagnostic(
            "provenance.unknown-section",
            f"源课件中没有章节 “{citation}”。",
            ("该部分的章节有:" + "、".join(siblings) + "。") if siblings
            else "出处写作「第X部分 章节」,如「第二部分 四(六)3」。")
