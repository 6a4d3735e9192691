"""Every text is judged: a question, an answer or a title that changes a number, a unit or
a negation is material, even where a rewording alone is editorial; and the decision
table's fields that no spec compares (an input's minimum and maximum, the titles of
values, the rules a table or a row serves) are still reported, as material, by the
fail-closed raw comparison. Each case is a throw-away repository like test_diff's."""

from __future__ import annotations

from typing import Any

import pytest
from test_diff import PackRepo, repo  # noqa: F401  (the fixture)

from generator.diff.failclosed import FIELD_NOT_COMPARED
from generator.diff.wording import substance_change

QUESTIONNAIRE = "questionnaires/risk-assessment.yaml"
DECISION = "decisions/eligibility.yaml"


def changes(repo: PackRepo) -> list[dict[str, Any]]:  # noqa: F811
    found: list[dict[str, Any]] = repo.json("HEAD~1", "HEAD")["changes"]
    return found


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [("{ id: a, text: 18至50岁, score: 4 }", "{ id: a, text: 18至55岁, score: 4 }",
      "文中的数字有变化"),
     ("{ id: b, text: 不足5年, score: 2 }", "{ id: b, text: 不足5个月, score: 2 }",
      "文中的单位有变化"),
     ("{ id: a, text: 没有投资经验, score: 0 }", "{ id: a, text: 有投资经验, score: 0 }",
      "否定用语有变化(删去 “没有”)")],
    ids=["number", "unit", "negation"],
)
def test_an_answer_whose_number_unit_or_negation_changes_is_material(
        repo: PackRepo, old: str, new: str, reason: str) -> None:  # noqa: F811
    repo.edit(QUESTIONNAIRE, old, new)
    repo.commit("答案")
    (change,) = changes(repo)
    assert (change["kind"], change["action"], change["significance"], change["reason"]) == (
        "answer", "reworded", "material", reason)


def test_a_question_whose_number_changes_is_material(repo: PackRepo) -> None:  # noqa: F811
    repo.edit(QUESTIONNAIRE, "text: 您的年龄是?", "text: 您的年龄是否在18岁以上?")
    repo.commit("题目")
    (change,) = changes(repo)
    assert (change["kind"], change["significance"], change["reason"]) == (
        "question", "material", "文中的数字有变化")


def test_a_rewording_that_keeps_numbers_units_and_negations_is_editorial(
        repo: PackRepo) -> None:  # noqa: F811
    repo.edit(QUESTIONNAIRE, "text: 您的年龄是?", "text: 请问您的年龄是?")
    repo.edit(QUESTIONNAIRE, "{ id: a, text: 18至50岁, score: 4 }",
              "{ id: a, text: 18岁至50岁, score: 4 }")
    repo.commit("措辞")
    found = {c["kind"]: c for c in changes(repo)}
    assert sorted(found) == ["answer", "question"]
    assert found["question"]["significance"] == "editorial"
    # `18至50岁` → `18岁至50岁`: the unit 岁 now follows 18 too; that is a unit change.
    assert (found["answer"]["significance"], found["answer"]["reason"]) == (
        "material", "文中的单位有变化")


@pytest.mark.parametrize(
    ("old", "new", "aspect"),
    [("    minimum: 0\n", "    minimum: 1000\n", "inputs[financial_assets].minimum"),
     ("    minimum: 0\n", "    minimum: 0\n    maximum: 100000000\n",
      "inputs[financial_assets].maximum"),
     ("title: 达标,可以开户", "title: 达标,即可开户",
      "outputs[eligibility].values[eligible].title"),
     ("rules: [R-ELIG, R-ELIG-EXC]\nprovenance", "rules: [R-ELIG]\nprovenance", "rules"),
     ("    rules: [R-ELIG]\n", "    rules: [R-ELIG, R-ELIG-EXC]\n",
      "rows[assets_meet_standard].rules")],
    ids=["minimum", "maximum", "value-title", "table-rules", "row-rules"],
)
def test_decision_fields_no_spec_compares_are_material(
        repo: PackRepo, old: str, new: str, aspect: str) -> None:  # noqa: F811
    repo.edit(DECISION, old, new)
    repo.commit("决策表")
    found = changes(repo)
    assert found, "the change went unreported"
    assert all(c["significance"] == "material" for c in found), found
    assert any(c["aspect"].startswith(aspect) and c["reason"] == FIELD_NOT_COMPARED
               for c in found), [(c["aspect"], c["reason"]) for c in found]


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [("18至30岁", "18至35岁", True), ("100万元", "100万美元", True), ("30岁", "30周岁", True),
     ("可以开户", "不可以开户", True), ("已批准", "未批准", True),
     ("{{ a }}", "{{ b }}", True),
     ("您的年龄是?", "请问您的年龄?", False), ("不同客户", "各类客户", False),
     ("非常重要", "很重要", False)],
)
def test_substance_change(old: str, new: str, changed: bool) -> None:
    assert bool(substance_change(old, new)) is changed, substance_change(old, new)
