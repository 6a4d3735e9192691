"""The audit report as one self-contained HTML file: a bar chart of the violation rate
of each rule, a heat map of the rate per unit (centre) and rule, the summary per rule,
and the first violations of each control. No script and no external asset (the site's
CSP forbids inline script): the charts are SVG drawn here, each with a title and a
description for screen readers, and each has its numbers in a table below it."""

from __future__ import annotations

import math

from generator.audit.report import (
    RuleSummary,
    percent,
    rule_summaries,
    shown_note,
    violation_record,
)
from generator.audit.run import AuditResult, Violation
from generator.escape import html_text as _e
from generator.model import Model

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;
max-width:72em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em}
th{background:#f3f3f3;text-align:left}td.n{text-align:right}.bad{color:#b00020}
figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.4em}
svg text{font-size:12px;fill:#222}svg .muted{fill:#666}
details{margin:.5em 0 1.5em}summary{cursor:pointer;color:#1a4f8a}
"""
HEAT_UNITS = 25
"""The heat map shows the units with the most violations, at most this many."""
_RED = (176, 0, 32)


def _svg_open(ident: str, width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg role="img" aria-labelledby="{ident}-t {ident}-d" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}-t">{_e(title)}</title>'
            f'<desc id="{ident}-d">{_e(desc)}</desc>')


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def rule_chart(summaries: list[RuleSummary]) -> str:
    """Horizontal bars, worst rule first; a rule without violations shows a green tick."""
    rows = sorted(summaries, key=lambda s: (-s.rate, s.rule))
    width, label_w, bar_w, step = 760, 300, 300, 26
    height = step * len(rows) + 30
    top = max((s.rate for s in rows), default=0.0) or 1.0
    worst = rows[0] if rows and rows[0].violations else None
    desc = (f"{len(rows)} 条规则的违规率" + (
        f",最高为 {worst.rule} {worst.title}:{percent(worst.rate)}" if worst
        else ",均无违规") + "。数值见下表。")
    parts = [_svg_open("rules", width, height, "各规则违规率", desc),
             f'<text x="{label_w}" y="14" class="muted">违规率(最高 {percent(top)} 为满格)'
             '</text>']
    for i, s in enumerate(rows):
        y = 24 + step * i
        w = max(2, round(bar_w * s.rate / top)) if s.violations else 0
        label = _short(f"{s.rule} {s.title}", 22)
        value = f"{percent(s.rate)}  {s.violations:,}/{s.checked:,} {s.unit}"
        parts.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">'
                     f'{_e(label)}</text>')
        if w:
            parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w}" height="16" '
                         f'fill="#b00020"/>')
        else:
            parts.append(f'<text x="{label_w}" y="{y + 14}" fill="#2e7d32">✓</text>')
        parts.append(f'<text x="{label_w + max(w, 12) + 6}" y="{y + 14}">{_e(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _colour(share: float) -> str:
    """White → red; the square root lets one violation in a thousand rows show."""
    t = math.sqrt(max(0.0, min(1.0, share)))
    r, g, b = (round(255 + (c - 255) * t) for c in _RED)
    return f"#{r:02x}{g:02x}{b:02x}"


def unit_chart(summaries: list[RuleSummary], units: list[str]) -> str:
    """A heat map: a row per unit, a column per rule; the colour is the unit's rate
    against the rule's worst unit, the number the violations."""
    cols = [s for s in summaries if s.checked_by_unit]
    cell_w, cell_h, label_w, head_h = 64, 22, 110, 110
    width = label_w + cell_w * len(cols) + 20
    height = head_h + cell_h * len(units) + 10
    desc = (f"{len(units)} 个机构 × {len(cols)} 条规则的违规率,颜色越深违规率越高"
            "(相对该规则违规率最高的机构),格中数字为违规数。数值见下表。")
    parts = [_svg_open("units", width, height, "各机构、各规则违规率", desc)]
    for j, s in enumerate(cols):
        x = label_w + cell_w * j + cell_w // 2
        parts.append(f'<text transform="translate({x},{head_h - 8}) rotate(-50)">'
                     f'{_e(_short(s.rule, 16))}</text>')
    for i, u in enumerate(units):
        y = head_h + cell_h * i
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
                     f'{_e(_short(u, 14))}</text>')
        for j, s in enumerate(cols):
            n, v = s.checked_by_unit.get(u, 0), s.violations_by_unit.get(u, 0)
            worst = max((s.violations_by_unit.get(w, 0) / c
                         for w, c in s.checked_by_unit.items() if c), default=0.0) or 1.0
            rate = v / n if n else 0.0
            x = label_w + cell_w * j
            fill = _colour(rate / worst) if n else "#eeeeee"
            parts.append(f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                         f'fill="{fill}"><title>{_e(f"{u} {s.rule}:{v}/{n} {s.unit},")}'
                         f'{_e(percent(rate))}</title></rect>')
            ink = "#ffffff" if n and rate / worst > 0.45 else "#222222"
            parts.append(f'<text x="{x + cell_w // 2 - 1}" y="{y + 15}" text-anchor="middle" '
                         f'fill="{ink}">{v if n else "—"}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _units_by_violations(summaries: list[RuleSummary]) -> list[str]:
    totals: dict[str, int] = {}
    for s in summaries:
        for u in s.checked_by_unit:
            totals[u] = totals.get(u, 0) + s.violations_by_unit.get(u, 0)
    return sorted(totals, key=lambda u: (-totals[u], u))


def _with_violations(summaries: list[RuleSummary], units: list[str]) -> list[str]:
    return [u for u in units if any(s.violations_by_unit.get(u) for s in summaries)]


def _rule_table(summaries: list[RuleSummary]) -> list[str]:
    out = ["<table><tr><th>规则</th><th>出处</th><th>控制</th><th>检查(行或组)</th>"
           "<th>违规(同一单位)</th><th>违规率</th></tr>"]
    for s in summaries:
        out.append(f"<tr><td>{_e(s.rule)} {_e(s.title)}</td><td>{_e(s.citation)}</td>"
                   f"<td>{_e(' '.join(s.controls))}</td><td class=n>{s.checked:,} {s.unit}</td>"
                   f"<td class=n>{s.violations:,} {s.unit}</td>"
                   f"<td class=n>{percent(s.rate)}</td></tr>")
    out.append("</table>")
    return out


def _unit_table(summaries: list[RuleSummary], units: list[str]) -> list[str]:
    cols = [s for s in summaries if s.checked_by_unit]
    out = ["<details><summary>各机构数据表(违规/检查)</summary><table><tr><th>机构</th>",
           *(f"<th>{_e(s.rule)}({s.unit})</th>" for s in cols), "</tr>"]
    for u in units:
        cells = "".join(
            f"<td class=n>{s.violations_by_unit.get(u, 0):,}/{s.checked_by_unit.get(u, 0):,}"
            "</td>" for s in cols)
        out.append(f"<tr><th>{_e(u)}</th>{cells}</tr>")
    out.append("</table></details>")
    return out


def render_html(model: Model, result: AuditResult, kept: dict[str, list[Violation]]) -> str:
    """``kept``: the violations shown, per control (read first: the counts are then
    complete)."""
    title = f"审计报告:{model.meta.title if model.meta else ''}"
    summaries = rule_summaries(model, result)
    out = ["<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>{_e(title)}</h1>",
           f"<p>审计基准日 {_e(result.as_of.isoformat())},执行引擎 {_e(result.engine)},"
           f"共 {result.total:,} 处违规。规则的检查与违规按行计;"
           "其控制全部按组检查的规则按组计。</p>",
           "<h2>各规则违规率</h2>",
           f'<figure><figcaption>条越长,违规率越高(数值见下表)</figcaption>'
           f'{rule_chart(summaries)}</figure>',
           *_rule_table(summaries)]
    units = _units_by_violations(summaries)
    if units:
        shown = _with_violations(summaries, units)[:HEAT_UNITS]
        out.append(f"<h2>各机构违规率(有违规的 {len(shown)} 个机构,共 {len(units)} 个)</h2>")
        if shown:
            out.append("<figure><figcaption>颜色越深,该机构在该规则上的违规率越高"
                       f"(数值见下表)</figcaption>{unit_chart(summaries, shown)}</figure>")
        out += _unit_table(summaries, units)
    out.append("<h2>违规明细</h2>")
    if not result.total:
        out.append("<p>未发现违规。</p>")
    else:
        if note := shown_note(result, kept):
            out.append(f"<p>{_e(note)}</p>")
        out.append("<table><tr><th>控制</th><th>登记簿</th><th>主键</th><th>机构</th>"
                   "<th>规则</th><th>参数</th><th>明细</th></tr>")
        for v in (v for vs in kept.values() for v in vs):
            d = violation_record(model, v)
            rules = "<br>".join(f"{_e(r['id'])} {_e(r['citation'])}" for r in d["rules"])
            params = "<br>".join(f"{_e(k)}={_e(val)}" for k, val in d["parameters"].items())
            out.append(f"<tr><td>{_e(v.control)}</td>"
                       f"<td>{_e(d['register'])}</td><td>{_e(v.key)}</td><td>{_e(v.unit)}</td>"
                       f"<td>{rules}</td><td>{params}</td>"
                       f"<td class=bad>{_e(v.detail)}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
