"""Scored single-choice questionnaires, their level bands and the overrides that act
after scoring.

:meth:`Questionnaire.evaluate` is the one evaluation of a set of answers: ``check``'s
case runner, the checks on overrides and any later tool call it, so a result means the
same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

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
class Override:
    """A rule that acts after scoring: when the answers match ``when``, the level is
    capped at (``cap``) or set to (``set``) ``level``, whatever the score.

    ``when`` maps a question id to the answers that trigger it; the override applies
    when every listed question was answered with one of its answers (several answers of
    one question: any of them; several questions: all of them)."""

    id: str
    title: str
    when: Mapping[str, tuple[str, ...]]
    effect: Literal["cap", "set"]
    level: str
    """The level id it caps at or sets."""
    description: str
    rules: tuple[str, ...]
    provenance: Provenance
    loc: Loc

    def applies(self, answers: Mapping[str, str]) -> bool:
        return all(answers.get(q) in chosen for q, chosen in self.when.items())


class Evaluation(NamedTuple):
    """What a set of answers gives: the score, the band the score falls in, the
    overrides that applied (in the questionnaire's order) and the level that results."""

    score: int
    band: Level | None
    applied: tuple[Override, ...]
    level: Level | None


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
    overrides: tuple[Override, ...] = ()
    """Applied after scoring, in this order; a later one acts on the level the earlier
    ones left."""

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

    def ranked(self) -> tuple[Level, ...]:
        """The levels from lowest to highest (by their bands): what ``cap`` compares."""
        return tuple(sorted(self.levels, key=lambda lv: (lv.min_score, lv.max_score)))

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def apply_overrides(self, band: Level | None, answers: Mapping[str, str]
                        ) -> tuple[tuple[Override, ...], Level | None]:
        """The overrides that apply to ``answers`` and the level they leave, starting
        from ``band``. An override naming an unknown level is skipped (a check reports
        it)."""
        rank = {lv.id: i for i, lv in enumerate(self.ranked())}
        level, applied = band, []
        for o in self.overrides:
            target = self.level(o.level)
            if target is None or not o.applies(answers):
                continue
            applied.append(o)
            if o.effect == "set" or level is None or rank[target.id] < rank[level.id]:
                level = target
        return tuple(applied), level

    def evaluate(self, answers: Mapping[str, str]) -> Evaluation:
        """Score ``answers`` (question id → answer id, every question answered), find
        the band, then apply the overrides. A pure function of the questionnaire and the
        answers; raises KeyError for an unknown question or answer."""
        score = self.score(answers)
        band = self.level_for(score)
        applied, level = self.apply_overrides(band, answers)
        return Evaluation(score, band, applied, level)
