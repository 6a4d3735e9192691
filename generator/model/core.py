"""Where an element is written (:class:`Loc`) and where its content comes from
(:class:`Provenance`): what every element of the model carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.diagnostics import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Loc:
    file: str
    line: int
    column: int
    pointer: str

    def diagnostic(self, check: str, message: str, hint: str = "", *,
                   severity: Severity = Severity.ERROR,
                   related: tuple[str, ...] = ()) -> Diagnostic:
        return Diagnostic(check, message, self.file, self.line, self.column, self.pointer,
                          hint=hint, severity=severity, related=related)


@dataclass(frozen=True, slots=True)
class Provenance:
    status: Literal["sourced", "drafted"]
    citation: str = ""
    """For sourced content: the section of the source, e.g. ``第二部分 四(六)3``."""
    quote: str = ""
    note: str = ""
    """For drafted content: what it is based on or what a reviewer should decide."""
    based_on: str = ""
    inherited: bool = False
    source: str = ""
    """The id of the source the citation is in; ``""`` for the pack's first source."""

    @property
    def drafted(self) -> bool:
        return self.status == "drafted"

    @property
    def label(self) -> str:
        return "起草" if self.drafted else "出处"
