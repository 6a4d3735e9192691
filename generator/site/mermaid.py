"""Mermaid flowcharts generated from a flow of the model.

Every step is a node; clicking a task or decision opens its page (Mermaid
``click ... href``), clicking a start or end opens its anchor on the flow page.
Labels are policy text: quotes, angle brackets, ``%`` and the like are written as
Mermaid entity codes (``#34;``, :func:`generator.escape.mermaid_label`) so no title
can break the diagram, inject into it or start a directive (``%%{init}%%``).

:func:`figure` is what a page shows: the diagram in a ``<figure>`` whose
``<figcaption>`` holds its text alternative, every step with its type, actor and
where each outcome leads, generated from the same flow. Material draws the diagram
into a closed shadow root that assistive technology cannot read; the caption can be.
The diagram sits in a keyboard-focusable region that scrolls sideways, so that on a
phone it keeps a legible size instead of shrinking to the screen (``policybook.css``).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator import escape
from generator.model import Flow, Model, Step
from generator.site.links import Links
from generator.site.markup import Markup, attr, md

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


_KIND = {"start": "开始", "task": "工作环节", "decision": "决策点", "end": "结束"}


def text_alternative(flow: Flow, model: Model, links: Links, path: Sequence[str] = ()) -> str:
    """The diagram in words, as a Markdown list: each step (numbered as everywhere else,
    :meth:`Flow.numbers`: start and end unnumbered) with its type and actor, then where
    it leads."""
    steps = {s.id for s in flow.steps}
    number = flow.numbers()

    def numbered(step_id: str) -> str:
        n = number.get(step_id)
        return f"{n} {links.step(step_id)}" if n is not None else links.step(step_id)
    back = {(lp.from_step, lp.to_step) for lp in flow.loops}
    walked = set(path)
    lines = []
    for step in flow.steps:
        what = _KIND[step.type]
        role = model.roles.get(step.actor)
        if role is not None and step.type in ("task", "decision"):
            what += "，" + md(role.name)
        goes = []
        for target, outcome in step.successors():
            if target not in steps:
                continue
            to = numbered(target)
            if (step.id, target) in back:
                to += "（回退）"
            goes.append(f"「{md(outcome.title)}」→ {to}" if outcome is not None else f"→ {to}")
        other = model.flows.get(step.continues_in) if step.continues_in else None
        if other is not None:
            goes.append(f"转入 {links.flow(other.id)}")
        if not goes and step.type == "end":
            goes.append("流程结束")
        mark = "（本案例经过）" if step.id in walked else ""
        lines.append(f"- {numbered(step.id)}（{what}）{mark}："
                     + "；".join(goes) + "。")
    return "\n".join(lines)


def figure(flow: Flow, model: Model, links: Links, path: Sequence[str] = ()) -> Markup:
    """The diagram as a page shows it (Markdown with ``md_in_html``): a ``<figure>`` with
    the diagram in a scrolling region and the text alternative in its caption."""
    return Markup(
        '<figure class="pb-diagram" markdown>\n'
        f'<div class="pb-diagram-view" role="region" tabindex="0" '
        f'aria-label="{attr("流程图：" + flow.title)}" markdown>\n\n'
        f"```mermaid\n{flowchart(flow, model, links, path)}\n```\n\n"
        "</div>\n"
        '<figcaption markdown>\n\n'
        '<details class="pb-diagram-text" markdown>\n<summary>流程图的文字说明（各环节及其走向）</summary>\n\n'
        f"{text_alternative(flow, model, links, path)}\n\n"
        "</details>\n\n"
        "</figcaption>\n"
        "</figure>")
