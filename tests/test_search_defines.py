"""What a page defines, as the search index reads it (generator/site/search.py): the
roles page its roles, the glossary its terms, the rules page its rule ids and parameter
values, a form its name and code, each in hidden metadata the search weights."""

from __future__ import annotations

import re

from generator.pipeline import analyse
from generator.site import search
from generator.site.pages import render_site
from tests.conftest import ROOT

POLICIES = ROOT / "policies" / "wealth-account-opening"
META = re.compile(r'<div hidden data-pagefind-ignore><span data-pagefind-meta="(\w+)">'
                  r"([^<]*)</span></div>")


def test_defines_is_hidden_metadata_escaped_once_per_word() -> None:
    text = search.defines(["财富经理", "A<B", "财富经理", " ", ""])
    assert META.findall(text) == [("defines", "财富经理；A&lt;B")]
    assert search.defines(["", "  "]) == ""
    assert META.findall(search.defines(["开户申请表"], search.NAMES)) == [("names", "开户申请表")]


def test_the_reference_pages_define_what_staff_ask_for() -> None:
    model = analyse(POLICIES, checks=False).model
    pages = {p.src: p.markdown for p in render_site(model)}

    def meta(src: str) -> dict[str, list[str]]:
        return {k: v.split("；") for k, v in META.findall(pages[src])}

    roles = meta("roles.md")["defines"]
    assert {r.name for r in model.roles.values()} <= set(roles)
    terms = meta("glossary.md")["defines"]
    assert {t.term for t in model.terms.values()} <= set(terms)
    rules = meta("rules.md")["defines"]
    assert set(model.rules) <= set(rules)
    assert {p.display for p in model.parameters.values()} <= set(rules)
    assert "200名" in rules
    for form in model.forms.values():
        assert meta(f"forms/{form.id}.md") == {"names": [form.title, form.code]}
    # Only those pages carry it: a step page is found by its title and text.
    task = next(s for s in model.steps.values() if s.type == "task")
    assert not META.search(pages[f"steps/{task.id}.md"])
