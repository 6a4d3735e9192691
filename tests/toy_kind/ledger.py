"""A kind added to the language by this one module plus its schema
(``ledger.schema.json`` beside it): a paper ledger kept at a step, with columns.

``tests/test_kinds.py`` registers it next to the built-in kinds and shows that every
layer picks it up: validation, the model, references, drafted content, the diff and
the handbook."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.kinds import Kind, Target
from generator.model import Loc, Model, Provenance
from generator.model.elements import Element
from generator.model.reader import DocumentReader
from generator.model.refs import Ref
from generator.site.markup import md
from generator.site.pages import GeneratedPage, SiteBuilder


@dataclass(frozen=True, slots=True)
class Ledger:
    id: str
    title: str
    step: str
    columns: tuple[tuple[str, str, bool], ...]
    provenance: Provenance
    loc: Loc


def build(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    loc = b.loc("")
    if b.register("ledger", d["id"], loc, "台账"):
        model.collection("ledger")[d["id"]] = Ledger(
            id=d["id"], title=d["title"], step=d["step"],
            columns=tuple((c["id"], c["title"], c["required"]) for c in d["columns"]),
            provenance=b.provenance(d), loc=loc)


def ledgers(model: Model) -> dict[str, Ledger]:
    return model.collection("ledger")


def elements(model: Model) -> Iterator[Element]:
    for r in ledgers(model).values():
        yield Element(kind="ledger", key=r.id, title=r.title, provenance=r.provenance,
                      loc=r.loc)


def refs(model: Model) -> Iterator[Ref]:
    for r in ledgers(model).values():
        yield Ref("step", r.step, r.loc, ("step",), f"台账 {r.id} 的登记环节")


def pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    for r in ledgers(site.model).values():
        rows = "\n".join(f"| {md(title)} | {'必填' if required else '选填'} |"
                         for _id, title, required in r.columns)
        yield GeneratedPage(f"ledgers/{r.id}.md", r.title,
                            f"# {md(r.title)}\n\n| 列 | 要求 |\n| --- | --- |\n{rows}\n")


KIND = Kind(
    name="ledger", label="台账", label_en="Ledger", place="ledgers/",
    build=build, elements=elements, element_labels={"ledger": "台账"}, refs=refs,
    targets=(Target("ledger", "台账", "台账在 ledgers/ 下定义。", ledgers),),
    diff=None, pages=pages, printables=None,
    schema=Path(__file__).with_name("ledger.schema.json"),
)
