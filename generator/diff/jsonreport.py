"""The diff report as JSON, for tools (a bot, a dashboard, a merge rule)."""

from __future__ import annotations

import json
from typing import Any

from generator.diff.changes import Change
from generator.diff.report import DiffReport
from generator.diff.sources import Side
from generator.reporters import as_dict

FORMAT = "policybook-diff/1"


def _side(report: DiffReport, side: Side) -> dict[str, Any]:
    meta = side.model.meta
    return {
        "label": side.label,
        "revision": side.revision,
        "commit": side.commit,
        "version": meta.version if meta else None,
        "ok": side.ok,
        "empty": side.empty,
        "errors": [as_dict(d) for d in report.errors(side)] if not side.ok else [],
    }


def change_dict(c: Change) -> dict[str, Any]:
    return {
        "group": c.group,
        "kind": c.kind,
        "id": c.id,
        "title": c.title,
        "action": c.action,
        "significance": c.significance,
        "reason": c.reason,
        "aspect": c.aspect,
        "old": c.old,
        "new": c.new,
        "wording": [{"op": s.op, "text": s.text} for s in c.wording],
        "file": c.loc.file if c.loc else None,
        "line": c.loc.line if c.loc else None,
        "elements": [list(e) for e in c.elements],
    }


def render_json(report: DiffReport) -> str:
    payload = {
        "format": FORMAT,
        "ok": report.ok,
        "base": _side(report, report.base),
        "head": _side(report, report.head),
        "summary": {
            "material": report.material,
            "editorial": report.editorial,
            "groups": [{"group": g.key, "title": g.title, "material": g.material,
                        "editorial": g.editorial} for g in report.groups],
        },
        "changes": [change_dict(c) for c in report.changes],
        "documents": [{"kind": i.document.kind, "path": i.document.path,
                       "title": i.document.title, "status": i.status,
                       "because": list(i.because)} for i in report.impacts],
        "diagrams": [{"flow": d.flow, "title": d.title, "mermaid": d.mermaid}
                     for d in report.diagrams],
    }
    if report.printed is not None:
        payload["printed"] = [
            {"pdf": p.pdf, "status": p.status, "pages_before": p.page_counts[0],
             "pages_after": p.page_counts[1],
             "pages": [{"page": g.page, "before": g.before, "after": g.after,
                        "box": list(g.box) if g.box else None} for g in p.pages]}
            for p in report.printed]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
