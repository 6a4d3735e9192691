"""Executable decision tables: inputs, outputs and rows of conditions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator.model.core import Loc, Provenance
from generator.model.parameters import Parameter


@dataclass(frozen=True, slots=True)
class EnumValue:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class DecisionInput:
    id: str
    title: str
    type: Literal["number", "enum"]
    unit: str
    minimum: float | None
    maximum: float | None
    values: tuple[EnumValue, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class DecisionOutput:
    id: str
    title: str
    values: tuple[EnumValue, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Bound:
    value: float
    parameter: str = ""
    """The parameter the bound was written as, if any."""


@dataclass(frozen=True, slots=True)
class Interval:
    """A numeric condition; ``None`` means unbounded on that side."""

    low: Bound | None
    low_inclusive: bool
    high: Bound | None
    high_inclusive: bool
    loc: Loc

    def contains(self, x: float) -> bool:
        if self.low is not None and (x < self.low.value
                                     or (x == self.low.value and not self.low_inclusive)):
            return False
        return not (self.high is not None
                    and (x > self.high.value
                         or (x == self.high.value and not self.high_inclusive)))

    def describe(self, parameters: Mapping[str, Parameter] | None = None) -> str:
        def show(b: Bound) -> str:
            if b.parameter and parameters and b.parameter in parameters:
                return parameters[b.parameter].display
            return f"{b.value:g}"

        parts = []
        if self.low is not None:
            parts.append(("≥ " if self.low_inclusive else "> ") + show(self.low))
        if self.high is not None:
            parts.append(("≤ " if self.high_inclusive else "< ") + show(self.high))
        return " 且 ".join(parts) or "任意"


@dataclass(frozen=True, slots=True)
class EnumSet:
    values: tuple[str, ...]
    loc: Loc

    def contains(self, x: str) -> bool:
        return x in self.values


Condition = Interval | EnumSet


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    when: Mapping[str, Condition]
    then: Mapping[str, str]
    note: str
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc

    def matches(self, inputs: Mapping[str, Any]) -> bool:
        for name, cond in self.when.items():
            value = inputs.get(name)
            if isinstance(cond, Interval):
                if not isinstance(value, int | float) or isinstance(value, bool):
                    return False
                if not cond.contains(float(value)):
                    return False
            elif not cond.contains(str(value)):
                return False
        return True


@dataclass(frozen=True, slots=True)
class DecisionTable:
    id: str
    title: str
    title_en: str
    summary: str
    hit_policy: str
    inputs: tuple[DecisionInput, ...]
    outputs: tuple[DecisionOutput, ...]
    rows: tuple[Row, ...]
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc

    def evaluate(self, inputs: Mapping[str, Any]) -> list[Row]:
        """Every row that matches (a sound table returns exactly one)."""
        return [row for row in self.rows if row.matches(inputs)]
