"""A staff self-test (自测) generated from a pack's model: what a question is, and the
test as a whole.

Every question is computed, not written: a decision table's question is answered by
:func:`generator.evaluate.evaluate_decision` on the inputs it states, a
questionnaire's by :func:`generator.evaluate.evaluate_questionnaire` on the answers
it states; a parameter's, a rule's and a flow's come straight from the model. Each
wrong option says why it is wrong, and every question cites its rules and the
source's section. The test is seeded from the content it is generated from
(:func:`fingerprint`): the same policies give the same test, and a changed threshold
gives other questions.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from generator.evaluate.citations import citation, rule_refs
from generator.evaluate.export import decision_data, questionnaire_data
from generator.evaluate.report import cite
from generator.model import Model, Provenance
from generator.prose import prose

Topic = Literal["decision", "questionnaire", "parameter", "rule", "flow"]
TOPICS: dict[str, str] = {"decision": "决策表", "questionnaire": "问卷", "parameter": "参数",
                          "rule": "规则", "flow": "流程顺序"}
"""Each topic's heading, in the order the test asks them."""
KEYS = "ABCD"


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    """``A`` … ``D``, after shuffling."""
    text: str
    correct: bool
    why: str
    """Why this option is right, or why it is wrong."""
    value: str = ""
    """What the option stands for in the model (an output value, a level, a step id,
    a number): what a test compares against the engine."""

    def __post_init__(self) -> None:
        # Shown on the page and the printout: Chinese prose punctuation.
        object.__setattr__(self, "text", prose(self.text))
        object.__setattr__(self, "why", prose(self.why))


@dataclass(frozen=True, slots=True)
class Cited:
    """Where the answer comes from: a rule (with its citation) or an element's own."""

    rule: str
    """The rule's id; ``""`` for an element's own provenance (a row, a parameter)."""
    title: str
    cite: str
    """``出处 《…》第二部分 四(二)「…」`` or ``起草(依据 …)``."""


@dataclass(frozen=True, slots=True)
class Question:
    topic: Topic
    about: str
    """The element it asks about (a table's, a parameter's, a flow's title)."""
    stem: str
    options: tuple[Option, ...]
    explanation: str
    """Why the right answer is right, in the model's words."""
    sources: tuple[Cited, ...]
    facts: Mapping[str, Any] = field(default_factory=dict)
    """What the answer was computed from (``table`` and ``inputs``, ``questionnaire`` and
    ``answers``, ``parameter``, ``rule``, ``step``): enough to compute it again."""
    number: int = 0
    """1-based, in the test's order."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "stem", prose(self.stem))
        object.__setattr__(self, "explanation", prose(self.explanation))

    @property
    def id(self) -> str:
        return f"q{self.number:02d}"

    @property
    def answer(self) -> Option:
        return next(o for o in self.options if o.correct)

    @property
    def topic_title(self) -> str:
        return TOPICS[self.topic]


@dataclass(frozen=True, slots=True)
class SelfTest:
    pack: str
    title: str
    example: bool
    """The pack is an example: the test says so."""
    seed: str
    """The fingerprint of the content it was generated from."""
    questions: tuple[Question, ...]

    def by_topic(self) -> list[tuple[str, list[Question]]]:
        """(heading, questions) per topic, in the test's order."""
        groups: dict[str, list[Question]] = {}
        for q in self.questions:
            groups.setdefault(q.topic, []).append(q)
        return [(TOPICS[t], groups[t]) for t in TOPICS if t in groups]


# --- pieces every generator uses -----------------------------------------------------


def fingerprint(model: Model) -> str:
    """A digest of everything the questions are generated from."""
    data = {
        "tables": [decision_data(model, t) for t in model.decision_tables.values()],
        "quizzes": [questionnaire_data(model, q) for q in model.questionnaires.values()],
        "parameters": [(p.id, p.title, p.value, p.unit) for p in model.parameters.values()],
        "rules": [(r.id, r.title, r.text) for r in model.rules.values()],
        "flows": [(f.id, f.title, [(s.id, s.title, s.type, [t for t, _ in s.successors()])
                                   for s in f.steps]) for f in model.flows.values()],
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shuffled(rng: random.Random, right: tuple[str, str, str],
             wrong: Sequence[tuple[str, str, str]]) -> tuple[Option, ...]:
    """The right option and up to three wrong ones, each (text, why, value), in a
    seeded order, lettered A…; a wrong option that reads like another is dropped."""
    seen = {right[0]}
    picked: list[tuple[str, str, str]] = []
    for w in wrong:
        if w[0] not in seen and len(picked) < len(KEYS) - 1:
            seen.add(w[0])
            picked.append(w)
    options = [(right, True)] + [(w, False) for w in picked]
    rng.shuffle(options)
    return tuple(Option(KEYS[i], text, correct, why, value)
                 for i, ((text, why, value), correct) in enumerate(options))


def rule_sources(model: Model, rule_ids: Iterable[str]) -> list[Cited]:
    return [Cited(r.id, r.title, cite(r.citation)) for r in rule_refs(model, rule_ids)]


def own_source(model: Model, title: str, prov: Provenance) -> Cited:
    return Cited("", title, cite(citation(model, prov)))


def numbered(questions: Iterable[Question]) -> tuple[Question, ...]:
    """In topic order, numbered; a question left with no wrong option is no question."""
    ordered = sorted((q for q in questions if len(q.options) > 1),
                     key=lambda q: list(TOPICS).index(q.topic))
    return tuple(replace(q, number=i + 1) for i, q in enumerate(ordered))
