"""Flows: steps, their inputs and outputs, decision outcomes and declared loops."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.model.core import Loc, Provenance

StepType = Literal["start", "task", "decision", "end"]


@dataclass(frozen=True, slots=True)
class IO:
    kind: Literal["form", "document", "system"]
    value: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    title: str
    next: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    flow: str
    type: StepType
    title: str
    provenance: Provenance
    loc: Loc
    title_en: str = ""
    stage: str = ""
    actor: str = ""
    permission: str = ""
    purpose: str = ""
    actions: tuple[str, ...] = ()
    inputs: tuple[IO, ...] = ()
    outputs: tuple[IO, ...] = ()
    rules: tuple[str, ...] = ()
    decision_table: str = ""
    questionnaire: str = ""
    question: str = ""
    outcomes: tuple[Outcome, ...] = ()
    next: str = ""
    result: str = ""
    continues_in: str = ""

    def successors(self) -> list[tuple[str, Outcome | None]]:
        """(target step id, the outcome that leads there or None)."""
        if self.type == "decision":
            return [(o.next, o) for o in self.outcomes]
        return [(self.next, None)] if self.next else []

    @property
    def forms(self) -> tuple[str, ...]:
        """Forms this step uses or produces."""
        return tuple(dict.fromkeys(io.value for io in (*self.inputs, *self.outputs)
                                   if io.kind == "form"))


@dataclass(frozen=True, slots=True)
class Loop:
    from_step: str
    to_step: str
    reason: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Flow:
    id: str
    title: str
    title_en: str
    order: int
    actors: tuple[str, ...]
    summary: str
    steps: tuple[Step, ...]
    loops: tuple[Loop, ...]
    provenance: Provenance
    loc: Loc

    def step(self, step_id: str) -> Step | None:
        for s in self.steps:
            if s.id == step_id:
                return s
        return None

    @property
    def performers(self) -> tuple[str, ...]:
        """The roles that perform its steps, in step order: who takes part, as the flow
        itself shows it (``actors`` is what the source names, which may differ)."""
        return tuple(dict.fromkeys(s.actor for s in self.steps if s.actor))

    @property
    def starts(self) -> list[Step]:
        return [s for s in self.steps if s.type == "start"]

    @property
    def ends(self) -> list[Step]:
        return [s for s in self.steps if s.type == "end"]
