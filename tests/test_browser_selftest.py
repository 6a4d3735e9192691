"""The self-test page (自测) in Debian Chromium: filled in by clicking the labels, as a
person does, it scores exactly what Python expects (right, wrong and unanswered
questions), announces the score in its live region, explains each question with
its citation, resets, and runs offline with no script error, no request off the
machine and nothing inline (the site's CSP holds)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from conftest import LIBRARY, ROOT

from generator.library import analyse_library
from generator.selftest import SelfTest, self_test

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def tests() -> dict[str, SelfTest]:
    return {p.id: self_test(p.analysis.model) for p in analyse_library(LIBRARY)}


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
        context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
        pg = context.new_page()
        pg.requests, pg.errors, pg.csp = [], [], []
        pg.on("request", lambda r: pg.requests.append(r.url))
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        pg.on("console", lambda m: pg.csp.append(m.text)
              if "Content Security Policy" in m.text else None)
        yield pg
        hosts = {urlparse(u).hostname for u in pg.requests
                 if not u.startswith(("data:", "blob:"))}
        assert hosts <= {"127.0.0.1"}, hosts
        assert pg.errors == [] and pg.csp == []
        browser.close()


def _pick(test: SelfTest) -> tuple[dict[str, str], int]:
    """Answers for the test: right for every third question, wrong for the next one,
    none for the one after; and how many of them are right."""
    chosen: dict[str, str] = {}
    for i, q in enumerate(test.questions):
        if i % 3 == 0:
            chosen[q.id] = q.answer.key
        elif i % 3 == 1:
            chosen[q.id] = next(o.key for o in q.options if not o.correct)
    return chosen, sum(1 for q in test.questions if chosen.get(q.id) == q.answer.key)


@pytest.mark.parametrize("pack", ["wealth-account-opening", "cash-withdrawal"])
def test_a_filled_test_is_scored_as_python_expects(page: Any, site_url: str,
                                                   tests: dict[str, SelfTest],
                                                   pack: str) -> None:
    test = tests[pack]
    page.goto(f"{site_url}{pack}/selftest/")
    assert page.locator("fieldset.pb-question").count() == len(test.questions)
    chosen, right = _pick(test)
    for qid, key in chosen.items():
        page.locator(f"label[for='{qid}-{key}']").click()  # what a person clicks
        assert page.locator(f"#{qid}-{key}").is_checked()
    page.get_by_role("button", name="交卷评分").click()
    status = page.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite"
    text = status.inner_text()
    total = len(test.questions)
    unanswered = total - len(chosen)
    assert f"得分:{right} / {total}" in text and f"{unanswered} 题未作答" in text
    assert status.get_attribute("data-score") == str(right)
    for q in test.questions:
        verdict = page.locator(f"#{q.id}").get_attribute("data-pb-result")
        wanted = ("right" if chosen.get(q.id) == q.answer.key else
                  "wrong" if q.id in chosen else "unanswered")
        assert verdict == wanted, q.id
        feedback = page.locator(f"#{q.id}-feedback")
        assert feedback.is_visible()
        shown = feedback.inner_text()
        assert f"正确答案:{q.answer.key}" in shown and q.explanation in shown
        assert all(c.cite in shown for c in q.sources)
        if wanted == "wrong":
            assert next(o.why for o in q.options if o.key == chosen[q.id]) in shown
    if pack == "cash-withdrawal":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#q01").screenshot(path=str(ARTIFACTS / "selftest-scored.png"))
    page.get_by_role("button", name="重新作答").click()
    assert status.inner_text() == ""
    assert page.locator(".pb-feedback:visible").count() == 0


def test_every_question_reads_by_its_legend_and_labels(page: Any, site_url: str,
                                                       tests: dict[str, SelfTest]) -> None:
    test = tests["wealth-account-opening"]
    page.goto(f"{site_url}wealth-account-opening/selftest/")
    for q in test.questions:
        group = page.get_by_role("group", name=re.compile(rf"^第 {q.number} 题 "))
        assert group.count() == 1, q.id
        radios = group.get_by_role("radio")
        assert radios.count() == len(q.options)
        for o in q.options:
            assert group.get_by_role("radio", name=f"{o.key}. {o.text}", exact=True).count() == 1
