"""The boxes and arrows of a flow diagram (nodes, edges), the sizes they are drawn at,
and how wide text is.

All sizes are in points (1/72 in); the SVG is scaled to fit the page afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model import Step

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

CUT = 22.0
"""Space added at a page break: the upper page ends half-way, connectors sit in it."""


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
