"""Scored single-choice questionnaires and their level bands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.model.core import Loc, Provenance

RESULT_TITLE = "等级"
"""What a questionnaire's result is called when it does not say (``result_title``)."""
ALLOWS_TITLE = "适用范围"
"""The heading of what each level allows when the questionnaire does not say."""


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
    allows: str
    """What a result of this level allows (the questionnaire's ``allows_title`` names
    it); may be empty."""
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
    result_title: str = RESULT_TITLE
    """What the level stands for, e.g. 风险承受能力等级; heads the level column."""
    allows_title: str = ALLOWS_TITLE
    """Heads the column of what each level allows."""

    @property
    def allows(self) -> bool:
        """Whether any level says what it allows (else the column is left out)."""
        return any(lv.allows for lv in self.levels)

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
