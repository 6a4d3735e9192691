"""Steps 1–5 and the page breaks of the flow diagram's layout: layers, waypoints,
order within a layer, x positions, and y positions cut into pages."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from generator.model import Flow, Step, back_edges
from generator.printables.flowchart.geometry import (
    CUT,
    DECISION_W,
    FONT,
    H_GAP,
    LINE,
    MARGIN,
    PAD,
    TASK_W,
    TERMINAL_W,
    V_GAP,
    Edge,
    Node,
    balanced,
)
from generator.printables.flowchart.graph import Graph


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


def place_y(layers: list[list[str]], nodes: dict[str, Node], first: float,
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
