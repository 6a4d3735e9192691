"""Diagnostics: what every stage returns instead of raising or printing.

A diagnostic knows where it is (file, line, column, JSON pointer and a readable
YAML path), which check produced it (a stable id), a sentence a policy owner
understands, and a hint saying what to do.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` gives the worst one."""

    NOTE = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    check: str
    """Stable check id, e.g. ``yaml.duplicate-key`` or ``flow.unreachable``."""
    message: str
    file: str
    line: int = 1
    column: int = 1
    pointer: str = ""
    """JSON pointer into the document, ``""`` for the whole document."""
    hint: str = ""
    severity: Severity = Severity.ERROR
    related: tuple[str, ...] = field(default=())
    """Extra lines shown under the message: a path through a flow, a counterexample."""
    end_line: int = 0
    end_column: int = 0
    """Just after the end of the YAML node the diagnostic is about (its key and value),
    0 when unknown (see :func:`with_ends`); SARIF regions use it."""

    @property
    def yaml_path(self) -> str:
        return pointer_to_path(self.pointer)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.check, self.message)


def pointer_to_path(pointer: str) -> str:
    """``/steps/3/actor`` → ``steps[3].actor`` (what a YAML author recognises)."""
    if not pointer:
        return "$"
    out: list[str] = []
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if token.isdigit():
            out.append(f"[{token}]")
        elif out:
            out.append(f".{token}")
        else:
            out.append(token)
    return "".join(out)


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_token(str(t)) for t in tokens)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by place, duplicates (same check at the same place) removed."""
    seen: set[tuple[str, int, int, str, str]] = set()
    out: list[Diagnostic] = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        key = d.sort_key()
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def worst(diagnostics: Iterable[Diagnostic]) -> Severity | None:
    return max((d.severity for d in diagnostics), default=None)


class _Ends(Protocol):
    def end(self, pointer: str, start: tuple[int, int]) -> tuple[int, int] | None: ...


def with_ends(diagnostics: Iterable[Diagnostic], maps: Mapping[str, _Ends]) -> list[Diagnostic]:
    """Each diagnostic with the end of the node it is about, from its file's source map
    (``maps``: file → :class:`generator.yamlload.SourceMap`) where the loader knows it."""
    out = []
    for d in diagnostics:
        source = maps.get(d.file)
        end = source.end(d.pointer, (d.line, d.column)) if source and not d.end_line else None
        out.append(replace(d, end_line=end[0], end_column=end[1]) if end else d)
    return out
