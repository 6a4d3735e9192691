"""The one place that asks the model what a questionnaire's answers come to.

Today it is :meth:`Questionnaire.score` and :meth:`Questionnaire.level_for` (a score
band, no overrides). When questionnaires gain overrides (a level capped or set after
scoring), :func:`scored` switches to the model's own evaluation and nothing else in
:mod:`generator.evaluate`, the browser tool's export or the handbook changes.
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
    total = quiz.score(answers)
    band = quiz.level_for(total)
    return Scored(total, band, (), band)
