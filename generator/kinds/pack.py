"""``pack``: the pack's metadata (``pack.yaml``): owner, version, sources, the
governing documents, principles and named steps (stages)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import pack as spec
from generator.kinds.registry import Kind, Target
from generator.model import Loc, Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.printables.documents import Planner, Printable
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    m = model.meta
    if m is None:
        return
    yield Element(kind="pack", key=m.id, title=m.title, provenance=m.provenance, loc=m.loc)
    for g in m.governing_documents:
        yield Element(kind="governing_document", key=g.id, title=g.title,
                      provenance=g.provenance, loc=g.loc)
    for p in m.principles:
        yield Element(kind="principle", key=p.id, title=p.title, provenance=p.provenance,
                      loc=p.loc)
    for s in m.stages:
        yield Element(kind="stage", key=s.id, title=s.title, provenance=s.provenance, loc=s.loc)


def _refs(model: Model) -> Iterator[Ref]:
    m = model.meta
    if m is None:
        return
    yield from many("role", m.audience, m.loc, "audience", "政策包的适用对象")
    for source in m.sources:
        for sec in source.sections:
            base = Loc(m.loc.file, sec.line, sec.column, sec.pointer)
            yield from many("element", sec.covered_by, base, "covered_by",
                            f"来源文件 {source.id} 章节 {sec.citation} 的对应内容")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    from generator.site.selftest import selftest_pages  # the site imports the kinds

    yield site.home()
    yield site.overview()
    yield from selftest_pages(site)  # 自测: from the pack's tables, rules, flows


def _printables(planner: Planner) -> Iterator[Printable]:
    from generator.printables.selftest import selftest_printables  # printables import kinds

    yield from selftest_printables(planner)  # 自测 with its answer key


KIND = Kind(
    name="pack", label="政策包", label_en="Policy pack", place="pack.yaml",
    build=BUILDERS["pack"], elements=_elements,
    element_labels={"pack": "政策包", "governing_document": "依据制度", "principle": "原则",
                    "stage": "命名环节", "definition": "定义"},
    refs=_refs,
    targets=(Target("stage", "命名环节", "命名环节在 pack.yaml 的 stages 中定义。",
                    lambda m: [s.id for s in m.meta.stages] if m.meta else []),),
    diff=spec.SPEC, pages=_pages, printables=_printables,
)
