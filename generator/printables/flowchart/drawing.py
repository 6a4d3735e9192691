"""Step 6 of the flow diagram's layout: the placed graph drawn as SVG fragments.

Edges run orthogonally (down, across in the gap between layers, down), loops on the
right-hand side; decision outcomes are labelled where the edge leaves, and a line that
crosses a page break gets a lettered connector on both pages.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from generator.escape import html_text as escape
from generator.printables.flowchart.geometry import (
    ACCENT,
    CUT,
    FONT,
    INK,
    LINE,
    MARGIN,
    MUTED,
    PAD,
    SMALL,
    V_GAP,
    Edge,
    Node,
    balanced,
    text_width,
)


def coord(x: float) -> str:
    """A coordinate as SVG text: at most one decimal (``12.5``, ``12``)."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


_t = coord  # short: it is in almost every SVG attribute below


def _arrow(x: float, y: float, dx: float, dy: float) -> str:
    """A filled arrowhead with its tip at (x, y), pointing along (dx, dy)."""
    size, half = 6.0, 3.0
    if dy:
        s = 1 if dy > 0 else -1
        pts = [(x, y), (x - half, y - s * size), (x + half, y - s * size)]
    else:
        s = 1 if dx > 0 else -1
        pts = [(x, y), (x - s * size, y - half), (x - s * size, y + half)]
    return (f'<polygon points="{" ".join(f"{_t(a)},{_t(b)}" for a, b in pts)}" '
            f'fill="{INK}"/>')


Part = tuple[float, float, str]
"""(top, bottom, SVG fragment): a page includes the fragments its window touches."""
Label = tuple[float, float, str, float]
"""(top, bottom, SVG fragment, right edge) of an outcome label."""
Line = list[tuple[float, float]]
"""The points of a drawn edge, for the off-page connectors."""


def extents(parts: Sequence[Part]) -> list[tuple[float, float]]:
    """(left, right) of every rectangle in the fragments (labels, boxes)."""
    out = []
    for _, _, svg in parts:
        for m in re.finditer(r'<rect x="(-?[\d.]+)" y="[^"]*" width="([\d.]+)"', svg):
            out.append((float(m.group(1)), float(m.group(1)) + float(m.group(2))))
    return out or [(0.0, 0.0)]


def _polyline(pts: Sequence[tuple[float, float]], dashed: bool = False) -> Part:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    return (min(y for _, y in pts), max(y for _, y in pts),
            f'<polyline points="{" ".join(f"{_t(x)},{_t(y)}" for x, y in pts)}" fill="none" '
            f'stroke="{INK}" stroke-width="0.8"{dash}/>')


def _label(x: float, y: float, text: str, anchor: str = "start",
           above: bool = False) -> Label:
    """An outcome label on a white ground, wrapped to short lines; (top, bottom, svg,
    right edge)."""
    rows = [r for part in text.split(";") for r in balanced(part, SMALL, 100)]
    w = max(text_width(r, SMALL) for r in rows) + 4
    h = len(rows) * (SMALL + 2) + 2
    top = y - h + SMALL + 3 if above else y - SMALL - 1
    left = x - 2 if anchor == "start" else x - w + 2
    svg = [f'<rect x="{_t(left)}" y="{_t(top)}" width="{_t(w)}" height="{_t(h)}" '
           f'fill="#ffffff" fill-opacity="0.9"/>']
    for k, row in enumerate(rows):
        svg.append(f'<text x="{_t(x)}" y="{_t(top + SMALL + 1 + k * (SMALL + 2))}" '
                   f'font-size="{SMALL}" fill="{ACCENT}" text-anchor="{anchor}">'
                   f'{escape(row)}</text>')
    return top, top + h, "".join(svg), left + w


def draw(layers: list[list[str]], nodes: dict[str, Node], edges: list[Edge],
         breaks: list[float]) -> tuple[list[Part], float, float]:
    """The diagram's fragments, its height and its width (labels included)."""
    real = [n for n in nodes.values() if not n.dummy]
    width = max(n.x + n.w / 2 for n in nodes.values()) + MARGIN
    bottom = max(n.y + n.h for n in real) + MARGIN
    across = _across(layers, nodes, breaks)
    fanout: dict[str, int] = {}
    for e in edges:
        fanout[e.src] = fanout.get(e.src, 0) + 1

    parts: list[Part] = []
    labels: list[Label] = []
    lines: list[Line] = []
    back_lane = width
    for e in edges:
        if e.back:
            back_lane += 12
            drawn, line, label = _loop(nodes[e.src], nodes[e.dst], e.label, back_lane)
        else:
            drawn, line, label = _forward(e, nodes, fanout[e.src] > 1, across)
        parts += drawn
        lines.append(line)
        if label is not None:
            labels.append(label)

    parts += _connectors(lines, breaks)
    for n in real:
        parts.append((n.y, n.y + n.h, _shape(n)))
    right = max([back_lane, *(x for _, _, _, x in labels)]) + MARGIN
    parts += [(y0, y1, svg) for y0, y1, svg, _ in labels]
    return parts, bottom, right


def _across(layers: list[list[str]], nodes: dict[str, Node], breaks: list[float],
            ) -> list[float]:
    """For each layer, the y where edges leaving it run across: half-way down the gap
    below it, or higher when a page break is in that gap."""
    tops = [min(nodes[n].y for n in layer if not nodes[n].dummy) for layer in layers]
    bottoms = [max(nodes[n].y + nodes[n].h for n in layer if not nodes[n].dummy)
               for layer in layers]
    out = []
    for k in range(len(layers)):
        if k + 1 >= len(layers):
            out.append(bottoms[k] + V_GAP / 2)
            continue
        broken = any(bottoms[k] < cut < tops[k + 1] for cut in breaks)
        out.append(tops[k + 1] - (V_GAP * 0.3 if broken else V_GAP / 2))
    return out


def _loop(src: Node, dst: Node, label: str, lane: float) -> tuple[list[Part], Line, Label | None]:
    """A back edge: dashed, out of the right side of ``src``, up ``lane``, into ``dst``."""
    ys, yd = src.y + src.h / 2, dst.y + dst.h / 2
    xs, xd = src.x + src.w / 2, dst.x + dst.w / 2
    loop = [(xs, ys), (lane, ys), (lane, yd), (xd + 1, yd)]
    parts = [_polyline(loop, dashed=True), (yd - 4, yd + 4, _arrow(xd, yd, -1, 0))]
    return parts, loop, _label(xs + 4, ys - 3, label) if label else None


def _side(src: Node, first: Node, branching: bool) -> int:
    """-1 or 1 when the edge leaves a decision from its left or right corner (towards a
    next node well to that side), 0 when it leaves from the bottom."""
    if src.step is not None and src.step.type == "decision" and branching:
        dx = first.x - src.x
        if abs(dx) > src.w / 4:
            return 1 if dx > 0 else -1
    return 0


def _forward(e: Edge, nodes: dict[str, Node], branching: bool, across: list[float],
             ) -> tuple[list[Part], Line, Label | None]:
    """A forward edge, orthogonally through its waypoints: down, across, down."""
    src = nodes[e.src]
    chain = [nodes[c] for c in e.chain]
    side = _side(src, chain[1], branching)
    if side:
        start = (src.x + side * src.w / 2, src.y + src.h / 2)
        points = [start, (chain[1].x, start[1])]
    else:
        start = (src.x, src.y + src.h)
        points = [start]
    for a, b in itertools.pairwise(chain):
        last = points[-1]
        if abs(last[0] - b.x) > 0.5:
            y = max(across[a.layer], last[1])
            points += [(last[0], y), (b.x, y)]
        points.append((b.x, b.y))
    pts: Line = []
    for p in points:
        if not pts or abs(p[0] - pts[-1][0]) > 0.01 or abs(p[1] - pts[-1][1]) > 0.01:
            pts.append(p)
    tip = pts[-1]
    pts[-1] = (tip[0], tip[1] - 1)
    parts = [_polyline(pts), (tip[1] - 7, tip[1], _arrow(tip[0], tip[1], 0, 1))]
    label = None
    if e.label and side:
        label = _label(start[0] + side * 4, start[1] - 4, e.label,
                       "start" if side > 0 else "end", above=True)
    elif e.label:
        label = _label(start[0] + 4, start[1] + SMALL + 4, e.label)
    return parts, pts, label


def _connectors(lines: list[Line], breaks: list[float]) -> list[Part]:
    """Off-page connectors: where a line crosses a page break, a lettered circle on
    the upper page (至下页) and the same letter on the lower page (接上页)."""
    parts: list[Part] = []
    letter = 0
    for cut in breaks:
        xs: list[float] = []
        for pts in lines:
            for (x1, y1), (x2, y2) in itertools.pairwise(pts):
                crosses = abs(x1 - x2) < 0.01 and min(y1, y2) < cut < max(y1, y2)
                if crosses and all(abs(x1 - x) > 1 for x in xs):
                    xs.append(x1)
        for x in sorted(xs):
            name = chr(ord("A") + letter % 26)
            letter += 1
            for cy, note in ((cut - CUT / 2, "至下页"), (cut + CUT / 2, "接上页")):
                parts.append((cy - 6, cy + 6,
                              f'<circle cx="{_t(x)}" cy="{_t(cy)}" r="5.5" fill="#ffffff" '
                              f'stroke="{ACCENT}" stroke-width="0.9"/>'
                              f'<text x="{_t(x)}" y="{_t(cy + 2.4)}" font-size="6.5" '
                              f'font-weight="bold" text-anchor="middle" fill="{ACCENT}">'
                              f'{name}</text>'
                              f'<text x="{_t(x + 8)}" y="{_t(cy + 2.2)}" font-size="{SMALL}" '
                              f'fill="{MUTED}">{note}</text>'))
    return parts


def _shape(n: Node) -> str:
    assert n.step is not None
    kind = n.step.type
    left, top = n.x - n.w / 2, n.y
    out: list[str] = []
    if kind == "decision":
        cx, cy = n.x, n.y + n.h / 2
        pts = f"{_t(cx)},{_t(top)} {_t(cx + n.w / 2)},{_t(cy)} {_t(cx)},{_t(top + n.h)} " \
              f"{_t(cx - n.w / 2)},{_t(cy)}"
        out.append(f'<polygon points="{pts}" fill="#fbf3e4" stroke="{ACCENT}" '
                   f'stroke-width="1"/>')
        y0 = cy - (len(n.lines) - 1) * LINE / 2 + FONT * 0.35
    elif kind in ("start", "end"):
        fill = "#f3e3e4" if kind == "start" else "#eceff1"
        out.append(f'<rect x="{_t(left)}" y="{_t(top)}" width="{_t(n.w)}" height="{_t(n.h)}" '
                   f'rx="{_t(n.h / 2)}" fill="{fill}" stroke="{INK}" stroke-width="0.9"/>')
        y0 = top + PAD + FONT * 0.95
    else:
        out.append(f'<rect x="{_t(left)}" y="{_t(top)}" width="{_t(n.w)}" height="{_t(n.h)}" '
                   f'rx="2" fill="#ffffff" stroke="{INK}" stroke-width="0.9"/>')
        y0 = top + PAD + FONT * 0.95
    weight = ' font-weight="bold"' if kind != "task" else ""
    for k, line in enumerate(n.lines):
        out.append(f'<text x="{_t(n.x)}" y="{_t(y0 + k * LINE)}" font-size="{FONT}" '
                   f'text-anchor="middle" fill="{INK}"{weight}>{escape(line)}</text>')
    if n.sub:
        out.append(f'<text x="{_t(n.x)}" y="{_t(y0 + len(n.lines) * LINE)}" '
                   f'font-size="{SMALL}" text-anchor="middle" fill="{MUTED}">'
                   f'{escape(n.sub)}</text>')
    if n.number and kind in ("task", "decision"):
        # The step's number from the step list, as a badge on the top-left corner.
        bx, by = (left, top) if kind == "task" else (n.x - 16, top + 7)
        out.append(f'<circle cx="{_t(bx)}" cy="{_t(by)}" r="5.6" fill="{ACCENT}"/>'
                   f'<text x="{_t(bx)}" y="{_t(by + 2.3)}" font-size="6.3" font-weight="bold" '
                   f'text-anchor="middle" fill="#ffffff">{n.number}</text>')
    return "".join(out)
