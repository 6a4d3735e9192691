"""A flow as a static SVG diagram for print: a small layered (Sugiyama-style) layout.

A browser draws the site's diagrams with Mermaid; a PDF needs vector graphics that
exist at build time, and Graphviz is not assumed on the machine. The layout:

1. break cycles: an edge back to a step on the current depth-first path is a loop;
2. layers: each step goes one layer below its furthest predecessor (longest path
   from the start), so the main line reads top to bottom;
3. an edge that spans several layers gets a waypoint in each layer it crosses, so
   it is routed between the boxes instead of through them;
4. order within a layer: barycentre sweeps, keeping the order with fewest crossings;
5. x positions: each node pulled towards its neighbours, overlaps pushed apart;
6. edges drawn orthogonally (down, across in the gap between layers, down), loops
   on the right-hand side; decision outcomes labelled where the edge leaves.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from generator.model import Flow, Step, back_edges

# Geometry in points (1/72 in); the SVG is scaled to fit the page afterwards.
FONT = 8.5
SMALL = 6.5
LINE = 11.0
TASK_W = 128.0
DECISION_W = 150.0
TERMINAL_W = 112.0
PAD = 6.0
H_GAP = 22.0
V_GAP = 30.0
MARGIN = 8.0

INK = "#1f2933"
ACCENT = "#9b1c22"
MUTED = "#5f6b76"


@dataclass(slots=True)
class Node:
    id: str
    step: Step | None
    """None for an edge waypoint."""
    number: int = 0
    lines: list[str] = field(default_factory=list)
    sub: str = ""
    w: float = 0.0
    h: float = 0.0
    layer: int = 0
    x: float = 0.0
    """Centre."""
    y: float = 0.0
    """Top."""

    @property
    def dummy(self) -> bool:
        return self.step is None


@dataclass(slots=True)
class Edge:
    src: str
    dst: str
    label: str
    back: bool = False
    chain: list[str] = field(default_factory=list)
    """Node ids from src to dst through waypoints (forward edges only)."""


def text_width(text: str, size: float) -> float:
    """Width estimate: a CJK character is one em, Latin about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.56 for c in text)


def balanced(text: str, size: float, width: float) -> list[str]:
    """Like :func:`wrap`, with the lines evened out (no single character left over)."""
    lines = wrap(text, size, width)
    if len(lines) < 2:
        return lines
    even = wrap(text, size, text_width(text, size) / len(lines) + size * 0.99)
    return even if len(even) == len(lines) else lines


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text into lines no wider than ``width`` (never inside a Latin word)."""
    lines: list[str] = []
    current = ""
    tokens: list[str] = []
    word = ""
    for c in text:
        if c.isascii() and not c.isspace():
            word += c
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(c)
    if word:
        tokens.append(word)
    for token in tokens:
        if current and text_width(current + token, size) > width and token not in ",。;:、)》”":
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True, slots=True)
class Page:
    """One page's window onto the diagram, as a complete SVG element."""

    svg: str
    width_mm: float
    height_mm: float


@dataclass(slots=True)
class Graph:
    """The laid-out graph (coordinates in points, before scaling)."""

    nodes: dict[str, Node]
    edges: list[Edge]
    layers: list[list[str]]


@dataclass(frozen=True, slots=True)
class Diagram:
    pages: tuple[Page, ...]
    scale: float
    graph: Graph


@dataclass(frozen=True, slots=True)
class Frame:
    """Where the diagram may go: the page's content width, the height left on the
    first page (under the title block) and on each following page, in mm."""

    width: float = 180.0
    first_height: float = 200.0
    height: float = 245.0
    max_scale: float = 1.15


PT_PER_MM = 72 / 25.4
MIN_SCALE = 0.8
"""Below this a diagram is split over pages rather than shrunk further."""
CUT = 22.0
"""Space added at a page break: the upper page ends half-way, connectors sit in it."""


def layout(flow: Flow, actor_name: Callable[[str], str], render: Callable[[str], str],
           numbers: dict[str, int], frame: Frame | None = None) -> Diagram:
    """Lay out ``flow`` and cut it into page-sized SVGs. ``render`` fills in
    {{ parameters }}; ``numbers`` are the step numbers printed in the step list."""
    frame = frame or Frame()
    graph = arrange(flow, actor_name, render, numbers)
    nodes, edges, layers = graph.nodes, graph.edges, graph.layers
    _place_y(layers, nodes, float("inf"), float("inf"))
    parts, height, width = _draw(layers, nodes, edges, [])
    overhang = MARGIN - min(left for left, _ in _extents(parts))
    if overhang > 0:  # a label sticks out on the left: move everything right
        for node in nodes.values():
            node.x += overhang
        width += overhang
    across = frame.width * PT_PER_MM / width
    scale = min(frame.max_scale, across)
    if min(across, frame.first_height * PT_PER_MM / height) >= MIN_SCALE:
        # Fits on the first page at a readable size: one page, no connectors.
        scale = min(scale, frame.first_height * PT_PER_MM / height)
    else:
        scale = min(1.0, scale)
    breaks = _place_y(layers, nodes, frame.first_height * PT_PER_MM / scale,
                      frame.height * PT_PER_MM / scale)
    parts, bottom, width = _draw(layers, nodes, edges, breaks)
    windows = []
    top = 0.0
    for cut in breaks:
        windows.append((top, cut))
        top = cut
    windows.append((top, bottom))
    pages = []
    for y0, y1 in windows:
        body = "".join(svg for lo, hi, svg in parts if hi >= y0 and lo <= y1)
        pages.append(Page(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_t(width * scale / PT_PER_MM)}mm" '
            f'height="{_t((y1 - y0) * scale / PT_PER_MM)}mm" '
            f'viewBox="0 {_t(y0)} {_t(width)} {_t(y1 - y0)}" '
            f'font-family="Noto Sans CJK SC">{body}</svg>',
            width * scale / PT_PER_MM, (y1 - y0) * scale / PT_PER_MM))
    return Diagram(tuple(pages), scale, graph)


def arrange(flow: Flow, actor_name: Callable[[str], str], render: Callable[[str], str],
            numbers: dict[str, int]) -> Graph:
    """Steps 1–5 of the layout: layers, waypoints, order and x positions."""
    nodes: dict[str, Node] = {}
    for step in flow.steps:
        nodes[step.id] = _node(step, numbers.get(step.id, 0), actor_name, render)
    edges: list[Edge] = []
    for s in flow.steps:
        for target, outcome in s.successors():
            label = render(outcome.title) if outcome else ""
            same = next((e for e in edges if e.src == s.id and e.dst == target), None)
            if target not in nodes:
                continue
            if same:  # two outcomes lead to the same step: one arrow, both labels
                same.label = f"{same.label};{label}"
            else:
                edges.append(Edge(s.id, target, label))

    _mark_back_edges(flow, edges)
    _assign_layers(nodes, edges)
    layers = _insert_waypoints(nodes, edges)
    _order(layers, nodes, edges)
    _place_x(layers, nodes, edges)
    _straighten(layers, nodes, edges)
    return Graph(nodes, edges, layers)


def _node(step: Step, number: int, actor_name: Callable[[str], str],
          render: Callable[[str], str]) -> Node:
    node = Node(step.id, step, number)
    title = render(step.title)
    if step.type == "decision":
        node.w = DECISION_W
        node.lines = balanced(title, FONT, DECISION_W * 0.52)
        node.h = max(52.0, len(node.lines) * LINE * 2.2 + 12)
    elif step.type in ("start", "end"):
        node.w = TERMINAL_W
        node.lines = balanced(title, FONT, TERMINAL_W - 2 * PAD - 8)
        node.h = len(node.lines) * LINE + 2 * PAD
    else:
        node.w = TASK_W
        node.lines = balanced(title, FONT, TASK_W - 2 * PAD - 4)
        node.sub = actor_name(step.actor) if step.actor else ""
        node.h = len(node.lines) * LINE + (LINE if node.sub else 0) + 2 * PAD
    return node


def _mark_back_edges(flow: Flow, edges: list[Edge]) -> None:
    out: dict[str, list[Edge]] = {}
    for e in edges:
        out.setdefault(e.src, []).append(e)
    for e, _cycle in back_edges(flow, out, lambda e: e.dst):
        e.back = True


def _assign_layers(nodes: dict[str, Node], edges: list[Edge]) -> None:
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    for e in edges:
        if not e.back and e.src != e.dst:
            preds[e.dst].append(e.src)
            succs[e.src].append(e.dst)
    indegree = {n: len(p) for n, p in preds.items()}
    ready = [n for n in nodes if indegree[n] == 0]
    while ready:
        n = ready.pop(0)
        for m in succs[n]:
            nodes[m].layer = max(nodes[m].layer, nodes[n].layer + 1)
            indegree[m] -= 1
            if indegree[m] == 0:
                ready.append(m)


def _insert_waypoints(nodes: dict[str, Node], edges: list[Edge]) -> list[list[str]]:
    depth = max((n.layer for n in nodes.values()), default=0) + 1
    layers: list[list[str]] = [[] for _ in range(depth)]
    for n in nodes.values():
        layers[n.layer].append(n.id)
    for i, e in enumerate(edges):
        if e.back:
            continue
        chain = [e.src]
        for layer in range(nodes[e.src].layer + 1, nodes[e.dst].layer):
            wid = f"~{i}~{layer}"
            nodes[wid] = Node(wid, None, w=0.0, h=0.0, layer=layer)
            layers[layer].append(wid)
            chain.append(wid)
        chain.append(e.dst)
        e.chain = chain
    return layers


def _links(edges: Sequence[Edge]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for e in edges:
        for a, b in zip(e.chain, e.chain[1:], strict=False):
            down.setdefault(a, []).append(b)
            up.setdefault(b, []).append(a)
    return up, down


def _crossings(layers: list[list[str]], down: dict[str, list[str]]) -> int:
    total = 0
    for upper, lower in itertools.pairwise(layers):
        pos = {n: i for i, n in enumerate(lower)}
        pairs = [(i, pos[m]) for i, n in enumerate(upper) for m in down.get(n, []) if m in pos]
        for k, (a1, b1) in enumerate(pairs):
            for a2, b2 in pairs[k + 1:]:
                if (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


def _order(layers: list[list[str]], nodes: dict[str, Node], edges: list[Edge]) -> None:
    up, down = _links(edges)
    best = [list(layer) for layer in layers]
    best_score = _crossings(layers, down)
    for sweep in range(12):
        downward = sweep % 2 == 0
        indices = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for i in indices:
            ref = layers[i - 1] if downward else layers[i + 1]
            pos = {n: k for k, n in enumerate(ref)}
            neighbours = up if downward else down

            def key(n: str, k: int, pos: dict[str, int] = pos,
                    neighbours: dict[str, list[str]] = neighbours) -> float:
                ps = [pos[m] for m in neighbours.get(n, []) if m in pos]
                return sum(ps) / len(ps) if ps else float(k)

            layers[i] = [n for _, n in sorted(
                ((key(n, k), k), n) for k, n in enumerate(layers[i]))]
        score = _crossings(layers, down)
        if score < best_score:
            best, best_score = [list(layer) for layer in layers], score
    layers[:] = best


def _place_x(layers: list[list[str]], nodes: dict[str, Node], edges: list[Edge]) -> None:
    up, down = _links(edges)

    def gap(a: Node, b: Node) -> float:
        pad = H_GAP if not (a.dummy or b.dummy) else H_GAP * 0.6
        return a.w / 2 + b.w / 2 + pad

    # Start packed to the left, then relax towards neighbours.
    for layer in layers:
        x = 0.0
        for k, n in enumerate(layer):
            node = nodes[n]
            x = x + (gap(nodes[layer[k - 1]], node) if k else node.w / 2)
            node.x = x
    for sweep in range(16):
        downward = sweep % 2 == 0
        order = layers if downward else layers[::-1]
        for layer in order:
            for n in layer:
                ns = (up if downward else down).get(n, []) + (
                    (down if downward else up).get(n, []) if sweep > 8 else [])
                if ns:
                    xs = sorted(nodes[m].x for m in ns)
                    nodes[n].x = (xs[(len(xs) - 1) // 2] + xs[len(xs) // 2]) / 2
            # Resolve overlaps: push right, then pull back left, keeping the mean.
            want = [nodes[n].x for n in layer]
            for k in range(1, len(layer)):
                a, b = nodes[layer[k - 1]], nodes[layer[k]]
                b.x = max(b.x, a.x + gap(a, b))
            for k in range(len(layer) - 2, -1, -1):
                a, b = nodes[layer[k]], nodes[layer[k + 1]]
                a.x = min(a.x, b.x - gap(a, b))
            if layer:
                shift = (sum(want) - sum(nodes[n].x for n in layer)) / len(layer)
                for n in layer:
                    nodes[n].x += shift
    left = min(node.x - node.w / 2 for node in nodes.values())
    for node in nodes.values():
        node.x -= left - MARGIN


def _straighten(layers: list[list[str]], nodes: dict[str, Node], edges: list[Edge]) -> None:
    """Remove small jogs: move a node under its (median) predecessor when that is
    close and there is room in its layer."""
    up, _ = _links(edges)
    for layer in layers[1:]:
        for k, n in enumerate(layer):
            node = nodes[n]
            preds = sorted(nodes[m].x for m in up.get(n, []))
            if not preds:
                continue
            target = preds[(len(preds) - 1) // 2]
            if abs(target - node.x) > 40:
                continue
            left = nodes[layer[k - 1]] if k else None
            right = nodes[layer[k + 1]] if k + 1 < len(layer) else None
            room = H_GAP * 0.6
            if left and target - node.w / 2 < left.x + left.w / 2 + room:
                continue
            if right and target + node.w / 2 > right.x - right.w / 2 - room:
                continue
            node.x = target


def _place_y(layers: list[list[str]], nodes: dict[str, Node], first: float,
             rest: float) -> list[float]:
    """Stack the layers; where the next layer would not fit on the page, break the
    page in the gap. Returns the y of each break."""
    breaks: list[float] = []
    page_top, capacity = 0.0, first
    y = MARGIN
    for k, layer in enumerate(layers):
        height = max((nodes[n].h for n in layer), default=0.0)
        if k and y + height + MARGIN - page_top > capacity:
            # Undo the gap already added, break, and leave room for connectors.
            cut = y - V_GAP + CUT
            breaks.append(cut)
            page_top, capacity = cut, rest
            y = cut + CUT + V_GAP * 0.6
        for n in layer:
            nodes[n].y = y + (height - nodes[n].h) / 2
        y += height + V_GAP
    return breaks


# --- drawing ---------------------------------------------------------------------------------


def _t(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


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


def _extents(parts: Sequence[Part]) -> list[tuple[float, float]]:
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
           above: bool = False) -> tuple[float, float, str, float]:
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


def _draw(layers: list[list[str]], nodes: dict[str, Node], edges: list[Edge],
          breaks: list[float]) -> tuple[list[Part], float, float]:
    """The diagram's fragments, its height and its width (labels included)."""
    real = [n for n in nodes.values() if not n.dummy]
    width = max(n.x + n.w / 2 for n in nodes.values()) + MARGIN
    bottom = max(n.y + n.h for n in real) + MARGIN
    tops = [min(nodes[n].y for n in layer if not nodes[n].dummy) for layer in layers]
    bottoms = [max(nodes[n].y + nodes[n].h for n in layer if not nodes[n].dummy)
               for layer in layers]

    def mid(k: int) -> float:
        """The y where edges leaving layer k run across."""
        if k + 1 >= len(layers):
            return bottoms[k] + V_GAP / 2
        broken = any(bottoms[k] < cut < tops[k + 1] for cut in breaks)
        return tops[k + 1] - (V_GAP * 0.3 if broken else V_GAP / 2)

    parts: list[Part] = []
    labels: list[tuple[float, float, str, float]] = []
    lines: list[list[tuple[float, float]]] = []
    back_lane = width
    outgoing: dict[str, list[Edge]] = {}
    for e in edges:
        outgoing.setdefault(e.src, []).append(e)

    for e in edges:
        src, dst = nodes[e.src], nodes[e.dst]
        if e.back:
            back_lane += 12
            ys, yd = src.y + src.h / 2, dst.y + dst.h / 2
            xs, xd = src.x + src.w / 2, dst.x + dst.w / 2
            loop = [(xs, ys), (back_lane, ys), (back_lane, yd), (xd + 1, yd)]
            parts.append(_polyline(loop, dashed=True))
            lines.append(loop)
            parts.append((yd - 4, yd + 4, _arrow(xd, yd, -1, 0)))
            if e.label:
                labels.append(_label(xs + 4, ys - 3, e.label))
            continue
        points: list[tuple[float, float]] = []
        chain = [nodes[c] for c in e.chain]
        first_next = chain[1]
        side = 0
        if src.step is not None and src.step.type == "decision" and \
                len(outgoing.get(e.src, [])) > 1:
            dx = first_next.x - src.x
            if abs(dx) > src.w / 4:
                side = 1 if dx > 0 else -1
        if side:
            start = (src.x + side * src.w / 2, src.y + src.h / 2)
            points += [start, (first_next.x, start[1])]
        else:
            start = (src.x, src.y + src.h)
            points.append(start)
        for a, b in itertools.pairwise(chain):
            last = points[-1]
            if abs(last[0] - b.x) > 0.5:
                across = max(mid(a.layer), last[1])
                points += [(last[0], across), (b.x, across)]
            points.append((b.x, b.y))
        pts: list[tuple[float, float]] = []
        for p in points:
            if not pts or abs(p[0] - pts[-1][0]) > 0.01 or abs(p[1] - pts[-1][1]) > 0.01:
                pts.append(p)
        tip = pts[-1]
        pts[-1] = (tip[0], tip[1] - 1)
        parts.append(_polyline(pts))
        lines.append(pts)
        parts.append((tip[1] - 7, tip[1], _arrow(tip[0], tip[1], 0, 1)))
        if e.label:
            if side:
                anchor = "start" if side > 0 else "end"
                labels.append(_label(start[0] + side * 4, start[1] - 4, e.label, anchor,
                                     above=True))
            else:
                labels.append(_label(start[0] + 4, start[1] + SMALL + 4, e.label))

    parts += _connectors(lines, breaks)
    for n in real:
        parts.append((n.y, n.y + n.h, _shape(n)))
    right = max([back_lane, *(x for _, _, _, x in labels)]) + MARGIN
    parts += [(y0, y1, svg) for y0, y1, svg, _ in labels]
    return parts, bottom, right


def _connectors(lines: list[list[tuple[float, float]]], breaks: list[float]) -> list[Part]:
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
