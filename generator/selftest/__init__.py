"""The staff self-test (自测): questions generated from a pack's model, each with its
right answer, wrong options that say why they are wrong, and the rules and source
sections it rests on. Decision and questionnaire questions are answered by
:mod:`generator.evaluate`, the engine ``check`` runs the cases with.

:func:`self_test` is a pure function of the model: the handbook's page
(:mod:`generator.site.selftest`) and the printable with its answer key
(:mod:`generator.printables.selftest`) show the same test.
"""

from __future__ import annotations

import random

from generator.model import Model
from generator.selftest.decisions import decision_questions, questionnaire_questions
from generator.selftest.facts import flow_questions, parameter_questions, rule_questions
from generator.selftest.questions import (
    TOPICS,
    Cited,
    Option,
    Question,
    SelfTest,
    fingerprint,
    numbered,
)

__all__ = ["TOPICS", "Cited", "Option", "Question", "SelfTest", "fingerprint", "self_test"]

_CACHE: dict[int, tuple[Model, SelfTest]] = {}


def self_test(model: Model) -> SelfTest:
    """The pack's self-test, seeded from the content it is generated from."""
    found = _CACHE.get(id(model))
    if found is not None and found[0] is model:
        return found[1]
    seed = fingerprint(model)
    rng = random.Random(int(seed[:16], 16))
    questions = [*decision_questions(model, rng), *questionnaire_questions(model, rng),
                 *parameter_questions(model, rng), *rule_questions(model, rng),
                 *flow_questions(model, rng)]
    meta = model.meta
    test = SelfTest(meta.id if meta else "", meta.title if meta else "",
                    bool(meta and meta.example), seed, numbered(questions))
    if len(_CACHE) >= 4:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(model)] = (model, test)
    return test
