"""An audit's result as text (people), JSON (tools), CSV (spreadsheets), Markdown
(a pull request or a wiki) or HTML (a page with charts). Each violation names its
register, the row's key, the rules it breaks with their citations and the parameter
values the control used; the summary gives, per rule, what was checked (rows, or groups
for a rule whose controls all check groups), the violations and their rate.

Every writer reads the violations as the engine streams them and writes them as they
come (text, CSV and JSON: all of them), or keeps the first :data:`SHOWN_PER_CONTROL` of
each control (Markdown and HTML: pages people read, which say how many there are in
all); the summary is written last, when the counts are complete."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from generator.audit.run import AuditResult, Violation
from generator.model import Model, Provenance

SHOWN_PER_CONTROL = 50
"""Markdown and HTML list at most this many violations of each control."""


@dataclass(frozen=True, slots=True)
class RuleSummary:
    rule: str
    title: str
    citation: str
    controls: tuple[str, ...]
    unit: str
    """行 (rows) or 组 (groups): what ``checked`` and ``violations`` count."""
    checked: int
    violations: int
    checked_by_unit: dict[str, int]
    violations_by_unit: dict[str, int]

    @property
    def rate(self) -> float:
        return self.violations / self.checked if self.checked else 0.0


def citation(p: Provenance) -> str:
    if p.drafted:
        return "起草" + (f"(依据 {p.based_on})" if p.based_on else "")
    return p.citation


def rule_summaries(model: Model, result: AuditResult) -> list[RuleSummary]:
    controls: dict[str, list[str]] = {}
    for r in result.controls:
        for rule_id in r.control.rules:
            controls.setdefault(rule_id, []).append(r.control.id)
    out = []
    for rule_id in [r for r in model.rules if r in result.rules]:
        rule, counts = model.rules[rule_id], result.rules[rule_id]
        out.append(RuleSummary(rule_id, model.text(rule.title), citation(rule.provenance),
                               tuple(controls.get(rule_id, ())), counts.unit, counts.checked,
                               counts.violations, counts.checked_by_unit,
                               counts.violations_by_unit))
    return out


def _parameters(model: Model, control_id: str) -> dict[str, str]:
    control = model.controls[control_id]
    return {p: model.parameters[p].display for p in control.parameters
            if p in model.parameters}


def violation_record(model: Model, v: Violation) -> dict[str, Any]:
    control = model.controls[v.control]
    return {
        "control": v.control, "register": control.register, "key": v.key, "unit": v.unit,
        "rules": [{"id": r, "citation": citation(model.rules[r].provenance)}
                  for r in control.rules if r in model.rules],
        "parameters": _parameters(model, v.control), "detail": v.detail,
    }


def percent(rate: float) -> str:
    return f"{rate * 100:.2f}%"


def write_json(model: Model, result: AuditResult, out: TextIO) -> None:
    head = {"pack": model.meta.id if model.meta else "", "as_of": result.as_of.isoformat(),
            "engine": result.engine,
            "files": {f.register.id: str(f.path) for f in result.files}}
    out.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "violations": [')
    for n, v in enumerate(result.violations):
        out.write(("," if n else "") + "\n    "
                  + json.dumps(violation_record(model, v), ensure_ascii=False))
    tail = {
        "controls": [{"control": r.control.id, "register": r.control.register,
                      "rules": list(r.control.rules), "checked": r.checked, "unit": r.unit,
                      "violations": r.violations, "by_unit": {
                          u: {"checked": n, "violations": r.violations_by_unit.get(u, 0)}
                          for u, n in sorted(r.checked_by_unit.items())}}
                     for r in result.controls],
        "rules": [{"rule": s.rule, "title": s.title, "citation": s.citation,
                   "controls": list(s.controls), "unit": s.unit, "checked": s.checked,
                   "violations": s.violations, "rate": round(s.rate, 6)}
                  for s in rule_summaries(model, result)],
        "violations_total": result.total,
    }
    out.write("\n  ],\n" + json.dumps(tail, ensure_ascii=False, indent=2)[2:] + "\n")


CSV_COLUMNS = ("control", "register", "key", "unit", "rules", "citations", "parameters",
               "detail")


def write_csv(model: Model, result: AuditResult, out: TextIO) -> None:
    """One line per violation (opens in Excel/WPS with the BOM the command adds)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in result.violations:
        d = violation_record(model, v)
        writer.writerow([d["control"], d["register"], d["key"], d["unit"],
                         "; ".join(r["id"] for r in d["rules"]),
                         "; ".join(r["citation"] for r in d["rules"]),
                         "; ".join(f"{k}={val}" for k, val in d["parameters"].items()),
                         d["detail"]])


def _rule_line(s: RuleSummary) -> str:
    return (f"{s.rule} {s.title}({s.citation}):检查 {s.checked} {s.unit},"
            f"违规 {s.violations} {s.unit},违规率 {percent(s.rate)}")


def write_text(model: Model, result: AuditResult, out: TextIO) -> None:
    n = 0
    for v in result.violations:
        d = violation_record(model, v)
        rules = "、".join(f"{r['id']} {r['citation']}" for r in d["rules"])
        params = ",".join(f"{k}={val}" for k, val in d["parameters"].items())
        out.write(f"{d['register']} {v.key}: {v.control} 违反 {rules}"
                  + (f" [{params}]" if params else "")
                  + (f":{v.detail}" if v.detail else "") + "\n")
        n += 1
    if n:
        out.write("\n")
    lines = [f"审计基准日 {result.as_of.isoformat()},执行引擎 {result.engine}。"
             "各规则(按行计;控制全部按组检查的规则按组计):"]
    lines += ["  " + _rule_line(s) for s in rule_summaries(model, result)]
    lines.append(f"共 {len(result.controls)} 项审计控制," +
                 (f"{result.total} 处违规。" if result.total else "未发现违规。"))
    out.write("\n".join(lines) + "\n")


def first_per_control(result: AuditResult, limit: int = SHOWN_PER_CONTROL
                      ) -> dict[str, list[Violation]]:
    """The first ``limit`` violations of each control, reading them all (as they come)."""
    kept: dict[str, list[Violation]] = {r.control.id: [] for r in result.controls}
    for v in result.violations:
        if len(kept[v.control]) < limit:
            kept[v.control].append(v)
    return kept


def shown_note(result: AuditResult, kept: dict[str, list[Violation]]) -> str:
    cut = [r for r in result.controls if r.violations > len(kept[r.control.id])]
    if not cut:
        return ""
    return (f"共 {result.total} 处违规;每项控制只列出前 {SHOWN_PER_CONTROL} 处("
            + "、".join(f"{r.control.id} 共 {r.violations} 处" for r in cut)
            + "),全部明细请用 --format csv 或 json。")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_markdown(model: Model, result: AuditResult, out: TextIO) -> None:
    kept = first_per_control(result)
    title = model.meta.title if model.meta else ""
    lines = [f"# 审计报告:{_cell(title)}", "",
             f"审计基准日 {result.as_of.isoformat()},执行引擎 {result.engine},"
             f"共 {result.total} 处违规。", "",
             "## 各规则", "",
             "| 规则 | 出处 | 控制 | 检查(行或组) | 违规(同一单位) | 违规率 |",
             "| --- | --- | --- | ---: | ---: | ---: |"]
    for s in rule_summaries(model, result):
        lines.append(f"| `{s.rule}` {_cell(s.title)} | {_cell(s.citation)} | "
                     f"{'<br>'.join(f'`{c}`' for c in s.controls)} | {s.checked} {s.unit} | "
                     f"{s.violations} {s.unit} | {percent(s.rate)} |")
    lines += ["", "## 违规明细", ""]
    if not result.total:
        lines.append("未发现违规。")
    else:
        if note := shown_note(result, kept):
            lines += [note, ""]
        lines += ["| 控制 | 登记簿 | 主键 | 机构 | 规则 | 参数 | 明细 |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for v in (v for vs in kept.values() for v in vs):
            d = violation_record(model, v)
            lines.append(
                f"| `{v.control}` | {d['register']} | {_cell(v.key)} | {_cell(v.unit)} | "
                + "<br>".join(f"{r['id']} {_cell(r['citation'])}" for r in d["rules"])
                + " | " + "<br>".join(f"{k}={_cell(val)}" for k, val in d["parameters"].items())
                + f" | {_cell(v.detail)} |")
    out.write("\n".join(lines) + "\n")


def write_html(model: Model, result: AuditResult, out: TextIO) -> None:
    from generator.audit.html import render_html

    out.write(render_html(model, result, first_per_control(result)))


FORMATS: dict[str, Callable[[Model, AuditResult, TextIO], None]] = {
    "text": write_text, "json": write_json, "csv": write_csv, "markdown": write_markdown,
    "html": write_html,
}
STREAMED = ("text", "json", "csv")
"""The formats that write every violation."""
