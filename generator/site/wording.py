"""What staff read instead of machine codes: the model's ids and values in the model's
own words (titles), for the handbook's pages.

A path constraint reads "到达「…」之前，必须经过「…」得出「…」", a decision row
"第 6 行（不予准入）", a test case's inputs "审批情况：未报批" and amounts with their unit
(``999,999.99元（100万元 − 0.01元）``), a flow case's expectation "结束于「…」；途经：…".
An id may still appear, as small secondary text (:func:`secondary`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.model import Case, DecisionTable, Model, Parameter, Row
from generator.model.flows import RESULT_TITLES
from generator.model.parameters import format_quantity
from generator.model.rules import Constraint, Waypoint
from generator.site.markup import Markup, md

if TYPE_CHECKING:
    from generator.site.links import Links

_BREAK_AFTER = re.compile(r"([_./-])")


def secondary(value: object) -> Markup:
    """An id as small secondary text: it may wrap only after ``_``, ``.``, ``/`` or ``-``,
    never inside a word (``min_financi/al_assets``)."""
    text = _BREAK_AFTER.sub(r"\1<wbr>", md(value))
    return Markup(f'<span class="pb-id">{text}</span>')


def result(value: str) -> str:
    """An end step's result (``opened``) in words."""
    return RESULT_TITLES.get(value, value)


# --- path constraints ------------------------------------------------------------------


def waypoint(model: Model, links: Links, w: Waypoint) -> Markup:
    if w.any_of:
        return Markup("，或").join(waypoint(model, links, x) for x in w.any_of)
    if w.stage:
        return Markup("命名环节") + links.stage(w.stage)
    step = model.steps.get(w.step)
    outcome = next((o for o in step.outcomes if o.id == w.outcome), None) if step else None
    if outcome is not None:
        return links.step(w.step) + Markup(f"得出“{md(model.text(outcome.title))}”")
    return links.step(w.step)


def constraint(model: Model, links: Links, c: Constraint) -> Markup:
    """``在[流程]中，到达[环节]之前，必须依次经过：[环节]得出“结果”；然后[环节]``."""
    ends = Markup("或").join(links.step(s) for s in c.to)
    places = [waypoint(model, links, w) for w in c.in_order]
    flow = Markup("在") + links.flow(c.flow) + Markup("中，") if c.flow in model.flows else ""
    order = "必须依次经过：" if len(places) > 1 else "必须经过："
    return Markup(f"{flow}到达{ends}之前，{order}") + Markup("；然后").join(places)


# --- decision rows and cases ---------------------------------------------------------------


def row_number(table: DecisionTable, row_id: str) -> int:
    return next((i + 1 for i, r in enumerate(table.rows) if r.id == row_id), 0)


def row_label(table: DecisionTable, row: Row) -> str:
    """``第 6 行（不予准入）``: the row by its number on the table, with its outcome."""
    outcomes = []
    for out in table.outputs:
        value = row.then.get(out.id, "")
        titles = {v.id: v.title for v in out.values}
        if value:
            outcomes.append(titles.get(value, value))
    return f"第 {row_number(table, row.id)} 行" + (f"（{'、'.join(outcomes)}）" if outcomes else "")


def quantity(value: float | int, unit: str) -> str:
    """An amount as a bank writes it: ``100万元``, ``999,999.99元``, ``12个月``."""
    number = float(value)
    if unit == "元" and not number.is_integer():
        return f"{number:,.2f}元"
    return format_quantity(value, unit)


def _relative(written: Any, parameters: Mapping[str, Parameter], unit: str) -> str:
    """``100万元 − 0.01元``: an input written relative to a parameter, every number with
    its unit."""
    param = parameters.get(written.get("param", ""))
    text = param.display if param else str(written.get("param", ""))
    times, offset = written.get("times", 1), written.get("offset", 0)
    if times != 1:
        text = f"{times:g} × {text}"
    if offset:
        text += f" {'−' if offset < 0 else '+'} {quantity(abs(offset), unit)}"
    return text


def decision_inputs(model: Model, table: DecisionTable, case: Case) -> list[str]:
    """A decision case's inputs as ``审批情况：未报批``, ``在本行金融资产：999,999.99元（…）``."""
    specs = {i.id: i for i in table.inputs}
    lines = []
    for name, value in case.given.items():
        spec = specs.get(name)
        if spec is None:
            lines.append(f"{name}：{value}")
        elif spec.type == "number" and isinstance(value, int | float):
            shown = quantity(value, spec.unit)
            written = case.written.get(name)
            relative = (_relative(written, model.parameters, spec.unit)
                        if isinstance(written, dict) else shown)
            if relative != shown:
                shown += f"（{relative}）"
            lines.append(f"{spec.title}：{shown}")
        else:
            titles = {v.id: v.title for v in spec.values}
            lines.append(f"{spec.title}：{titles.get(str(value), value)}")
    return lines


def decision_outputs(table: DecisionTable, expect: Mapping[str, Any]) -> list[str]:
    outs = {o.id: o for o in table.outputs}
    lines = []
    for name, value in expect.items():
        out = outs.get(name)
        titles = {v.id: v.title for v in out.values} if out else {}
        lines.append(f"{out.title if out else name}：{titles.get(str(value), value)}")
    return lines


def expectation(model: Model, links: Links, case: Case) -> list[Markup]:
    """What a case expects, in words, whatever it tests."""
    e = case.expect
    if case.kind == "decision":
        table = model.decision_tables.get(case.target)
        if table is None:
            return [Markup(md(f"{k}：{v}")) for k, v in e.items()]
        return [Markup(md(x)) for x in decision_outputs(table, e)]
    if case.kind == "questionnaire":
        quiz = model.questionnaires.get(case.target)
        lines: list[Markup] = []

        def level(level_id: object) -> str:
            lv = quiz.level(str(level_id)) if quiz else None
            return f"{level_id} {lv.title}" if lv else str(level_id)

        if "score" in e:
            lines.append(Markup(md(f"总分：{e['score']} 分")))
        if "band" in e:
            lines.append(Markup(md(f"分数段：{level(e['band'])}")))
        if "overrides" in e:
            titles = {o.id: o.title for o in quiz.overrides} if quiz else {}
            names = "、".join(f"“{titles.get(o, o)}”" for o in e["overrides"]) or "无"
            lines.append(Markup(md(f"覆盖规则：{names}")))
        if "level" in e:
            lines.append(Markup(md(f"{quiz.result_title if quiz else '等级'}：{level(e['level'])}")))
        return lines
    lines = []
    if "end" in e:
        lines.append(Markup("结束于") + links.step(str(e["end"])))
    if e.get("visits"):
        lines.append(Markup("途经：") + Markup("、").join(links.step(s) for s in e["visits"]))
    return lines
