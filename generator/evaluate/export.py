"""Decision tables and questionnaires as JSON data for the handbook's in-browser tools.

The data are the model's own (rows, intervals with their parameters resolved to
values, enumerations, bands); ``assets/policybook/tools.js`` is a generic interpreter
of them, so no rule is written a second time in JavaScript. ``tests/test_browser_tools.py``
proves the browser and :mod:`generator.evaluate` agree.
"""

from __future__ import annotations

import json
from typing import Any

from generator.evaluate.citations import rule_refs
from generator.evaluate.engine import check_row
from generator.evaluate.report import cite
from generator.model import DecisionTable, EnumSet, Interval, Model, Questionnaire

VERSION = 1


def _rules(model: Model, ids: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"id": r.id, "title": r.title, "cite": cite(r.citation)}
            for r in rule_refs(model, ids)]


def decision_data(model: Model, table: DecisionTable) -> dict[str, Any]:
    specs = {i.id: i for i in table.inputs}
    rows = []
    for row in table.rows:
        checks = {c.input: c for c in check_row(model, table, row, {}).checks}
        when: dict[str, Any] = {}
        for name, cond in row.when.items():
            if name not in specs:
                continue
            if isinstance(cond, Interval):
                when[name] = {
                    "type": "interval",
                    "low": cond.low.value if cond.low else None,
                    "low_inclusive": cond.low_inclusive,
                    "high": cond.high.value if cond.high else None,
                    "high_inclusive": cond.high_inclusive,
                    "shown": checks[name].condition, "written": checks[name].written}
            elif isinstance(cond, EnumSet):
                when[name] = {"type": "enum", "values": list(cond.values),
                              "shown": checks[name].condition}
        rows.append({"id": row.id, "note": model.text(row.note), "when": when,
                     "then": dict(row.then), "rules": _rules(model, row.rules or table.rules)})
    return {
        "version": VERSION, "kind": "decision", "id": table.id, "title": table.title,
        "inputs": [{"id": i.id, "title": i.title, "type": i.type, "unit": i.unit,
                    "minimum": i.minimum, "maximum": i.maximum,
                    "values": [{"id": v.id, "title": v.title} for v in i.values]}
                   for i in table.inputs],
        "outputs": [{"id": o.id, "title": o.title,
                     "values": [{"id": v.id, "title": v.title} for v in o.values]}
                    for o in table.outputs],
        "rows": rows,
    }


def questionnaire_data(model: Model, quiz: Questionnaire) -> dict[str, Any]:
    return {
        "version": VERSION, "kind": "questionnaire", "id": quiz.id, "title": quiz.title,
        "result_title": quiz.result_title, "allows_title": quiz.allows_title,
        "questions": [{"id": q.id, "text": model.text(q.text),
                       "answers": [{"id": a.id, "text": model.text(a.text), "score": a.score}
                                   for a in q.answers]} for q in quiz.questions],
        "levels": [{"id": lv.id, "title": lv.title, "min_score": lv.min_score,
                    "max_score": lv.max_score, "description": model.text(lv.description),
                    "allows": model.text(lv.allows)} for lv in quiz.levels],
        # In the order they apply; "rank" orders the levels from lowest (what a cap compares).
        "overrides": [{"id": o.id, "title": model.text(o.title), "effect": o.effect,
                       "level": o.level, "when": {q: list(a) for q, a in o.when.items()}}
                      for o in quiz.overrides],
        "rank": [lv.id for lv in quiz.ranked()],
        "rules": _rules(model, quiz.rules),
    }


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<`` can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

