"""A kind added to the language by this one module plus its schema
(``register.schema.json`` beside it): a data register kept at a step, with columns.

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
class Register:
    id: str
    title: str
    step: str
    columns: tuple[tuple[str, str, bool], ...]
    provenance: Provenance
    loc: Loc


def build(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    loc = b.loc("")
    if b.register("register", d["id"], loc, "登记簿"):
        model.collection("register")[d["id"]] = Register(
            id=d["id"], title=d["title"], step=d["step"],
            columns=tuple((c["id"], c["title"], c["required"]) for c in d["columns"]),
            provenance=b.provenance(d), loc=loc)


def registers(model: Model) -> dict[str, Register]:
    return model.collection("register")


def elements(model: Model) -> Iterator[Element]:
    for r in registers(model).values():
        yield Element(kind="register", key=r.id, title=r.title, provenance=r.provenance,
                      loc=r.loc)


def refs(model: Model) -> Iterator[Ref]:
    for r in registers(model).values():
        yield Ref("step", r.step, r.loc, ("step",), f"登记簿 {r.id} 的登记环节")


def pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    for r in registers(site.model).values():
        rows = "\n".join(f"| {md(title)} | {'必填' if required else '选填'} |"
                         for _id, title, required in r.columns)
        yield GeneratedPage(f"registers/{r.id}.md", r.title,
                            f"# {md(r.title)}\n\n| 列 | 要求 |\n| --- | --- |\n{rows}\n")


KIND = Kind(
    name="register", label="登记簿", label_en="Register", place="registers/",
    build=build, elements=elements, element_labels={"register": "登记簿"}, refs=refs,
    targets=(Target("register", "登记簿", "登记簿在 registers/ 下定义。", registers),),
    diff=None, pages=pages, printables=None,
    schema=Path(__file__).with_name("register.schema.json"),
)
