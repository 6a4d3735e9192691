"""Mermaid flowcharts generated from a flow of the model.

Every step is a node; clicking a task or decision opens its page (Mermaid
``click ... href``), clicking a start or end opens its anchor on the flow page.
Labels are policy text: quotes, angle brackets, ``%`` and the like are written as
Mermaid entity codes (``#34;``, :func:`generator.escape.mermaid_label`) so no title
can break the diagram, inject into it or start a directive (``%%{init}%%``).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator import escape
from generator.model import Flow, Model, Step
from generator.site.links import Links

_SHAPES = {
    "start": ('(["', '"])'),
    "end": ('(["', '"])'),
    "task": ('["', '"]'),
    # A hexagon, not a diamond: a diamond grows with the square of its label.
    "decision": ('{{"', '"}}'),
}


LEGEND = (
    ("圆角框", "流程的开始或结束"),
    ("方框", "工作环节，前面是环节编号，下方为执行岗位"),
    ("六边形", "决策点，前面是环节编号，连线上写明各个结果"),
    ("双边框", "转入另一个流程，点击打开该流程"),
    ("虚线", "允许的回退，或转入另一个流程"),
)
"""What each shape of :func:`flowchart` means, for the legend under the diagrams
(``tests/test_site_words.py`` checks that every shape drawn is in it)."""

SHAPE_NAMES = {"start": "圆角框", "end": "圆角框", "task": "方框", "decision": "六边形",
               "next": "双边框"}
"""The legend's name of each step type's shape (``next``: the link to another flow)."""


def label(text: str) -> str:
    """Policy text as a Mermaid label: no character can close the label or start markup."""
    return escape.mermaid_label(text)


def _node_text(step: Step, model: Model, number: int | None) -> str:
    """The step's number (:meth:`Flow.numbers`, as on the flow sheet and the checklists),
    title and, for a task or decision, the role that performs it."""
    text = (f"{number}. " if number else "") + label(model.text(step.title))
    role = model.roles.get(step.actor)
    if role is not None and step.type in ("task", "decision"):
        text += "<br/><small>" + label(role.name) + "</small>"
    return text


def flowchart(flow: Flow, model: Model, links: Links, path: Sequence[str] = ()) -> str:
    """The flow as a ``flowchart TD`` with a click link on every node. ``path`` (step ids
    in the order walked, e.g. a case's) is drawn highlighted: its steps and the edges
    between consecutive ones."""
    ids = {s.id: f"n{i}" for i, s in enumerate(flow.steps)}
    numbers = flow.numbers()
    walked = set(zip(path, path[1:], strict=False))
    highlighted: list[int] = []
    edge = 0
    lines = ["flowchart TD"]
    for step in flow.steps:
        left, right = _SHAPES[step.type]
        lines.append(f"  {ids[step.id]}{left}{_node_text(step, model, numbers.get(step.id))}{right}")
        lines.append(f"  class {ids[step.id]} pb{step.type.title()}")
    back = {(lp.from_step, lp.to_step) for lp in flow.loops}
    for step in flow.steps:
        for target, outcome in step.successors():
            if target not in ids:
                continue
            arrow = "-.->" if (step.id, target) in back else "-->"
            if outcome is not None:
                lines.append(f'  {ids[step.id]} {arrow}|"{label(model.text(outcome.title))}"| {ids[target]}')
            else:
                lines.append(f"  {ids[step.id]} {arrow} {ids[target]}")
            if (step.id, target) in walked:
                highlighted.append(edge)
            edge += 1
    for i, step in enumerate(flow.steps):
        other = model.flows.get(step.continues_in) if step.continues_in else None
        if other is not None:
            node = f"x{i}"
            lines.append(f'  {node}[["转入：{label(model.text(other.title))}"]]')
            lines.append(f"  {ids[step.id]} -.-> {node}")
            lines.append(f'  click {node} href "{escape.url(links.url(links.at.flow(other.id)))}" '
                         f'"{label("打开" + model.text(other.title))}"')
            lines.append(f"  class {node} pbNext")
    for step in flow.steps:
        url = escape.url(links.url(links.at.step(step.id)))
        lines.append(f'  click {ids[step.id]} href "{url}" "{label("打开：" + model.text(step.title))}"')
    lines.append("  classDef pbTask fill:#e8eaf6,stroke:#3949ab")
    lines.append("  classDef pbStart fill:#e8f5e9,stroke:#2e7d32")
    lines.append("  classDef pbEnd fill:#eceff1,stroke:#455a64")
    lines.append("  classDef pbDecision fill:#fff8e1,stroke:#f9a825")
    lines.append("  classDef pbNext fill:#e3f2fd,stroke:#1565c0")
    if path:
        # Declared last, so the path's style wins over the step type's.
        lines.append("  classDef pbVisited fill:#ffebee,stroke:#c62828,stroke-width:3px")
        lines += [f"  class {ids[s]} pbVisited" for s in dict.fromkeys(path) if s in ids]
        if highlighted:
            lines.append(f"  linkStyle {','.join(map(str, highlighted))} "
                         "stroke:#c62828,stroke-width:3px")
    return "\n".join(lines)
