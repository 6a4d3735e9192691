"""Scored single-choice questionnaires and their level bands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.model.core import Loc, Provenance


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    text: str
    score: int
    loc: Loc


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    topic: str
    answers: tuple[Answer, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    title: str
    title_en: str
    min_score: int
    max_score: int
    description: str
    max_product_risk: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: str
    title: str
    title_en: str
    summary: str
    instructions: str
    rules: tuple[str, ...]
    validity: str
    questions: tuple[Question, ...]
    levels: tuple[Level, ...]
    provenance: Provenance
    loc: Loc

    @property
    def min_score(self) -> int:
        return sum(min(a.score for a in q.answers) for q in self.questions)

    @property
    def max_score(self) -> int:
        return sum(max(a.score for a in q.answers) for q in self.questions)

    def score(self, answers: Mapping[str, str]) -> int:
        """Total score; raises KeyError for an unknown question or answer."""
        total = 0
        for q in self.questions:
            chosen = answers[q.id]
            scores = [a.score for a in q.answers if a.id == chosen]
            if not scores:
                raise KeyError(f"{q.id}: {chosen}")
            total += scores[0]
        return total

    def level_for(self, score: int) -> Level | None:
        for level in self.levels:
            if level.min_score <= score <= level.max_score:
                return level
        return None
