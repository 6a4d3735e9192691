"""Rules (``rules.yaml``), the categories they are grouped in, and their path constraints."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.core import Loc, Provenance


@dataclass(frozen=True, slots=True)
class Waypoint:
    """A place a path must pass: a step (optionally one of its outcomes), a stage,
    or any of several such places."""

    loc: Loc
    step: str = ""
    outcome: str = ""
    stage: str = ""
    any_of: tuple[Waypoint, ...] = ()

    def describe(self) -> str:
        if self.any_of:
            return " 或 ".join(w.describe() for w in self.any_of)
        if self.stage:
            return f"命名环节 {self.stage}"
        return f"{self.step}→{self.outcome}" if self.outcome else self.step


@dataclass(frozen=True, slots=True)
class Constraint:
    flow: str
    to: tuple[str, ...]
    in_order: tuple[Waypoint, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class RuleCategory:
    """A group of rules (``rules.yaml: categories``); the handbook lists the rules by
    category, in the order the categories are declared."""

    id: str
    title: str
    loc: Loc
    title_en: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    text: str
    category: str
    provenance: Provenance
    loc: Loc
    title_en: str = ""
    parameters: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()
