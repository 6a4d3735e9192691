"""One engine: `check` runs the test cases with `generator.evaluate.run_case`.

Before `check`'s own case loop was removed, this file compared the two on every case
of the shipped packs, of the check examples and of mutations of each (a wrong
expectation, a missing or an unknown input or answer, a choice dropped): the verdict,
whether the case could run, the field at fault and the steps visited agreed on all
of them. What stays is the proof that `check` now reports exactly what the engine
concludes, on the same mutations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EXAMPLE_PACK, EXAMPLES, POLICIES

from generator.checks.cases import run_case as check_run_case
from generator.evaluate import run_case
from generator.model import Case, Model
from generator.pipeline import analyse

PACKS = {"wealth": POLICIES, "cash": EXAMPLE_PACK, "minimal": EXAMPLES / "valid" / "minimal"}


def mutations(model: Model, case: Case) -> Iterator[Case]:
    """The case, and ways of getting it wrong."""
    yield case
    for key, value in case.expect.items():
        wrong: object = ["no_such_override"] if isinstance(value, list) else (
            value + 1 if isinstance(value, int) else "no_such_value")
        yield replace(case, id=f"{case.id}~expect-{key}", expect={**case.expect, key: wrong})
    for key in case.given:
        yield replace(case, id=f"{case.id}~drop-{key}",
                      given={k: v for k, v in case.given.items() if k != key})
        yield replace(case, id=f"{case.id}~bad-{key}", given={**case.given, key: "no_such"})
    yield replace(case, id=f"{case.id}~unknown", given={**case.given, "no_such_name": "x"})
    if case.kind == "decision":
        table = model.decision_tables[case.target]
        numbers = [i.id for i in table.inputs if i.type == "number"]
        for name in numbers:
            yield replace(case, id=f"{case.id}~negative-{name}",
                          given={**case.given, name: -1})


def verdicts(model: Model) -> Iterator[tuple[str, tuple[object, ...], tuple[object, ...]]]:
    for case in model.cases.values():
        for variant in mutations(model, case):
            run = run_case(model, variant)
            outcome, visited = check_run_case(model, variant)
            yield (variant.id,
                   (bool(run.problem), run.invalid, run.field, run.visited),
                   (bool(outcome.problem), outcome.invalid, outcome.field, visited))


@pytest.mark.parametrize("pack", list(PACKS.values()), ids=list(PACKS))
def test_the_engine_and_check_agree_on_every_case_and_its_mutations(pack: Path) -> None:
    model = analyse(pack).model
    assert model.cases
    seen = list(verdicts(model))
    assert len(seen) > 3 * len(model.cases)
    assert {s[0] for s in seen if not s[1][0]} >= set(model.cases), "every shipped case passes"
    assert any(s[1][0] for s in seen), "some mutations fail"
    # The one difference, on purpose: an input outside its declared domain is refused
    # by the engine (case.input-out-of-domain reports it), where the old loop ran the
    # table on a client who cannot exist.
    apart = [s for s in seen if s[1] != s[2]]
    assert all("~negative-" in s[0] and s[1] == (False, True, (), []) for s in apart), apart
    assert [s for s in seen if s[1] != s[2] and "~negative-" not in s[0]] == []
