"""``register``: a data export the bank has (``registers/*.yaml``): its typed columns,
key, the file's headers and its source system. ``policybook audit`` reads CSV or
Parquet files through it; controls (``controls``) name its columns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from generator.kinds import _walk
from generator.kinds.registry import Kind, Target
from generator.model import Model
from generator.model.elements import Element
from generator.model.refs import Ref
from generator.model.register_builders import build_register

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def column_ids(model: Model) -> Iterator[str]:
    """Every column as ``register.column``: the id space of column references."""
    for reg in model.registers.values():
        for col in reg.columns:
            yield f"{reg.id}.{col.id}"


def column_ref(model: Model, register: str, column: str, ref: Ref) -> Iterator[Ref]:
    """A reference to ``column`` of ``register``, made only when the register exists
    (an unknown register is reported once, by ``ref.unknown-register``)."""
    if register in model.registers:
        yield replace(ref, target=f"{register}.{column}")


def _elements(model: Model) -> Iterator[Element]:
    return _walk.elements("register", model.registers, model)


def _refs(model: Model) -> Iterator[Ref]:
    for reg in model.registers.values():
        what = f"登记簿 {reg.id} 的"
        for i, key in enumerate(reg.key):
            yield from column_ref(model, reg.id, key,
                                  Ref("column", key, reg.loc, ("key", i), what + "主键"))
        if reg.unit_column:
            yield from column_ref(model, reg.id, reg.unit_column,
                                  Ref("column", reg.unit_column, reg.loc, ("unit_column",),
                                      what + "机构列"))


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    from generator.site.audit import register_pages

    return register_pages(site)


KIND = Kind(
    name="register", label="登记簿", label_en="Register", place="registers/",
    build=build_register, elements=_elements, element_labels={"register": "登记簿"},
    refs=_refs,
    targets=(Target("register", "登记簿", "登记簿在 registers/ 下定义,标识写在文件的 id。",
                    lambda m: m.registers),
             Target("column", "列", "列在登记簿的 columns 中定义(写作 登记簿.列)。",
                    column_ids)),
    diff=None, pages=_pages, printables=None,
)
