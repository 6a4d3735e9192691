"""``controls``: declarative audit controls attached to rules (``controls/*.yaml``):
conditions on each row, counts and rates per group, references and time limits over
the registers, thresholds by parameter. ``check`` validates them against the
registers' columns and types; ``policybook audit`` compiles them to SQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.kinds import _walk
from generator.kinds.register import column_ref
from generator.kinds.registry import Kind
from generator.model import Model
from generator.model.elements import Element
from generator.model.refs import Ref, many
from generator.model.register_builders import build_controls
from generator.model.registers import Condition, Control

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def conditions(control: Control) -> Iterator[tuple[str, Condition]]:
    """(register, condition) of every condition of ``control``: its own register's,
    and the referenced register's for a reference's ``require``."""
    for cond in control.conditions():
        yield control.register, cond
    ref = control.reference
    if ref and ref.require:
        for cond in ref.require.walk():
            yield ref.register, cond


def _elements(model: Model) -> Iterator[Element]:
    return _walk.elements("control", model.controls, model)


def _condition_refs(model: Model, register: str, cond: Condition, what: str) -> Iterator[Ref]:
    if cond.column:
        yield from column_ref(model, register, cond.column,
                              Ref("column", cond.column, cond.loc, ("column",), what))
    if cond.to_column:
        yield from column_ref(model, register, cond.to_column,
                              Ref("column", cond.to_column, cond.loc, ("to_column",), what))
    if cond.param:
        yield Ref("parameter", cond.param, cond.loc, ("param",), what + "所用参数")


def _refs(model: Model) -> Iterator[Ref]:
    for c in model.controls.values():
        what = f"审计控制 {c.id} 的"
        yield from many("rule", c.rules, c.loc, "rules", what + "规则")
        yield Ref("register", c.register, c.loc, ("register",), what + "登记簿")
        for register, cond in conditions(c):
            yield from _condition_refs(model, register, cond, what + "条件")
        at = (c.check,)
        for i, col in enumerate(c.group_by):
            yield from column_ref(model, c.register, col,
                                  Ref("column", col, c.loc, (*at, "group_by", i), what + "分组"))
        if c.bound:
            yield Ref("parameter", c.bound.param, c.bound.loc, (), what + "限额参数")
        if ref := c.reference:
            yield from column_ref(model, c.register, ref.column,
                                  Ref("column", ref.column, ref.loc, ("column",), what + "引用列"))
            yield Ref("register", ref.register, ref.loc, ("register",), what + "被引用登记簿")
            for theirs, ours in ref.match:
                yield from column_ref(model, ref.register, theirs,
                                      Ref("column", theirs, ref.loc, ("match", theirs),
                                          what + "须一致的列", key=True))
                yield from column_ref(model, c.register, ours,
                                      Ref("column", ours, ref.loc, ("match", theirs),
                                          what + "须一致的列"))
        if w := c.within:
            for name in ("after", "date"):
                col = getattr(w, name)
                if col:
                    yield from column_ref(model, c.register, col,
                                          Ref("column", col, w.loc, (name,), what + "期限日期列"))
            yield Ref("parameter", w.period, w.loc, ("period",), what + "期限参数")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    from generator.site.audit import control_pages

    return control_pages(site)


KIND = Kind(
    name="controls", label="审计控制", label_en="Controls", place="controls/",
    build=build_controls, elements=_elements, element_labels={"control": "审计控制"},
    refs=_refs,
    targets=(),
    diff=None, pages=_pages, printables=None,
)
