"""A Mermaid flowchart of the new version of a flow, with what changed marked.

Added steps are green, changed steps amber, removed steps red and dashed, still
drawn where they were; transitions that no longer exist are dashed, new ones thick.
Labels are escaped the same way as the handbook's own diagrams.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.diff.changes import Change
from generator.model import Flow, Model, Step
from generator.site.mermaid import label

_SHAPES = {"start": ('(["', '"])'), "end": ('(["', '"])'), "task": ('["', '"]'),
           "decision": ('{"', '"}')}
CLASS_DEFS = (
    "  classDef added fill:#e6ffed,stroke:#1a7f37,stroke-width:2px",
    "  classDef changed fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
    "  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:5 5,color:#57606a",
)


def _edges(flow: Flow) -> list[tuple[str, str, str]]:
    """(from, to, outcome title) for every transition."""
    return [(s.id, target, outcome.title if outcome else "")
            for s in flow.steps for target, outcome in s.successors()]


def structure_changed(changes: Iterable[Change]) -> bool:
    """Whether a flow's shape changed: steps added, removed or moved, a step's type,
    or a decision's outcomes (not a step's inputs or wording)."""
    for c in changes:
        if c.kind == "outcome" and c.action in ("added", "removed", "retargeted"):
            return True
        if c.kind == "step" and ((c.action in ("added", "removed") and not c.aspect)
                                 or c.action == "moved" or c.aspect == "类型"):
            return True
        if c.kind == "flow" and c.action == "added":
            return True
    return False


def flow_diagram(old: Flow | None, new: Flow, model: Model, old_model: Model,
                 changes: Iterable[Change]) -> str:
    """``flowchart TD`` source for ``new`` with the changes against ``old`` styled."""
    old_steps = {s.id: s for s in old.steps} if old else {}
    new_ids = {s.id for s in new.steps}
    touched = {sid for c in changes for sid in c.steps}
    removed = [s for s in old_steps.values() if s.id not in new_ids]
    ids: dict[str, str] = {}
    lines = ["flowchart TD"]

    def node(step: Step, roles: Model, cls: str) -> None:
        ids[step.id] = f"n{len(ids)}"
        left, right = _SHAPES[step.type]
        text = label(step.title)
        role = roles.roles.get(step.actor)
        if role is not None and step.type in ("task", "decision"):
            text += "<br/><small>" + label(role.name) + "</small>"
        lines.append(f"  {ids[step.id]}{left}{text}{right}")
        if cls:
            lines.append(f"  class {ids[step.id]} {cls}")

    for step in new.steps:
        if step.id not in old_steps:
            cls = "added"
        elif step.id in touched:
            cls = "changed"
        else:
            cls = ""
        node(step, model, cls)
    for step in removed:
        node(step, old_model, "removed")

    new_edges = _edges(new)
    old_edges = _edges(old) if old else []
    links: list[str] = []
    styles: list[str] = []

    def edge(frm: str, to: str, text: str, arrow: str) -> None:
        if frm not in ids or to not in ids:
            return
        middle = f'|"{label(text)}"|' if text else ""
        links.append(f"  {ids[frm]} {arrow}{middle} {ids[to]}")

    for frm, to, text in new_edges:
        edge(frm, to, text, "==>" if old and (frm, to, text) not in old_edges else "-->")
    for frm, to, text in old_edges:
        if (frm, to, text) not in new_edges:
            before = len(links)
            edge(frm, to, text, "-.->")
            if len(links) > before:
                styles.append(f"  linkStyle {len(links) - 1} stroke:#cf222e")
    return "\n".join([*lines, *links, *styles, *CLASS_DEFS])
