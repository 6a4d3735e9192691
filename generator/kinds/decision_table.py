"""``decision_table``: an executable decision table (``decisions/*.yaml``): typed
inputs, outputs, and rows of numeric intervals and enumerations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import decisions as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind, Target
from generator.model import Bound, Condition, Interval, Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    yield from _walk.elements("decision_table", model.decision_tables, model)
    for table in model.decision_tables.values():
        for row in table.rows:
            yield Element(kind="decision_row", key=f"{table.id}/{row.id}",
                          title=row.note or row.id, provenance=row.provenance, loc=row.loc)


def _bounds(cond: Condition) -> Iterator[tuple[str, Bound]]:
    if isinstance(cond, Interval):
        if cond.low is not None:
            yield ("gte" if cond.low_inclusive else "gt"), cond.low
        if cond.high is not None:
            yield ("lte" if cond.high_inclusive else "lt"), cond.high


def _refs(model: Model) -> Iterator[Ref]:
    for table in model.decision_tables.values():
        yield from many("rule", table.rules, table.loc, "rules", f"决策表 {table.id} 的依据规则")
        for row in table.rows:
            yield from many("rule", row.rules, row.loc, "rules",
                            f"决策表 {table.id} 第 {row.id} 行的依据规则")
            for name, cond in row.when.items():
                for bound_key, bound in _bounds(cond):
                    if bound.parameter:
                        yield Ref("parameter", bound.parameter, cond.loc, (bound_key,),
                                  f"决策表 {table.id} 第 {row.id} 行 {name} 的界限")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    for table in site.model.decision_tables.values():
        yield site.decision(table)


KIND = Kind(
    name="decision_table", label="决策表", label_en="Decision table", place="decisions/",
    build=BUILDERS["decision_table"], elements=_elements,
    element_labels={"decision_table": "决策表", "decision_row": "决策行",
                    "decision_input": "决策输入", "decision_output": "决策输出"},
    refs=_refs,
    targets=(Target("decision_table", "决策表", "决策表在 decisions/ 下定义。",
                    lambda m: m.decision_tables),),
    diff=spec.SPEC, pages=_pages, printables=None,
)
