"""Questionnaire overrides: the evaluation the case runner and later tools share
(:meth:`Questionnaire.evaluate`), and the safety property of the shipped risk
questionnaire: a client who accepts no loss is rated C1 whatever the other answers.

The property is shown twice: by hypothesis over random answer sets that contain the
no-loss answer, and exhaustively by the same search ``check`` uses for unreachable
bands (every class of answers the overrides read × every reachable score). Both read
the questions from the pack, so they cover every question it has: since the liabilities
question q13 was added (13 questions, scores 6–49, the bands re-cut) the property still
holds, and the tests say so by drawing an answer to all 13, q13 among them."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.overrides import reachable_levels
from generator.model import Questionnaire
from generator.pipeline import analyse
from generator.printables.build import plan
from generator.printables.render import render_html
from generator.site.pages import render_site
from tests.conftest import EXAMPLES, POLICIES
from tests.test_diff import GIT_ENV, PackRepo, summary


@functools.cache
def risk() -> Questionnaire:
    return analyse(POLICIES).model.questionnaires["risk_assessment"]


def answer_sets(quiz: Questionnaire, fixed: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({
        q.id: st.just(fixed[q.id]) if q.id in fixed else st.sampled_from([a.id for a in q.answers])
        for q in quiz.questions})


NO_LOSS = [{"q08_loss_tolerance": "a"}, {"q07_objective": "a"},
           {"q07_objective": "a", "q08_loss_tolerance": "a"}]


@pytest.mark.parametrize("fixed", NO_LOSS, ids=["q08", "q07", "both"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_client_who_accepts_no_loss_is_c1_whatever_else(fixed: dict[str, str],
                                                           data: st.DataObject) -> None:
    answers = data.draw(answer_sets(risk(), fixed))
    assert len(answers) == len(risk().questions) == 13 and "q13_liabilities" in answers
    result = risk().evaluate(answers)
    assert result.level is not None and result.level.id == "C1", (answers, result.score)
    assert result.band is not None  # the score still falls in a band, shown on the record


@pytest.mark.parametrize("question", ["q08_loss_tolerance", "q07_objective"])
def test_no_answer_combination_with_no_loss_reaches_above_c1(question: str) -> None:
    pinned = replace(risk(), questions=tuple(
        q if q.id != question else replace(q, answers=tuple(a for a in q.answers if a.id == "a"))
        for q in risk().questions))
    assert "q13_liabilities" in {q.id for q in pinned.questions}
    found = reachable_levels(pinned)
    assert found is not None and set(found) == {"C1"}


def test_without_overrides_every_band_is_reachable_and_with_them_too() -> None:
    found = reachable_levels(risk())
    assert found is not None and set(found) == {lv.id for lv in risk().levels}
    for reach in found.values():
        level = risk().evaluate(reach.answers).level
        assert level is not None and level.id == reach.level


def test_evaluate_gives_score_band_applied_overrides_and_level() -> None:
    quiz = analyse(EXAMPLES / "valid" / "minimal").model.questionnaires["risk_quiz"]
    score, band, applied, level = quiz.evaluate({"q1": "b", "q2": "a"})
    assert (score, band and band.id, [o.id for o in applied], level and level.id) == \
        (2, "C3", ["no_loss"], "C1")
    score, band, applied, level = quiz.evaluate({"q1": "b", "q2": "b"})
    assert (score, band and band.id, applied, level and level.id) == (4, "C3", (), "C3")
    with pytest.raises(KeyError):
        quiz.evaluate({"q1": "z", "q2": "a"})


def test_the_site_and_the_bank_copy_show_the_overrides() -> None:
    model = analyse(POLICIES).model
    page = next(p.markdown for p in render_site(model)
                if p.src == "questionnaires/risk_assessment.md")
    overrides = page[page.index("## 覆盖规则"):page.index("## 题目与分值")]
    assert "不能承受任何本金亏损的，评为保守型（C1）" in overrides
    assert "至多为 C1 保守型" in overrides and "R-RISK-LOWEST" in overrides
    form = next(p for p in plan(model) if p.id == "risk_questionnaire")
    html = render_html(form, None)
    client, bank = html.split('<div class="bank-copy">')
    assert "评分标准" not in client and "至多为 C1" not in client  # the client's pages
    assert "评分标准" in bank and "第8题选A" in bank and "至多为 C1 保守型" in bank


def test_an_override_change_is_material(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    repo = PackRepo(tmp_path, EXAMPLES / "valid" / "minimal")
    repo.edit("questionnaires/risk.yaml", "    cap: C1\n", "    cap: C3\n")
    repo.edit("cases/opening.yaml", "{ level: C1, score: 0, overrides: [no_loss] }",
              "{ level: C1, score: 0, band: C1, overrides: [no_loss] }")
    repo.edit("questionnaires/risk.yaml", "when: { q2: [a] }", "when: { q1: [a], q2: [a] }")
    repo.commit("放宽覆盖规则")
    changes = [(k, i, a, m) for k, i, a, m in summary(repo.json("HEAD~1", "HEAD"))
               if k == "questionnaire_override"]
    assert changes and all(m == "material" for *_, m in changes), changes
    assert ("questionnaire_override", "risk_quiz/no_loss") in {(k, i) for k, i, _, _ in changes}
