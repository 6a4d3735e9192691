"""The self-test page (自测) of a pack: the questions of :func:`generator.selftest.self_test`
as a form (a fieldset and legend per question, a labelled radio button per option),
scored in the browser by ``assets/policybook/selftest.js`` from the answer key in a
non-executable JSON block (no inline script or handler: the site's CSP). The score
is announced in an ``aria-live`` region; each question then shows the right answer,
why the chosen option is wrong, and the rules and sections it rests on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator import escape
from generator.evaluate.export import script_json
from generator.selftest import Question, SelfTest, self_test
from generator.site.contexts import PageContext
from generator.site.deferred import maybe
from generator.site.markup import Markup

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder

SELFTEST_URI = "assets/policybook/selftest.js"
PAGE = "selftest.md"
KEY_ID = "pb-selftest-key"


@dataclass(frozen=True, kw_only=True)
class SelfTestPage(PageContext):
    TEMPLATE = "selftest.md.j2"
    test: SelfTest
    counts: list[tuple[str, int]]
    form: Markup
    key: Markup
    pdf: Markup


def _question(q: Question) -> list[str]:
    t = escape.html_text
    lines = [f'<fieldset class="pb-question" id="{q.id}">',
             f'<legend><span class="pb-qnum">第 {q.number} 题</span> {t(q.stem)}</legend>']
    for o in q.options:
        lines.append(f'<div class="pb-option"><input type="radio" name="{q.id}" '
                     f'id="{q.id}-{o.key}" value="{o.key}">'
                     f'<label for="{q.id}-{o.key}">{o.key}. {t(o.text)}</label></div>')
    lines.append(f'<div class="pb-feedback" id="{q.id}-feedback" hidden></div>')
    lines.append("</fieldset>")
    return lines


def form_html(test: SelfTest) -> str:
    """One raw HTML block without blank lines (Markdown leaves it as it is)."""
    lines = [f'<form class="pb-selftest" data-pb-selftest="{KEY_ID}" novalidate>']
    for heading, questions in test.by_topic():
        lines.append(f"<h2>{escape.html_text(heading)}</h2>")
        for q in questions:
            lines.extend(_question(q))
    lines.append('<p class="pb-selftest-actions">'
                 '<button type="submit" class="md-button md-button--primary">交卷评分</button> '
                 '<button type="reset" class="md-button">重新作答</button></p>')
    lines.append('<div class="pb-selftest-result" role="status" aria-live="polite" '
                 'aria-atomic="true"></div>')
    lines.append("</form>")
    return "\n".join(lines) + "\n"


def answer_key(test: SelfTest) -> dict[str, Any]:
    """What the script scores with and explains from."""
    return {"seed": test.seed, "questions": [{
        "id": q.id, "answer": q.answer.key, "explanation": q.explanation,
        "why": {o.key: o.why for o in q.options},
        "sources": [f"{c.rule} {c.title} —— {c.cite}".strip() for c in q.sources],
    } for q in test.questions]}


def selftest_pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    """The pack's self-test, when the model gives it any question (generating it takes
    a while on a large pack: ``policybook serve`` renders it when it is due)."""
    yield from maybe(site, selftest_page)


def selftest_page(site: SiteBuilder) -> GeneratedPage | None:
    test = self_test(site.model)
    if not test.questions:
        return None
    base = site.base(PAGE, "自测")
    counts = [(heading, len(qs)) for heading, qs in test.by_topic()]
    key = Markup(f'<script type="application/json" class="pb-selftest-data" id="{KEY_ID}">'
                 f"{script_json(answer_key(test))}</script>\n")
    return site.page(SelfTestPage(
        **base, test=test, counts=counts, form=Markup(form_html(test)), key=key,
        pdf=base["links"].pdf("selftest", "selftest", "打印版自测(附答案)")))
