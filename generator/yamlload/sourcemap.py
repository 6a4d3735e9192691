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

    def key(self, pointer: str) -> tuple[int, int]:
        """Position of the key of the member at ``pointer`` (falls back to the value)."""
        return self.keys.get(pointer) or self.value(pointer)


@dataclass(slots=True)
class Parsed:
    file: str
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]
