"""Where every value of a parsed document came from, and the parsed document itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic


@dataclass(slots=True)
class SourceMap:
    """JSON pointer → (line, column), 1-based, for values and for mapping keys."""

    values: dict[str, tuple[int, int]] = field(default_factory=dict)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Where each value ends: the line and column just after its last character (a block
    # scalar's trailing line breaks and a block collection's trailing comments excluded).
    ends: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Plain one-line scalars can be pointed into (e.g. at a ``{{ name }}``).
    plain: set[str] = field(default_factory=set)
    # Where each ``{{`` of a scalar stands in the file, in order, for scalars that have one.
    braces: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # Every text value with a brace in it (pointer → text), so the placeholder check need
    # not walk every string of every document; None when the map was not built by parse().
    curly: dict[str, str] | None = None
    # Values that stand in for something the loader refused (an alias, a tagged node):
    # a schema complaint about them would only repeat the loader's diagnostic.
    suppressed: set[str] = field(default_factory=set)

    def is_suppressed(self, pointer: str) -> bool:
        """Whether ``pointer`` is, or is inside, a value the loader already reported."""
        if not self.suppressed:
            return False
        return any(pointer == s or pointer.startswith(s + "/") for s in self.suppressed)

    def value(self, pointer: str) -> tuple[int, int]:
        """Position of the value at ``pointer`` or of its nearest ancestor."""
        while True:
            pos = self.values.get(pointer)
            if pos is not None:
                return pos
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]

    def end(self, pointer: str, start: tuple[int, int]) -> tuple[int, int] | None:
        """Where the node a diagnostic at ``start`` about ``pointer`` is about ends: the
        node at ``pointer`` (or its nearest ancestor that exists, as for a missing key),
        its key and value; None when ``start`` is not inside that node."""
        while pointer not in self.ends:
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]
        end = self.ends[pointer]
        value = self.values.get(pointer, (1, 1))
        first = min(self.keys.get(pointer, value), value)
        return end if first <= start < end else None

    def key(self, pointer: str) -> tuple[int, int]:
        """Position of the key of the member at ``pointer`` (falls back to the value)."""
        return self.keys.get(pointer) or self.value(pointer)


@dataclass(slots=True)
class Parsed:
    file: str
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]
