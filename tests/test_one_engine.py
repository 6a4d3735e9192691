"""One engine: `check` runs the test cases with `generator.evaluate.run_case`.

Before `check`'s own case loop was removed (commit "evaluate.run_case judges a case as
check does"), this file compared the two on every case of both shipped packs and the
minimal pack and on mutations of each (a wrong expectation, a dropped, bad or unknown
input, answer or choice): the verdict, whether the case could run, the field at fault
and the steps visited agreed on all of them, except an input outside its declared
domain, which the engine refuses (case.input-out-of-domain reports it) where the old
loop ran the table. What stays is the proof that `check` now reports exactly what the
engine concludes, on the same mutations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EXAMPLE_PACK, EXAMPLES, POLICIES

from generator.checks import cases
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


def mutated(pack: Path) -> tuple[Model, list[Case]]:
    """The pack's model (unchecked) with its cases replaced by their mutations."""
    model = analyse(pack, checks=False).model
    variants = [v for case in model.cases.values() for v in mutations(model, case)]
    model.cases = {v.id: v for v in variants}
    return model, variants


@pytest.mark.parametrize("pack", list(PACKS.values()), ids=list(PACKS))
def test_check_reports_what_the_engine_concludes(pack: Path) -> None:
    shipped = analyse(pack, checks=False).model
    model, variants = mutated(pack)
    assert len(variants) > 3 * len(shipped.cases)
    runs = {v.id: run_case(model, v) for v in variants}
    assert cases.results(model) == runs, "check's results are the engine's"
    assert all(runs[c].passed for c in shipped.cases), "every shipped case passes"
    found = {"case.failed": cases.failed, "case.invalid": cases.invalid}
    for check_id, check in found.items():
        reported = {d.message.split(" ", 2)[1].split("(")[0]: d for d in check(model)}
        wanted = {k for k, r in runs.items()
                  if r.problem and r.invalid == (check_id == "case.invalid")}
        assert set(reported) == wanted, check_id
        for case_id, d in reported.items():
            assert runs[case_id].problem in d.message and d.hint == runs[case_id].hint
            assert d.line >= runs[case_id].case.loc.line
    assert any(r.problem and not r.invalid for r in runs.values())
    assert any(r.problem and r.invalid for r in runs.values())
    # An input outside its declared domain: the engine refuses it and says nothing, as
    # case.input-out-of-domain reports it.
    outside = [r for k, r in runs.items() if "~negative-" in k]
    assert outside == [] or all(r.invalid and not r.problem for r in outside)


@pytest.mark.parametrize("pack", list(PACKS.values()), ids=list(PACKS))
def test_walkthroughs_trace_and_check_read_the_same_walk(pack: Path) -> None:
    model = analyse(pack).model
    for case in model.cases.values():
        run = cases.results(model)[case.id]
        if case.kind == "flow":
            assert run.visited and run.visited == run_case(model, case).visited
            assert run.visited[-1] == case.expect["end"]
