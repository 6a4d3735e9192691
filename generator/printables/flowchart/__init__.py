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

Steps 1–5 are :mod:`.layering`, step 6 is :mod:`.drawing`; :func:`layout` puts them
together and cuts the result into pages. :mod:`.geometry` holds the sizes, the nodes
and edges, and text measurement; :mod:`.graph` the results.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.model import Flow
from generator.printables.flowchart.drawing import Part, coord, draw, extents
from generator.printables.flowchart.geometry import (
    MARGIN,
    Edge,
    Node,
    balanced,
    text_width,
    wrap,
)
from generator.printables.flowchart.graph import Diagram, Frame, Graph, Page
from generator.printables.flowchart.layering import arrange, place_y

__all__ = [
    "MIN_SCALE", "PT_PER_MM", "Diagram", "Edge", "Frame", "Graph", "Node", "Page", "arrange",
    "balanced", "layout", "text_width", "wrap",
]  # fmt: skip

PT_PER_MM = 72 / 25.4
MIN_SCALE = 0.8
"""Below this a diagram is split over pages rather than shrunk further."""


def layout(flow: Flow, actor_name: Callable[[str], str], render: Callable[[str], str],
           numbers: dict[str, int], frame: Frame | None = None) -> Diagram:
    """Lay out ``flow`` and cut it into page-sized SVGs. ``render`` fills in
    {{ parameters }}; ``numbers`` are the step numbers printed in the step list."""
    frame = frame or Frame()
    graph = arrange(flow, actor_name, render, numbers)
    nodes, edges, layers = graph.nodes, graph.edges, graph.layers
    place_y(layers, nodes, float("inf"), float("inf"))
    parts, height, width = draw(layers, nodes, edges, [])
    overhang = MARGIN - min(left for left, _ in extents(parts))
    if overhang > 0:  # a label sticks out on the left: move everything right
        for node in nodes.values():
            node.x += overhang
        width += overhang
    scale = _scale(frame, width, height)
    breaks = place_y(layers, nodes, frame.first_height * PT_PER_MM / scale,
                     frame.height * PT_PER_MM / scale)
    parts, bottom, width = draw(layers, nodes, edges, breaks)
    return Diagram(_pages(parts, breaks, bottom, width, scale), scale, graph)


def _scale(frame: Frame, width: float, height: float) -> float:
    """The scale of the diagram (``width`` × ``height`` points, all on one page)."""
    across = frame.width * PT_PER_MM / width
    scale = min(frame.max_scale, across)
    if min(across, frame.first_height * PT_PER_MM / height) >= MIN_SCALE:
        # Fits on the first page at a readable size: one page, no connectors.
        return min(scale, frame.first_height * PT_PER_MM / height)
    return min(1.0, scale)


def _pages(parts: list[Part], breaks: list[float], bottom: float, width: float,
           scale: float) -> tuple[Page, ...]:
    """One SVG per page: a window from break to break onto the fragments it touches."""
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
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{coord(width * scale / PT_PER_MM)}mm" '
            f'height="{coord((y1 - y0) * scale / PT_PER_MM)}mm" '
            f'viewBox="0 {coord(y0)} {coord(width)} {coord(y1 - y0)}" '
            f'font-family="Noto Sans CJK SC">{body}</svg>',
            width * scale / PT_PER_MM, (y1 - y0) * scale / PT_PER_MM))
    return tuple(pages)
