"""The staff self-test (自测): generated from any pack, every answer computed again with
`generator.evaluate` (the engine `check` runs the cases with), every wrong option
really wrong, citations on every question, the same test for the same policies and
other questions when a threshold moves; its page is an accessible form and its PDF
has the questions first and the answer key on pages of their own."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE_PACK, EXAMPLES, POLICIES

from generator.evaluate import evaluate_decision, evaluate_questionnaire
from generator.model import Model, format_quantity
from generator.pipeline import analyse
from generator.selftest import SelfTest, self_test
from generator.site.pages import render_site

PACKS = {"wealth": POLICIES, "cash": EXAMPLE_PACK, "minimal": EXAMPLES / "valid" / "minimal"}


@pytest.fixture(scope="module", params=list(PACKS), ids=list(PACKS))
def generated(request: pytest.FixtureRequest) -> tuple[Model, SelfTest]:
    model = analyse(PACKS[request.param]).model
    return model, self_test(model)


def test_every_topic_the_pack_has_is_asked(generated: tuple[Model, SelfTest]) -> None:
    model, test = generated
    topics = {q.topic for q in test.questions}
    assert ("decision" in topics) == bool(model.decision_tables)
    assert ("questionnaire" in topics) == bool(model.questionnaires)
    assert "parameter" in topics
    assert [q.number for q in test.questions] == list(range(1, len(test.questions) + 1))
    for q in test.questions:
        assert 2 <= len(q.options) <= 4 and sum(o.correct for o in q.options) == 1, q.stem
        assert len({o.text for o in q.options}) == len(q.options), q.stem
        assert [o.key for o in q.options] == list("ABCD"[:len(q.options)])
        assert all(o.why.strip() for o in q.options), q.stem
        assert q.sources and all(c.cite for c in q.sources), q.stem


def test_decision_answers_are_the_engines(generated: tuple[Model, SelfTest]) -> None:
    model, test = generated
    asked = [q for q in test.questions if q.topic == "decision"]
    for q in asked:
        result = evaluate_decision(model, q.facts["table"], q.facts["inputs"])
        assert result.decided
        got = result.output(q.facts["output"])
        assert q.answer.value == got, q.stem
        assert all(o.value != got for o in q.options if not o.correct), q.stem
        # The stem states every input the engine was given, as the handbook shows it.
        assert all(i.shown in q.stem for i in result.inputs), q.stem
        assert {c.rule for c in q.sources if c.rule} == {r.id for r in result.rules}
    # Each table is probed just below, at and above the thresholds its rows test.
    for table in model.decision_tables.values():
        values = {v for q in asked if q.facts["table"] == table.id
                  for v in q.facts["inputs"].values()}
        thresholds = {b.value for r in table.rows for c in r.when.values()
                      for b in (getattr(c, "low", None), getattr(c, "high", None)) if b}
        assert thresholds & values, table.id
        assert any(v < t for v in values if isinstance(v, int | float) for t in thresholds)


def test_questionnaire_answers_are_the_engines(generated: tuple[Model, SelfTest]) -> None:
    model, test = generated
    for q in [q for q in test.questions if q.topic == "questionnaire"]:
        result = evaluate_questionnaire(model, q.facts["questionnaire"], q.facts["answers"])
        assert result.level is not None and q.answer.value == result.level.id, q.stem
        assert f"总分 {result.score} 分" in q.stem
        if result.overrides:  # the stem names the answers that trigger them
            assert "选「" in q.stem
            assert result.band is not None and result.band.id in q.stem


def test_override_questions_cover_every_override() -> None:
    model = analyse(POLICIES).model
    quiz = next(iter(model.questionnaires.values()))
    test = self_test(model)
    applied = set()
    for q in test.questions:
        if q.topic == "questionnaire":
            result = evaluate_questionnaire(model, quiz.id, q.facts["answers"])
            applied.update(o.id for o in result.overrides)
            if result.overrides and result.band and result.level \
                    and result.band.id != result.level.id:
                band = next(o for o in q.options if o.value == result.band.id)
                assert "覆盖规则" in band.why  # the band alone is the wrong answer
    assert applied == {o.id for o in quiz.overrides}


def test_parameters_rules_and_flows_come_from_the_model(
        generated: tuple[Model, SelfTest]) -> None:
    model, test = generated
    for q in test.questions:
        if q.topic == "parameter":
            p = model.parameters[q.facts["parameter"]]
            assert q.answer.text == p.display and p.title in q.stem
            assert all(o.text != p.display for o in q.options if not o.correct)
        elif q.topic == "rule":
            rule = model.rules[q.facts["rule"]]
            assert q.answer.text == model.text(rule.text)
            assert [c.rule for c in q.sources] == [rule.id]
        elif q.topic == "flow":
            step = model.steps[q.facts["step"]]
            assert q.answer.value == step.next
            assert all(o.value != step.next for o in q.options if not o.correct)


def test_the_same_policies_give_the_same_test() -> None:
    first = self_test(analyse(EXAMPLE_PACK).model)
    again = self_test(analyse(EXAMPLE_PACK).model)
    assert first == again and first.seed == again.seed


def test_a_moved_threshold_changes_the_questions(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(POLICIES, pack)
    before = self_test(analyse(pack).model)
    params = pack / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    assert "value: 1000000\n" in text
    params.write_text(text.replace("value: 1000000\n", "value: 1500000\n", 1), encoding="utf-8")
    model = analyse(pack).model
    after = self_test(model)
    assert after.seed != before.seed
    old = [q.stem for q in before.questions if q.topic == "decision"]
    new = [q.stem for q in after.questions if q.topic == "decision"]
    assert old != new
    assert any("150万元" in s for s in new) and not any("150万元" in s for s in old)
    assert not any("95万元" in s for s in new)  # 0.95 × the old threshold is not asked
    for q in after.questions:  # still right, by the engine, after the move
        if q.topic == "decision":
            result = evaluate_decision(model, q.facts["table"], q.facts["inputs"])
            assert q.answer.value == result.output(q.facts["output"])
    shown = format_quantity(1500000, "元")
    assert any(q.answer.text == shown for q in after.questions if q.topic == "parameter") \
        or not any(q.facts.get("parameter") == "min_financial_assets"
                   for q in before.questions)


def test_the_page_is_an_accessible_form() -> None:
    model = analyse(EXAMPLE_PACK).model
    test = self_test(model)
    page = {p.src: p for p in render_site(model)}["selftest.md"].markdown
    assert page.count("<fieldset") == len(test.questions) == page.count("<legend>")
    radios = re.findall(r'<input type="radio" name="(q\d+)" id="([^"]+)" value="([A-D])">', page)
    labels = set(re.findall(r'<label for="([^"]+)">', page))
    assert len(radios) == sum(len(q.options) for q in test.questions)
    assert {r[1] for r in radios} == labels
    assert 'role="status" aria-live="polite"' in page
    assert re.search(r"<script[^>]*>\s*[^{]", page) is None  # only the JSON key, no code
    assert " on" not in re.sub(r"<script.*?</script>", "", page, flags=re.S).split("<form")[1] \
        .split(">")[0]
    assert "\n\n" not in page.split("<form")[1].split("</form>")[0]  # one raw HTML block


def test_the_pdf_has_the_questions_then_the_answer_key(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    from generator.printables.build import jobs_for, plan
    from generator.printables.render import write_pdf

    model = analyse(EXAMPLE_PACK).model
    test = self_test(model)
    (printable,) = [p for p in plan(model) if p.kind == "selftest"]
    (job,) = jobs_for([printable], tmp_path, None)
    (tmp_path / "selftest").mkdir()
    pages = [p.extract_text() for p in pypdf.PdfReader(write_pdf(job)).pages]
    key = next(i for i, text in enumerate(pages) if "答案与依据" in text)
    assert key > 0, "the answer key starts on a page of its own, after the questions"
    questions, answers = "".join(pages[:key]), "".join(pages[key:])
    squash = re.compile(r"\s+")
    for q in test.questions:
        assert squash.sub("", q.stem)[:20] in squash.sub("", questions), q.stem
        assert f"{q.number}.答案{q.answer.key}" in squash.sub("", answers), q.number
    assert "答案 " not in questions and "错:" not in questions
    rules = {c.rule for q in test.questions for c in q.sources if c.rule}
    assert rules and all(r in answers for r in rules)
