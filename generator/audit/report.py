"""An audit's result as text (people), JSON (tools), CSV (spreadsheets), Markdown
(a pull request or a wiki) or HTML (a page with charts). Each violation names its
register, the row's key, the rules it breaks with their citations and the parameter
values the control used; the summary gives, per rule, the rows checked, the
violations and their rate."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.audit.run import AuditResult, ControlResult, Violation
from generator.model import Model, Provenance


@dataclass(frozen=True, slots=True)
class RuleSummary:
    rule: str
    title: str
    citation: str
    controls: tuple[str, ...]
    checked: int
    violations: int

    @property
    def rate(self) -> float:
        return self.violations / self.checked if self.checked else 0.0


def citation(p: Provenance) -> str:
    if p.drafted:
        return "起草" + (f"(依据 {p.based_on})" if p.based_on else "")
    return p.citation


def rule_summaries(model: Model, result: AuditResult) -> list[RuleSummary]:
    by_rule: dict[str, list[ControlResult]] = {}
    for r in result.controls:
        for rule_id in r.control.rules:
            by_rule.setdefault(rule_id, []).append(r)
    out = []
    for rule_id in [r for r in model.rules if r in by_rule]:
        rule = model.rules[rule_id]
        results = by_rule[rule_id]
        out.append(RuleSummary(rule_id, model.text(rule.title), citation(rule.provenance),
                               tuple(r.control.id for r in results),
                               sum(r.checked for r in results),
                               sum(r.violations for r in results)))
    return out


def _parameters(model: Model, control_id: str) -> dict[str, str]:
    control = model.controls[control_id]
    return {p: model.parameters[p].display for p in control.parameters
            if p in model.parameters}


def _violation(model: Model, v: Violation) -> dict[str, Any]:
    control = model.controls[v.control]
    return {
        "control": v.control, "register": control.register, "key": v.key, "unit": v.unit,
        "rules": [{"id": r, "citation": citation(model.rules[r].provenance)}
                  for r in control.rules if r in model.rules],
        "parameters": _parameters(model, v.control), "detail": v.detail,
    }


def _percent(rate: float) -> str:
    return f"{rate * 100:.2f}%"


def to_json(model: Model, result: AuditResult) -> str:
    payload = {
        "pack": model.meta.id if model.meta else "", "as_of": result.as_of.isoformat(),
        "engine": result.engine,
        "files": {f.register.id: str(f.path) for f in result.files},
        "violations": [_violation(model, v) for v in result.violations],
        "controls": [{"control": r.control.id, "register": r.control.register,
                      "rules": list(r.control.rules), "checked": r.checked, "unit": r.unit,
                      "violations": r.violations, "by_unit": {
                          u: {"checked": n, "violations": r.violations_by_unit.get(u, 0)}
                          for u, n in sorted(r.checked_by_unit.items())}}
                     for r in result.controls],
        "rules": [{"rule": s.rule, "title": s.title, "citation": s.citation,
                   "controls": list(s.controls), "checked": s.checked,
                   "violations": s.violations, "rate": round(s.rate, 6)}
                  for s in rule_summaries(model, result)],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("control", "register", "key", "unit", "rules", "citations", "parameters",
               "detail")


def to_csv(model: Model, result: AuditResult) -> str:
    """One line per violation (opens in Excel/WPS with the BOM the command adds)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in result.violations:
        d = _violation(model, v)
        writer.writerow([d["control"], d["register"], d["key"], d["unit"],
                         "; ".join(r["id"] for r in d["rules"]),
                         "; ".join(r["citation"] for r in d["rules"]),
                         "; ".join(f"{k}={val}" for k, val in d["parameters"].items()),
                         d["detail"]])
    return buf.getvalue()


def _rule_line(s: RuleSummary) -> str:
    return (f"{s.rule} {s.title}({s.citation}):检查 {s.checked},违规 {s.violations},"
            f"违规率 {_percent(s.rate)}")


def to_text(model: Model, result: AuditResult) -> str:
    lines = []
    for v in result.violations:
        d = _violation(model, v)
        rules = "、".join(f"{r['id']} {r['citation']}" for r in d["rules"])
        params = ",".join(f"{k}={val}" for k, val in d["parameters"].items())
        lines.append(f"{d['register']} {v.key}: {v.control} 违反 {rules}"
                     + (f" [{params}]" if params else "") + (f":{v.detail}" if v.detail else ""))
    if lines:
        lines.append("")
    lines.append(f"审计基准日 {result.as_of.isoformat()},执行引擎 {result.engine}。各规则:")
    lines += ["  " + _rule_line(s) for s in rule_summaries(model, result)]
    total = len(result.violations)
    lines.append(f"共 {len(result.controls)} 项审计控制," +
                 (f"{total} 处违规。" if total else "未发现违规。"))
    return "\n".join(lines) + "\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(model: Model, result: AuditResult) -> str:
    title = model.meta.title if model.meta else ""
    out = [f"# 审计报告:{_cell(title)}", "",
           f"审计基准日 {result.as_of.isoformat()},执行引擎 {result.engine},"
           f"共 {len(result.violations)} 处违规。", "",
           "## 各规则", "", "| 规则 | 出处 | 控制 | 检查 | 违规 | 违规率 |",
           "| --- | --- | --- | ---: | ---: | ---: |"]
    for s in rule_summaries(model, result):
        out.append(f"| `{s.rule}` {_cell(s.title)} | {_cell(s.citation)} | "
                   f"{'<br>'.join(f'`{c}`' for c in s.controls)} | {s.checked} | "
                   f"{s.violations} | {_percent(s.rate)} |")
    out += ["", "## 违规明细", ""]
    if not result.violations:
        out.append("未发现违规。")
    else:
        out += ["| 控制 | 登记簿 | 主键 | 机构 | 规则 | 参数 | 明细 |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        for v in result.violations:
            d = _violation(model, v)
            out.append(
                f"| `{v.control}` | {d['register']} | {_cell(v.key)} | {_cell(v.unit)} | "
                + "<br>".join(f"{r['id']} {_cell(r['citation'])}" for r in d["rules"])
                + " | " + "<br>".join(f"{k}={_cell(val)}" for k, val in d["parameters"].items())
                + f" | {_cell(v.detail)} |")
    return "\n".join(out) + "\n"


def to_html(model: Model, result: AuditResult) -> str:
    from generator.audit.html import render_html

    return render_html(model, result)


FORMATS: dict[str, Callable[[Model, AuditResult], str]] = {
    "text": to_text, "json": to_json, "csv": to_csv, "markdown": to_markdown,
    "html": to_html,
}
