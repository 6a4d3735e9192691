"""What staff read on the handbook's pages, over the built site of the shipped library:
no machine codes of the model in the main text (ids only as small secondary text), one
title per page, full-width punctuation in Chinese prose and none doubled.

The ids looked for are read from the model, so the test cannot go stale: every element's
key, every decision input, output and value, every outcome and end result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.library import analyse_library
from generator.model import Model
from generator.model.flows import RESULT_TITLES
from tests.conftest import LIBRARY, ROOT

pytestmark = pytest.mark.slow

STAFF_SKIP = ("language/", "checks/", "about/", "404.html", "pagefind/")
"""Pages for those who write the policies (the language and check references)."""
AUDIT = "/audit/"
"""The audit pages document the bank's data exports for auditors: their conditions name
the registers' columns as the exports do."""


@pytest.fixture(scope="module")
def site(library_site: Path) -> Path:
    """The shipped library's handbook (conftest: built once a session, no PDFs)."""
    return library_site


@pytest.fixture(scope="module")
def staff(site: Path) -> list[tuple[str, MainText]]:
    """The staff pages, each read once for the module's tests."""
    return list(staff_pages(site))


@pytest.fixture(scope="module")
def models() -> dict[str, Model]:
    return {p.prefix: p.analysis.model for p in analyse_library(LIBRARY, checks=False).packs}


class MainText(HTMLParser):
    """The text of a page's article, without the parts that are not prose: scripts,
    diagrams, English subtitles and ids shown as secondary text (``.pb-id``)."""

    SKIP_CLASSES = frozenset({"pb-id", "pb-en", "mermaid", "headerlink"})
    SKIP_TAGS = frozenset({"script", "style", "svg", "template", "blockquote"})
    """``blockquote``: a source's words, quoted as the source writes them."""
    VOID = frozenset({"br", "img", "input", "hr", "wbr", "meta", "link", "source", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skipping: list[str] = []  # tags opened by a skipped element, innermost last
        self.parts: list[str] = []
        self.title = ""
        self.h1: list[str] = []
        self._in_title = self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
        if tag == "article":
            self.depth += 1
        if tag in self.VOID:
            return
        classes = set(a.get("class", "").split())
        # ``hidden``: what the search index reads (a page's "defines"), no one sees it.
        if self.skipping or tag in self.SKIP_TAGS or self.SKIP_CLASSES & classes \
                or "hidden" in a:
            self.skipping.append(tag)
        if tag == "h1" and self.depth:
            self._in_h1 = True
            self.h1.append("")
        if tag in ("p", "li", "td", "th", "div", "h1", "h2", "h3", "h4", "summary"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag == "article":
            self.depth -= 1
        if self.skipping and tag not in self.VOID:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self.depth and not self.skipping:
            self.parts.append(data)
            if self._in_h1:
                self.h1[-1] += data

    @property
    def text(self) -> str:
        return "".join(self.parts)


def staff_pages(site: Path) -> Iterator[tuple[str, MainText]]:
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(STAFF_SKIP) or AUDIT in f"/{rel}":
            continue
        parser = MainText()
        parser.feed(path.read_text(encoding="utf-8"))
        yield rel, parser


def machine_codes(model: Model) -> set[str]:
    """The model's ids and enumerated values that staff must never read as such."""
    codes = {part for _kind, key, _p, _l in model.elements() for part in key.split("/")}
    for table in model.decision_tables.values():
        for spec in (*table.inputs, *table.outputs):
            codes.add(spec.id)
            codes.update(v.id for v in spec.values)
        codes.update(r.id for r in table.rows)
    for step in model.steps.values():
        codes.update(o.id for o in step.outcomes)
        if step.result:
            codes.add(step.result)
    for quiz in model.questionnaires.values():
        codes.update(q.id for q in quiz.questions)
        codes.update(o.id for o in quiz.overrides)
    # Codes staff do use: rule ids (R-ELIG), printed form and checklist codes, risk levels.
    shown = set(model.rules) | {f.code for f in model.forms.values()}
    shown |= {c.code for c in model.checklists.values()}
    shown |= {lv.id for q in model.questionnaires.values() for lv in q.levels}
    shown |= set(model.controls)  # audit controls are coded like rules (C-MAINT-CAP)
    return {c for c in codes - shown if len(c) >= 3}


TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+")


def test_staff_pages_show_no_machine_codes(staff: list[tuple[str, MainText]],
                                           models: dict[str, Model]) -> None:
    codes = set().union(*(machine_codes(m) for m in models.values()))
    assert {"opened", "not_requested", "front_desk"} <= codes  # the model's, not a list
    found: dict[str, dict[str, str]] = {}
    for rel, page in staff:
        text = PATH.sub(" ", page.text)  # file paths name files, not the model's ids
        for m in TOKEN.finditer(text):
            if m.group() in codes:
                context = text[max(0, m.start() - 15):m.end() + 15].replace("\n", " ")
                found.setdefault(rel, {}).setdefault(m.group(), context)
    listing = "\n".join(f"{rel}: " + "; ".join(f"{t} ({c!r})" for t, c in sorted(h.items()))
                        for rel, h in sorted(found.items()))
    assert not found, f"machine codes in the main text of {len(found)} pages:\n{listing}"


def test_every_page_has_its_own_title_and_heading(staff: list[tuple[str, MainText]]) -> None:
    """``<title>`` unique over the whole library; the h1 unique within its pack (two
    packs both have a 规则与参数, their titles name the pack)."""
    titles: dict[str, list[str]] = {}
    headings: dict[tuple[str, str], list[str]] = {}
    for rel, page in staff:
        titles.setdefault(page.title.strip(), []).append(rel)
        assert len(page.h1) == 1, (rel, page.h1)
        headings.setdefault((rel.split("/")[0], page.h1[0].strip()), []).append(rel)
    same_title = {t: p for t, p in titles.items() if len(p) > 1}
    same_h1 = {t: p for t, p in headings.items() if len(p) > 1}
    assert not same_title, same_title
    assert not same_h1, same_h1
    assert len(titles) > 100


CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef《》「」"
HALF_WIDTH = re.compile(f"(?<=[{CJK}])[,;:?!]|[,;:?!](?=[{CJK}])")
QUOTED = re.compile(r"「[^「」]*」|“[^“”]*”")
DOUBLED = re.compile(r"[。，、；：！？][。，、；：！？]")


def test_chinese_prose_has_full_width_punctuation_and_none_doubled(
        staff: list[tuple[str, MainText]]) -> None:
    half: dict[str, list[str]] = {}
    doubled: dict[str, list[str]] = {}
    for rel, page in staff:
        # 「…」 and “…” quote words as written elsewhere: a source's section title, its
        # text, a question, an English phrase.
        for line in QUOTED.sub("「」", page.text).splitlines():
            for pattern, found in ((HALF_WIDTH, half), (DOUBLED, doubled)):
                for m in pattern.finditer(line):
                    found.setdefault(rel, []).append(line[max(0, m.start() - 12):m.end() + 12])
    listing = "\n".join(f"{rel}: {ctx!r}" for found in (half, doubled)
                        for rel, ctxs in sorted(found.items()) for ctx in ctxs[:3])
    assert not half and not doubled, listing


def test_every_end_result_has_words() -> None:
    schema = json.loads((ROOT / "schemas" / "flow.schema.json").read_text(encoding="utf-8"))
    steps = schema["$defs"]["step"]["properties"]
    assert set(RESULT_TITLES) == set(steps["result"]["enum"])
