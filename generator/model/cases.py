"""Executable test cases for decision tables, questionnaires and flows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.model.core import Loc, Provenance


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    title: str
    kind: Literal["decision", "questionnaire", "flow"]
    target: str
    """The decision table, questionnaire or flow the case exercises."""
    rules: tuple[str, ...]
    given: Mapping[str, Any]
    """Decision inputs, questionnaire answers, or flow choices (decision step → outcome).
    Inputs written relative to a parameter are resolved to numbers."""
    expect: Mapping[str, Any]
    case_set: str
    provenance: Provenance
    loc: Loc
    parameters: Mapping[str, str] = field(default_factory=dict)
    """Decision input id → the parameter its value was written relative to."""
    shown: Mapping[str, str] = field(default_factory=dict)
    """Decision input id → how a relative input reads (``100万元 − 0.01``)."""
    written: Mapping[str, Any] = field(default_factory=dict)
    """The inputs as written (``{param: …, offset: …}`` unresolved): what a reviewer
    compares, since a moved parameter moves the resolved values but changes no case."""
