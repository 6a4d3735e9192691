"""What the layout produces: the placed graph, and the diagram cut into pages."""

from __future__ import annotations

from dataclasses import dataclass

from generator.printables.flowchart.geometry import Edge, Node


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
