"""Flows: steps, their inputs and outputs, decision outcomes and declared loops."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.model.core import Loc, Provenance

StepType = Literal["start", "task", "decision", "end"]

RESULT_TITLES = {
    "opened": "办成", "declined": "客户放弃", "refused": "未通过或不予办理",
    "pending": "暂停办理，待审批结果或客户再次到场", "done": "流程完成",
}
"""An end step's ``result`` in words, as the flow schema describes each value (the
schema's enum; ``tests/test_site_words.py`` keeps the two alike)."""


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

    def numbers(self) -> dict[str, int]:
        """The step numbers every output prints (the web diagram and step table, the flow
        sheet and the checklists): task and decision steps numbered 1, 2, … in the flow's
        order; start and end steps have none."""
        working = [s for s in self.steps if s.type in ("task", "decision")]
        return {s.id: i + 1 for i, s in enumerate(working)}

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
