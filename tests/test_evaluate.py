"""`policybook evaluate` and `generator.evaluate`: a client's case through the shipped
pack and the example pack, with golden outputs in three formats, bad input with
file:line:col, exit codes 0/1/2, and the same verdict as `check` on every shipped case.

Set UPDATE_GOLDEN=1 to rewrite tests/golden/evaluate/ after an intended change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import EXAMPLE_PACK, LIBRARY, POLICIES, ROOT, run_cli

from generator.checks.cases import results
from generator.evaluate import (
    EvaluationError,
    Facts,
    evaluate_decision,
    evaluate_questionnaire,
    read_facts,
    run_case,
    walk_flow,
)
from generator.model import Model
from generator.pipeline import analyse

GOLDEN = ROOT / "tests" / "golden" / "evaluate"
FACTS = Path("tests") / "examples" / "evaluate"


@pytest.fixture(scope="module")
def wealth() -> Model:
    return analyse(POLICIES).model


@pytest.fixture(scope="module")
def cash() -> Model:
    return analyse(EXAMPLE_PACK).model


# --- the library API ----------------------------------------------------------------


def test_decision_says_why(wealth: Model) -> None:
    r = evaluate_decision(wealth, "eligibility",
                          {"financial_assets": 950000, "approval": "not_requested"})
    assert r.decided and r.output() == "approval_required"
    assert r.row is not None and r.row.id == "below_standard_not_requested"
    assets = r.row.checks[0]
    assert (assets.shown, assets.condition, assets.written, assets.holds) == (
        "95万元", "< 100万元", "< min_financial_assets (100万元)", True)
    assert assets.bounds[0].parameter == "min_financial_assets"
    assert assets.bounds[0].value == 1_000_000
    (rule,) = r.rules
    assert rule.id == "R-ELIG-EXC"
    assert rule.citation.section == "第二部分 四(二)"
    assert rule.citation.section_title == "严格执行客户准入资格审定"


def test_decision_needs_only_what_decides(wealth: Model) -> None:
    assert evaluate_decision(wealth, "eligibility",
                             {"financial_assets": 1_200_000}).output() == "eligible"
    r = evaluate_decision(wealth, "eligibility", {"financial_assets": 950000})
    # Below the standard every row reads the approval; the rows it could still reach
    # also read the approval's age (validity) and whether a refusal has new facts.
    assert (r.status, r.missing) == ("missing", ("approval", "approval_age_days", "new_facts"))
    r = evaluate_decision(wealth, "eligibility",
                          {"financial_assets": 950000, "approval": "pending"})
    assert r.decided and r.output() == "approval_pending"


@pytest.mark.parametrize(("inputs", "words"), [
    ({"approval": "waiting"}, "不是输入 approval"),
    ({"financial_assets": "95万"}, "应为数字"),
    ({"financial_assets": -1}, "不能小于 0"),
    ({"assets": 1}, "没有输入 “assets”"),
])
def test_decision_refuses_bad_inputs(wealth: Model, inputs: dict[str, object],
                                     words: str) -> None:
    with pytest.raises(EvaluationError, match=words):
        evaluate_decision(wealth, "eligibility", inputs)


def test_questionnaire_per_question_band_level(cash: Model) -> None:
    answers = {"q1": "a", "q2": "b", "q3": "a", "q4": "c", "q5": "a", "q6": "a"}
    r = evaluate_questionnaire(cash, "fraud_screening", answers)
    assert [a.score for a in r.answers] == [0, 4, 0, 2, 0, 0]
    assert r.score == 6 and r.band is not None and r.level is not None
    assert (r.band.id, r.level.id, r.overrides) == ("high_risk", "high_risk", ())
    partial = evaluate_questionnaire(cash, "fraud_screening", {"q1": "a"})
    assert partial.missing == ("q2", "q3", "q4", "q5", "q6") and partial.score is None


def test_walk_stops_at_the_missing_fact(wealth: Model) -> None:
    w = walk_flow(wealth, "front_desk", Facts(inputs={"financial_assets": 1_200_000}))
    assert w.stop == "missing" and w.path[-1] == "vulnerability_check"
    (missing,) = w.missing
    assert (missing.kind, missing.name, missing.options) == (
        "choice", "vulnerability_check", ("impaired_capacity", "agent_only", "elderly",
                                          "assisted_reading", "language_support", "none"))
    eligibility = next(s for s in w.steps if s.id == "eligibility_check")
    assert eligibility.decision is not None and eligibility.decision.by == "table"


def test_walk_refuses_a_choice_the_table_contradicts(wealth: Model) -> None:
    w = walk_flow(wealth, "front_desk", Facts(
        inputs={"financial_assets": 1_200_000}, choices={"eligibility_check": "not_eligible"}))
    assert w.stop == "invalid" and "不一致" in w.message


def test_walk_uses_the_questionnaire_and_explains_a_chosen_outcome(wealth: Model) -> None:
    case = wealth.cases["exception_refused"]
    w = walk_flow(wealth, case.target, Facts(choices=dict(case.given)))
    step = next(s for s in w.steps if s.id == "eligibility_check")
    assert step.decision is not None and step.decision.by == "choice"
    assert [r.id for r in step.decision.explained_by] == ["below_standard_not_requested"]


@pytest.mark.parametrize("pack", [POLICIES, EXAMPLE_PACK], ids=["wealth", "cash"])
def test_every_shipped_case_agrees_with_check(pack: Path) -> None:
    """One engine: what `check` concludes about a case is what `evaluate` computes."""
    model = analyse(pack).model
    assert model.cases
    for case in model.cases.values():
        run = run_case(model, case)
        assert run.passed, (case.id, run.problem)
        assert results(model)[case.id] == run, case.id
        if case.kind == "flow":
            assert run.result is not None
            assert run.result.path == run.visited  # type: ignore[union-attr]


def test_facts_file_problems_are_located(wealth: Model) -> None:
    raw = (ROOT / FACTS / "wealth-bad.yaml").read_bytes()
    facts, problems = read_facts(raw, "f.yaml", wealth, "front_desk")
    assert facts is None
    assert [(d.line, d.column, d.check) for d in problems] == [
        (2, 3, "facts.unknown-name"), (3, 13, "facts.wrong-value"),
        (6, 14, "facts.wrong-value"), (8, 24, "facts.wrong-value"),
        (9, 3, "facts.unknown-name")]


# --- the command ------------------------------------------------------------------


GOLDENS = {
    "eligibility-950k": ("decision", "eligibility", "--set", "financial_assets=950000",
                         "--set", "approval=not_requested"),
    "eligibility-missing": ("decision", "eligibility", "--set", "financial_assets=950000"),
    "authorisation-elderly": ("decision", "authorisation_level", "--set", "day_total=300000",
                              "--set", "client_age=72"),
    "risk-assessment": ("questionnaire", "risk_assessment", "--answers",
                        str(FACTS / "risk-answers.yaml")),
    "fraud-screening": ("questionnaire", "fraud_screening", "--answers",
                        str(FACTS / "fraud-answers.yaml")),
    "front-desk": ("flow", "front_desk", "--facts", str(FACTS / "wealth-opening.yaml")),
    "front-desk-missing": ("flow", "front_desk", "--facts", str(FACTS / "wealth-missing.yaml")),
    "counter-withdrawal": ("flow", "counter_withdrawal", "--facts",
                           str(FACTS / "cash-elderly.yaml")),
}
EXT = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", sorted(EXT))
@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_golden(in_root: Path, name: str, fmt: str) -> None:
    run = run_cli("evaluate", *GOLDENS[name], "--format", fmt)
    assert run.code == 0, run.err
    golden = GOLDEN / f"{name}.{EXT[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(run.out, encoding="utf-8")
    assert run.out == golden.read_text(encoding="utf-8")
    if fmt == "json":
        json.loads(run.out)


def test_issue_example(in_root: Path) -> None:
    run = run_cli("evaluate", "decision", "eligibility", "--set", "financial_assets=950000",
                  "--set", "approval=not_requested", "--format", "json")
    data = json.loads(run.out)
    assert data["outputs"][0]["value"] == "approval_required"
    assert data["row"]["id"] == "below_standard_not_requested"
    assert data["rules"][0]["citation"]["section_title"] == "严格执行客户准入资格审定"


@pytest.mark.parametrize(("argv", "code", "words"), [
    (("decision", "nope"), 2, "没有决策表 “nope”"),
    (("decision", "eligibility", "--set", "assets=1"), 2, "没有输入 “assets”"),
    (("decision", "eligibility", "--set", "approval=waiting"), 2, "不是输入 approval"),
    (("decision", "eligibility", "--set", "financial_assets=95万"), 2, "应为数字"),
    (("decision", "eligibility", "--set", "approval"), 2, "输入=值"),
    (("decision", "eligibility", "--pack", "cash-withdrawal"), 2, "没有决策表"),
    (("questionnaire", "risk_assessment", "--answers", "missing.yaml"), 2, "找不到文件"),
    (("flow", "front_desk", "--facts", str(FACTS / "wealth-bad.yaml")), 1,
     "wealth-bad.yaml:2:3: error [facts.unknown-name]"),
    (("questionnaire", "risk_assessment", "--answers", str(FACTS / "risk-bad.yaml")), 1,
     "risk-bad.yaml:2:1: error [yaml.duplicate-key]"),
    (("questionnaire", "risk_assessment", "--answers", str(FACTS / "fraud-answers.yaml")), 1,
     "fraud-answers.yaml:1:1: error [facts.unknown-name]"),
    (("flow", "front_desk"), 2, "--facts"),
])
def test_bad_usage_and_bad_input(in_root: Path, argv: tuple[str, ...], code: int,
                                 words: str) -> None:
    run = run_cli("evaluate", *argv)
    assert run.code == code, (run.out, run.err)
    assert words in run.err
    assert "Traceback" not in run.err


def test_pack_option_and_library(in_root: Path) -> None:
    run = run_cli("evaluate", "decision", "withdrawal_tier", "--policies", LIBRARY,
                  "--pack", "cash-withdrawal", "--set", "day_total=60000")
    assert run.code == 0 and "large_no_booking_needed" in run.out
