"""The handbook's in-browser tools against the Python engine (differential testing):
hypothesis generates inputs and answers, Debian Chromium evaluates them with the
site's own tools.js and the JSON embedded in the page, and generator.evaluate must
give the same verdict: on every shipped case of both packs and on well over 1,000
generated inputs. Also: the tools work by hand (typing, choosing), offline, with no
script error, no inline script and no request off the machine."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from conftest import LIBRARY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.evaluate import evaluate_decision, evaluate_questionnaire
from generator.library import analyse_library
from generator.model import DecisionTable, Model, Questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Material draws Mermaid into a closed shadow root; open them (in this browser only).
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, {...init, mode: "open"});
};
"""
GENERATED = 1000
"""At least this many generated inputs per kind of tool are compared."""


@pytest.fixture(scope="module")
def models() -> dict[str, Model]:
    return {p.id: p.analysis.model for p in analyse_library(LIBRARY)}


@pytest.fixture(scope="module")
def site_url(library_url: str) -> str:
    """The shipped library's handbook, served (conftest: built once a session)."""
    return library_url


@pytest.fixture(scope="module")
def page(site_url: str) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make setup installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(locale="zh-CN")
        context.add_init_script(OPEN_SHADOW_ROOTS)
        pg = context.new_page()
        pg.requests, pg.errors = [], []
        pg.on("request", lambda r: pg.requests.append(r.url))
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        yield pg
        hosts = {urlparse(u).hostname for u in pg.requests
                 if not u.startswith(("data:", "blob:"))}
        assert hosts <= {"127.0.0.1"}, hosts
        assert pg.errors == []
        browser.close()


def _open(page: Any, url: str) -> None:
    if page.url != url:
        page.goto(url)
        page.wait_for_function("window.policybook !== undefined")


JS_DECIDE = """([id, batch]) => {
  const table = JSON.parse(document.getElementById(id).textContent);
  return batch.map(x => {
    const r = policybook.evaluateDecision(table, x);
    return {status: r.status, row: r.row, outputs: r.outputs, missing: r.missing};
  });
}"""
JS_SCORE = """([id, batch]) => {
  const quiz = JSON.parse(document.getElementById(id).textContent);
  return batch.map(x => {
    const r = policybook.evaluateQuestionnaire(quiz, x);
    return {score: r.score, band: r.band, level: r.level, missing: r.missing};
  });
}"""


def _python_decision(model: Model, table: DecisionTable, inputs: dict[str, Any]) -> dict:
    r = evaluate_decision(model, table.id, inputs)
    return {"status": r.status, "row": r.row.id if r.row else None,
            "outputs": {o.id: o.value for o in r.outputs}, "missing": list(r.missing)}


def _python_quiz(model: Model, quiz: Questionnaire, answers: dict[str, str]) -> dict:
    r = evaluate_questionnaire(model, quiz.id, answers)
    return {"score": r.score, "band": r.band.id if r.band else None,
            "level": r.level.id if r.level else None, "missing": list(r.missing)}


def _numbers(model: Model, table: DecisionTable, input_id: str) -> st.SearchStrategy[float]:
    """Values that probe every bound of the input (±0, ±0.01, ±1), and any others."""
    bounds = {b.value for row in table.rows for name, c in row.when.items()
              if name == input_id for b in (getattr(c, "low", None), getattr(c, "high", None))
              if b is not None}
    near = sorted({max(0.0, v + d) for v in bounds for d in (0, 0.01, -0.01, 1, -1)})
    top = max(bounds, default=1.0) * 3
    return st.one_of(st.sampled_from(near or [0.0]), st.integers(0, int(top)).map(float),
                     st.floats(0, top, allow_nan=False, allow_infinity=False))


def _decision_inputs(model: Model, table: DecisionTable) -> st.SearchStrategy[dict]:
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for i in table.inputs:
        value = (_numbers(model, table, i.id) if i.type == "number"
                 else st.sampled_from([v.id for v in i.values]))
        parts[i.id] = st.one_of(st.none(), value) if len(table.inputs) > 1 else value
    return st.fixed_dictionaries(parts).map(
        lambda d: {k: (int(v) if isinstance(v, float) and v.is_integer() else v)
                   for k, v in d.items() if v is not None})


def _answers(quiz: Questionnaire) -> st.SearchStrategy[dict]:
    parts = {q.id: st.one_of(st.sampled_from([a.id for a in q.answers]),
                             st.sampled_from([a.id for a in q.answers]), st.none())
             for q in quiz.questions}
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v})


def _tables(models: dict[str, Model]) -> list[tuple[str, Model, DecisionTable]]:
    return [(pack, m, t) for pack, m in models.items() for t in m.decision_tables.values()]


def _quizzes(models: dict[str, Model]) -> list[tuple[str, Model, Questionnaire]]:
    return [(pack, m, q) for pack, m in models.items() for q in m.questionnaires.values()]


def _differential(page: Any, js: str, block: str, inputs: st.SearchStrategy[dict],
                  size: int, python: Callable[[dict], dict]) -> int:
    """Hypothesis draws batches of ``size`` inputs; Chromium evaluates each batch in one
    call; Python must agree on every one. The number of inputs compared."""
    batches: list[list[dict]] = []

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(inputs, min_size=size, max_size=size))
    def agree(batch: list[dict]) -> None:
        batches.append(batch)
        assert page.evaluate(js, [block, batch]) == [python(x) for x in batch]

    agree()
    return sum(map(len, batches))


def test_decisions_agree_on_every_case_and_generated_inputs(
        page: Any, site_url: str, models: dict[str, Model]) -> None:
    compared = 0
    for pack, model, table in _tables(models):
        _open(page, f"{site_url}{pack}/decisions/{table.id}/")
        block = f"pb-data-decision-{table.id}"
        cases = [dict(c.given) for c in model.cases.values()
                 if c.kind == "decision" and c.target == table.id]
        assert cases, table.id
        got = page.evaluate(JS_DECIDE, [block, cases])
        assert got == [_python_decision(model, table, x) for x in cases]
        for case, result in zip(cases, got, strict=True):
            assert result["status"] == "decided", (table.id, case)
        compared += _differential(
            page, JS_DECIDE, block, _decision_inputs(model, table), 20,
            functools.partial(_python_decision, model, table))
    assert compared >= GENERATED


def test_questionnaires_agree_on_every_case_and_generated_answers(
        page: Any, site_url: str, models: dict[str, Model]) -> None:
    compared = 0
    for pack, model, quiz in _quizzes(models):
        _open(page, f"{site_url}{pack}/questionnaires/{quiz.id}/")
        block = f"pb-data-questionnaire-{quiz.id}"
        cases = [{k: str(v) for k, v in c.given.items()} for c in model.cases.values()
                 if c.kind == "questionnaire" and c.target == quiz.id]
        assert cases, quiz.id
        got = page.evaluate(JS_SCORE, [block, cases])
        assert got == [_python_quiz(model, quiz, x) for x in cases]
        compared += _differential(page, JS_SCORE, block, _answers(quiz), 30,
                                  functools.partial(_python_quiz, model, quiz))
    assert compared >= GENERATED


def test_the_eligibility_check_by_hand(page: Any, site_url: str) -> None:
    _open(page, f"{site_url}wealth-account-opening/decisions/eligibility/")
    tool = page.locator(".pb-tool")
    result = tool.locator(".pb-tool-result")
    tool.get_by_label("客户在本行的金融资产合计(元)").fill("950000")
    assert "还需要填写:一级分行审批情况" in result.inner_text()
    tool.get_by_label("一级分行审批情况").select_option("not_requested")
    text = result.inner_text()
    assert "审定结果:未达标，须报一级分行审批" in text
    assert "below_standard_not_requested" in text and "R-ELIG-EXC" in text
    assert "第二部分 四(二)" in text
    tool.get_by_label("客户在本行的金融资产合计(元)").fill("1000000")
    assert "审定结果:达标，可以开户" in result.inner_text()


def test_the_questionnaire_scores_live(page: Any, site_url: str,
                                       models: dict[str, Model]) -> None:
    model = models["wealth-account-opening"]
    case = model.cases["all_lowest"]
    _open(page, f"{site_url}wealth-account-opening/questionnaires/risk_assessment/")
    tool = page.locator(".pb-tool")
    result = tool.locator(".pb-tool-result")
    count = len(model.questionnaires["risk_assessment"].questions)
    assert f"已答 0/{count} 题" in result.inner_text()
    for qid, answer in case.given.items():
        tool.locator(f"#pb-risk_assessment-{qid}-{answer}").check()
    assert f"总分:{case.expect['score']}" in result.inner_text()
    assert result.locator(f"[data-level='{case.expect['level']}']").count() == 1


def test_no_inline_script_on_the_tool_pages(page: Any, site_url: str) -> None:
    """Every executable script is a file the site serves (CSP: script-src 'self')."""
    for path in ("wealth-account-opening/decisions/eligibility/",
                 "cash-withdrawal/questionnaires/fraud_screening/"):
        _open(page, site_url + path)
        inline = page.evaluate("""() => [...document.scripts]
            .filter(s => !s.src && s.type !== 'application/json')
            .map(s => s.outerHTML.slice(0, 80))""")
        handlers = page.evaluate("""() => [...document.querySelectorAll('*')]
            .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length""")
        assert handlers == 0
        # The theme's own inline config block is the CSP work's to move; ours add none.
        assert all("pb-" not in s and "policybook" not in s for s in inline), inline
        data = page.evaluate("() => [...document.querySelectorAll('script.pb-tool-data')]"
                             ".map(s => s.type)")
        assert data == ["application/json"]
        json.loads(page.locator("script.pb-tool-data").text_content())


def test_a_walkthrough_draws_its_path(page: Any, site_url: str,
                                      models: dict[str, Model]) -> None:
    """The case's path is drawn on the diagram: Mermaid accepts the highlighting."""
    _open(page, f"{site_url}wealth-account-opening/cases/exception_refused/")
    svg = page.locator("div.mermaid svg").first
    svg.wait_for(timeout=20_000)
    text = svg.text_content() or ""
    assert "Syntax error" not in text
    assert "一级分行是否批准" in text
    # The visited steps carry the path's class; the others do not.
    from generator.evaluate import run_case
    model = models["wealth-account-opening"]
    walked = run_case(model, model.cases["exception_refused"]).visited
    assert page.locator("div.mermaid svg .node.pbVisited").count() == len(set(walked))
    assert page.locator("article > ol > li")  # not the caption's list.count() == len(walked)
