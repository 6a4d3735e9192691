"""Compare two versions of a policy pack on the model, not the text.

    sources  → read a git revision, a folder or the work tree (in memory)
    specs    → one Change per thing that changed, material or editorial, and why
               (engine: the helpers specs are made of; failclosed: what no spec covers)
    impact   → which printed documents and handbook pages each change touches
    diagram  → a Mermaid flowchart of each flow whose shape changed
    report   → all of that, grouped for reading
    markdown / jsonreport → the report as a PR comment or as JSON
"""

from __future__ import annotations

from generator.diff.changes import Change, Segment
from generator.diff.report import MARKER, DiffReport, build_report
from generator.diff.sources import Side, load_side
from generator.diff.specs import compare

__all__ = ["MARKER", "Change", "DiffReport", "Segment", "Side", "build_report", "compare",
           "load_side"]
