"""The one place that asks the model what a questionnaire's answers come to.

It is :meth:`Questionnaire.evaluate`: the score, its band, then the overrides that cap
or set the level, in the questionnaire's order; ``check``'s case runner calls the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.model import Level, Questionnaire


@dataclass(frozen=True, slots=True)
class Scored:
    score: int
    band: Level | None
    """The level the score falls in."""
    overrides: tuple[tuple[str, str, str], ...]
    """(id, title, effect) of each override applied, in order."""
    level: Level | None
    """The result: the band after the overrides."""


def scored(quiz: Questionnaire, answers: Mapping[str, str]) -> Scored:
    """The questionnaire's verdict on complete, valid answers."""
    result = quiz.evaluate(answers)
    return Scored(result.score, result.band,
                  tuple((o.id, o.title, o.effect) for o in result.applied), result.level)
