"""The audit report as one self-contained HTML file: the summary per rule, a bar chart
of violation rates per rule and per unit (centre), and the violations. No script, no
external asset: the charts are inline SVG, so the file opens anywhere, offline."""

from __future__ import annotations

import html

from generator.audit.report import _violation, rule_summaries
from generator.audit.run import AuditResult
from generator.model import Model

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em}
th{background:#f3f3f3}td.n{text-align:right}.bad{color:#b00020}
svg text{font-size:12px}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _bars(rows: list[tuple[str, float, str]], width: int = 640) -> str:
    """A horizontal bar chart: (label, rate 0..1, note) per bar."""
    height = 24 * len(rows) + 10
    label_w, bar_w = 220, width - 320
    top = max((r for _, r, _ in rows), default=0.0) or 1.0
    parts = [f'<svg role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, rate, note) in enumerate(rows):
        y = 5 + 24 * i
        w = int(bar_w * rate / top) if rate else 0
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1)}" height="16" '
                     f'fill="{"#b00020" if rate else "#2e7d32"}"><title>{_e(note)}</title></rect>'
                     f'<text x="{label_w + max(w, 1) + 6}" y="{y + 15}">'
                     f'{rate * 100:.2f}% {_e(note)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(model: Model, result: AuditResult) -> str:
    title = f"审计报告:{model.meta.title if model.meta else ''}"
    summaries = rule_summaries(model, result)
    out = ["<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>{_e(title)}</h1>",
           f"<p>审计基准日 {_e(result.as_of.isoformat())},执行引擎 {_e(result.engine)},"
           f"共 {len(result.violations)} 处违规。</p>",
           "<h2>各规则违规率</h2>",
           _bars([(f"{s.rule} {s.title}", s.rate, f"{s.violations}/{s.checked}")
                  for s in summaries]),
           "<table><tr><th>规则</th><th>出处</th><th>控制</th><th>检查</th><th>违规</th>"
           "<th>违规率</th></tr>"]
    for s in summaries:
        out.append(f"<tr><td>{_e(s.rule)} {_e(s.title)}</td><td>{_e(s.citation)}</td>"
                   f"<td>{_e(' '.join(s.controls))}</td><td class=n>{s.checked}</td>"
                   f"<td class=n>{s.violations}</td><td class=n>{s.rate * 100:.2f}%</td></tr>")
    out.append("</table>")
    units: dict[str, list[int]] = {}
    for r in result.controls:
        for unit, n in r.checked_by_unit.items():
            acc = units.setdefault(unit, [0, 0])
            acc[0] += n
            acc[1] += r.violations_by_unit.get(unit, 0)
    if units:
        out += ["<h2>各机构违规率(全部控制)</h2>",
                _bars([(u, v / n if n else 0.0, f"{v}/{n}")
                       for u, (n, v) in sorted(units.items())])]
    out.append("<h2>违规明细</h2>")
    if not result.violations:
        out.append("<p>未发现违规。</p>")
    else:
        out.append("<table><tr><th>控制</th><th>登记簿</th><th>主键</th><th>机构</th>"
                   "<th>规则</th><th>参数</th><th>明细</th></tr>")
        for v in result.violations:
            d = _violation(model, v)
            rules = "<br>".join(f"{_e(r['id'])} {_e(r['citation'])}" for r in d["rules"])
            params = "<br>".join(f"{_e(k)}={_e(val)}" for k, val in d["parameters"].items())
            out.append(f"<tr><td>{_e(v.control)}</td><td>{_e(d['register'])}</td>"
                       f"<td>{_e(v.key)}</td><td>{_e(v.unit)}</td><td>{rules}</td>"
                       f"<td>{params}</td><td class=bad>{_e(v.detail)}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
