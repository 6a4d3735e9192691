"""Provenance: what the project drafted is counted and listed for review; every
citation names a source the pack declares and a section of that source's outline,
and every quote is the source's own words where the pack keeps the source's text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at
from generator.diagnostics import Diagnostic, Severity
from generator.model import Model
from generator.model.sources import squash
from generator.trace import drafted_elements, kind_label, own_provenance


@check("provenance.drafted", "起草内容须经政策负责人审定(汇总为一条警告;--strict 时视为失败)。")
def drafted(model: Model) -> Iterator[Diagnostic]:
    links = drafted_elements(model)
    if not links or model.meta is None:
        return
    counts = Counter(link.kind for link in links)
    related = ["按类型:"] + [f"  {kind_label(model, k)}({k}):{n}" for k, n in
                             sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    yield at(model, model.meta.loc, "provenance", key=True).diagnostic(
        "provenance.drafted",
        f"政策包中有 {len(links)} 项起草内容,尚未经负责部门审定。",
        "逐项审定后把 provenance 改为 sourced(注明出处)或保留 drafted 并由负责部门批准;"
        "`policybook trace --format markdown` 列出全部起草内容。",
        severity=Severity.WARNING, related=tuple(related))


@check("provenance.unknown-source", "出处所写的来源文件在 pack.yaml 的 sources 中声明。")
def unknown_source(model: Model) -> Iterator[Diagnostic]:
    meta = model.meta
    if meta is None:
        return
    known = [s.id for s in meta.sources]
    for _kind, _key, _title, prov, loc in own_provenance(model):
        cited = prov.citation if not prov.drafted else prov.based_on
        if not (cited or prov.source) or meta.source(prov.source) is not None:
            continue
        if prov.source:
            yield at(model, loc, "provenance", "source").diagnostic(
                "provenance.unknown-source",
                f"出处引用了未声明的来源文件 “{prov.source}”。",
                ("已声明的来源文件有:" + "、".join(known) + "。") if known
                else "在 pack.yaml 的 sources 中声明来源文件(id、标题、类型和章节目录)。")
        else:
            yield at(model, loc, "provenance").diagnostic(
                "provenance.unknown-source",
                f"出处 “{cited}” 没有可引用的来源文件:pack.yaml 没有声明 sources。",
                "在 pack.yaml 的 sources 中声明来源文件及其章节目录;"
                "没有来源的内容写 provenance: {drafted: …}。")


@check("provenance.unknown-section", "引用的章节在来源文件的目录中确实存在。")
def unknown_section(model: Model) -> Iterator[Diagnostic]:
    meta = model.meta
    if meta is None:
        return
    for _kind, _key, _title, prov, loc in own_provenance(model):
        citation, field = ((prov.based_on, "based_on") if prov.drafted
                           else (prov.citation, "sourced"))
        source = meta.source(prov.source)
        if not citation or source is None or source.section(citation) is not None:
            continue
        near = [s.citation for s in source.siblings(citation)]
        yield at(model, loc, "provenance", field).diagnostic(
            "provenance.unknown-section",
            f"来源文件《{source.title}》的目录中没有章节 “{citation}”。",
            ("相近的章节有:" + "、".join(near) + "。" if near else "")
            + "章节写成目录(pack.yaml 中 sources 的 outline)里的样子;"
              "目录缺了这一节就先在目录中补上。")


@check("provenance.quote-mismatch", "引用的原文与来源文件的文本逐字一致(忽略空白)。")
def quote_mismatch(model: Model) -> Iterator[Diagnostic]:
    meta = model.meta
    if meta is None:
        return
    texts = {s.id: squash(s.text) for s in meta.sources if s.text is not None}
    if not texts:
        return
    for _kind, _key, _title, prov, loc in own_provenance(model):
        source = meta.source(prov.source)
        if not prov.quote or source is None or source.id not in texts:
            continue
        if squash(prov.quote) in texts[source.id]:
            continue
        yield at(model, loc, "provenance", "quote").diagnostic(
            "provenance.quote-mismatch",
            f"原文 “{_short(prov.quote)}” 在来源文件《{source.title}》({source.file})中找不到。",
            "quote 须逐字摘自来源文件(空白可以不同);不是原话的内容请改为 "
            "provenance: {drafted: …, based_on: <章节>}。")


@check("source.duplicate-section", "来源文件目录中的每个章节只出现一次。")
def duplicate_section(model: Model) -> Iterator[Diagnostic]:
    meta = model.meta
    if meta is None:
        return
    for source in meta.sources:
        seen: dict[str, int] = {}
        for sec in source.sections:
            if sec.key in seen:
                yield at(model, meta.loc, *_tokens(sec.pointer), "section").diagnostic(
                    "source.duplicate-section",
                    f"来源文件 {source.id} 的目录中章节 “{sec.citation}” 出现了两次"
                    f"(第一次在第 {seen[sec.key]} 行)。",
                    "每个章节在目录中只写一次;下级章节写在上级章节的 sections 里。")
            else:
                seen[sec.key] = sec.line


def _tokens(pointer: str) -> list[str]:
    return [t for t in pointer.split("/") if t]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"

