"""Policy text can never become markup: each context of :mod:`generator.escape`, then
every output built from the example pack with every piece of prose hostile
(:mod:`tests.hostile`): the trace (CSV, Markdown, JSON), the diff's Markdown, the
printables' HTML, GitHub annotations, and (slow) the built handbook site."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generator import escape
from generator.diagnostics import Diagnostic
from generator.pipeline import analyse
from generator.reporters import Summary, render_github
from generator.trace import build_matrix, to_csv, to_json, to_markdown
from tests.conftest import ROOT, run_cli
from tests.hostile import GITHUB_AUTOLINK, HOSTILE, MINIMAL, hostile_pack

EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "toc"]
"""The handbook's Markdown extensions (mkdocs.yml) that read inline text."""
CONTROLS = ("\u0007", "\u0085", "\u2028", "\u202e", "\u2066", "\x1b[31m", "\ud800")
"""Characters no output may carry as they are (check rejects them: text.bad-character)."""


def folded(text: str) -> str:
    return " ".join(escape.clean(text).split())


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a piece of HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                            "poster", "srcset", "background", "cite"})
"""Attributes a browser follows as a URL (a ``title`` that reads "javascript:…" is text)."""


def dangerous(tags: list[tuple[str, dict[str, str]]], *, allow: tuple[str, ...] = ()
              ) -> list[str]:
    """What in these tags could run: event handlers, script URLs, script-bearing tags
    (but those the output writes itself: ``allow``)."""
    found = []
    for tag, attrs in tags:
        found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on")]
        found += [f"<{tag} {name}={value}>" for name, value in attrs.items()
                  if name in URL_ATTRIBUTES
                  and re.sub(r"\s", "", value).lower().startswith(("javascript:", "data:text"))]
        if tag in {"img", "iframe", "object", "embed", "style", "base", "form",
                   "details"} - set(allow):
            found.append(f"<{tag}>")
    return found


# --- one function per context ----------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_is_only_text(text: str) -> None:
    parsed = Tags(f"<p>{escape.html_text(text)}</p>")
    assert parsed.tags == [("p", {})]
    assert "".join(parsed.text) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_html_attr_is_one_attribute_in_html_and_inside_markdown(text: str) -> None:
    raw = f'<span title="{escape.html_attr(text)}">x</span>'
    assert Tags(raw).tags == [("span", {"title": folded(text)})]
    # Raw HTML in Markdown: links, code spans and emphasis are processed first.
    rendered = Tags(markdown.markdown(f"前 {raw} 后", extensions=EXTENSIONS))
    assert rendered.tags == [("p", {}), ("span", {"title": folded(text)})]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_tooltip_is_text_when_the_theme_reads_the_title_as_html(text: str) -> None:
    """Material's content.tooltips puts the decoded title into ``innerHTML``."""
    raw = f'<span title="{escape.tooltip(text)}">x</span>'
    ((_, attrs),) = Tags(raw).tags
    shown = Tags(f"<div>{attrs['title']}</div>")  # what innerHTML makes of it
    assert shown.tags == [("div", {})]
    assert "".join(shown.text) == folded(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_inline_is_only_text(text: str) -> None:
    rendered = Tags(markdown.markdown(escape.markdown_inline(text), extensions=EXTENSIONS))
    assert rendered.tags == [("p", {})]
    assert "".join(rendered.text) == folded(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_table_cell_stays_in_its_cell(text: str) -> None:
    table = f"| a | b |\n| --- | --- |\n| {escape.markdown_table_cell(text)} | 后 |"
    rendered = Tags(markdown.markdown(table, extensions=EXTENSIONS))
    assert Counter(tag for tag, _ in rendered.tags) == Counter(
        {"table": 1, "thead": 1, "tbody": 1, "tr": 2, "th": 2, "td": 2})
    assert folded(text) in "".join(rendered.text)


ZWSP = "\u200b"


def github_text(rendered: Tags) -> str:
    """The text GitHub's autolinking reads, and the same with its zero-width spaces gone."""
    return "".join(rendered.text)


@pytest.mark.parametrize("text", HOSTILE)
def test_github_markdown_is_only_text_and_never_a_link_or_mention(text: str) -> None:
    rendered = Tags(markdown.markdown(escape.github_markdown(text), extensions=EXTENSIONS))
    assert rendered.tags == [("p", {})]
    shown = github_text(rendered)
    assert GITHUB_AUTOLINK.findall(shown) == [], shown
    assert shown.replace(ZWSP, "") == folded(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_github_table_cell_stays_in_its_cell_and_links_nothing(text: str) -> None:
    table = f"| a | b |\n| --- | --- |\n| {escape.github_table_cell(text)} | 后 |"
    rendered = Tags(markdown.markdown(table, extensions=EXTENSIONS))
    assert Counter(tag for tag, _ in rendered.tags) == Counter(
        {"table": 1, "thead": 1, "tbody": 1, "tr": 2, "th": 2, "td": 2})
    assert GITHUB_AUTOLINK.findall(github_text(rendered)) == []
    assert folded(text) in github_text(rendered).replace(ZWSP, "")


def test_the_corpus_holds_every_kind_of_github_autolink() -> None:
    """The two tests above prove something: unescaped, the corpus links all of these."""
    found = {m.lower() for h in HOSTILE for m in GITHUB_AUTOLINK.findall(h)}
    assert {"https://", "www.", "@o", "#1", "gh-3", "deadbeef1234567", "cafebabe"} <= found
    assert any(m.endswith("@evil.e") for m in found)
    assert escape.github_table_cell("") == "—"


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_code_is_one_code_span(text: str) -> None:
    span = escape.markdown_code(text)
    ticks = re.match(r"`+", span)
    assert ticks and span.endswith(ticks.group(0))
    assert ticks.group(0) not in span[len(ticks.group(0)):-len(ticks.group(0))]
    assert "\n" not in span


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_label_cannot_close_the_label_or_start_a_directive(text: str) -> None:
    label = escape.mermaid_label(text)
    assert not set(label) & set('"%[]{}<>`|\\\n')
    decoded = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)
    assert decoded == folded(text)


@pytest.mark.parametrize("text", [*HOSTILE, "=1+1", "-1", "@A1", "\t=1", "＝1+1", "+"])
def test_csv_cells_never_start_a_formula(text: str) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerow([escape.csv_cell(text)])
    (cell,) = next(csv.reader(io.StringIO(buf.getvalue())))
    starts = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
    assert not cell.startswith(starts)
    assert cell == ("'" + text if text.startswith(starts) else text)


@pytest.mark.parametrize(("target", "expected"), [
    ("../steps/a/", "../steps/a/"),
    ("#R-ELIG", "#R-ELIG"),
    ("https://intranet.example/手册/", "https://intranet.example/%E6%89%8B%E5%86%8C/"),
    ("javascript:alert(1)", "#"),
    (" JavaScript:alert(1)", "#"),
    ("java\tscript:alert(1)", "#"),
    ("data:text/html,<script>", "#"),
    ('a" onclick="x', "a%22%20onclick=%22x"),
])
def test_url_allows_only_plain_links(target: str, expected: str) -> None:
    assert escape.url(target) == expected


def test_css_string_cannot_end_the_string_or_the_style() -> None:
    assert escape.css_string('a"b\\c</style>\n<script>') == '"a\\"b\\\\c\\3C /style> \\3C script>"'


@pytest.mark.parametrize("text", HOSTILE)
def test_github_annotations_are_one_command_each(text: str) -> None:
    d = Diagnostic("schema.wrong-type", f"“{text}”\n::error::forged", "a,b:c.yaml", 1, 1,
                   hint="%0A" + text)
    lines = render_github([d], Summary(1)).splitlines()
    assert len(lines) == 2 and lines[0].startswith("::error file=a%2Cb%3Ac.yaml,")
    assert not lines[1].startswith("::")


@pytest.mark.parametrize("char", CONTROLS)
def test_forbidden_characters_never_reach_an_output(char: str) -> None:
    text = f"前{char}后"
    for out in (escape.html_text(text), escape.html_attr(text), escape.markdown_inline(text),
                escape.mermaid_label(text), escape.csv_cell(text), escape.css_string(text),
                escape.github_message(text)):
        assert char[0] not in out and "\ufffd" in out


# --- every output of the hostile pack ---------------------------------------------------------


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_pack(tmp_path_factory.mktemp("hostile") / "pack")


def test_the_hostile_pack_passes_check_and_holds_every_hostile_string(pack: Path) -> None:
    analysis = analyse(pack)
    assert [d.check for d in analysis.diagnostics] == ["provenance.drafted"]
    texts = "".join(p.read_text(encoding="utf-8") for p in pack.rglob("*.yaml"))
    assert all(json.dumps(h, ensure_ascii=False)[1:-1] in texts for h in HOSTILE)


def test_trace_csv_has_no_formula(pack: Path) -> None:
    matrix = build_matrix(analyse(pack).model)
    # Every hostile string in every text column of every row, not only where the
    # pack happens to put one.
    matrix += [replace(row, title=h, category=h, citation=h, constraints=(h,))
               for row in matrix for h in HOSTILE]
    rows = list(csv.reader(io.StringIO(to_csv(matrix))))
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_trace_markdown_writes_no_html_of_policy_text(pack: Path) -> None:
    model = analyse(pack).model
    text = to_markdown(model, build_matrix(model))
    own = re.sub(r"<br>|&nbsp;|<!-- 由 `policybook trace.*?-->", "", text)
    assert "<" not in own  # policy text's "<" is &lt;
    rendered = Tags(markdown.markdown(text, extensions=EXTENSIONS))
    assert not dangerous(rendered.tags)
    assert {tag for tag, _ in rendered.tags} <= {
        "h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "br"}


def test_trace_markdown_links_and_mentions_nothing_on_github(pack: Path) -> None:
    model = analyse(pack).model
    text = to_markdown(model, build_matrix(model))
    assert "@octocat" in analyse_text(pack)  # the pack holds the mentions …
    shown = github_text(Tags(markdown.markdown(text, extensions=EXTENSIONS)))
    assert "octocat" in shown and "evil.example" in shown  # … and COVERAGE.md shows them
    assert GITHUB_AUTOLINK.findall(shown) == []


def analyse_text(pack: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in pack.rglob("*.yaml"))


def test_trace_json_round_trips_the_text(pack: Path) -> None:
    model = analyse(pack).model
    payload = json.loads(to_json(model, build_matrix(model)))
    assert any(r["title"].startswith(tuple(HOSTILE)) for r in payload["rules"])


def test_diff_markdown_writes_no_html_of_policy_text(pack: Path) -> None:
    result = run_cli("diff", MINIMAL, pack, "--format", "markdown")
    assert result.code == 0, result.err
    text = result.out
    assert "文1" in text
    rendered = Tags(markdown.markdown(text, extensions=[*EXTENSIONS, "fenced_code"]))
    assert not dangerous(rendered.tags, allow=("details",))
    assert {tag for tag, _ in rendered.tags} <= {
        "h2", "h3", "p", "ul", "li", "strong", "em", "code", "table", "thead", "tbody", "tr",
        "th", "td", "del", "ins", "details", "summary", "sub", "blockquote", "pre", "br"}
    for block in re.findall(r"```mermaid\n(.*?)```", text, re.S):
        assert "%%" not in block and " call " not in block
    # GitHub links nothing in the comment but what the report writes itself (none here:
    # two folders, no commit ids); in code (the diagrams) it links nothing anyway.
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    shown = github_text(Tags(markdown.markdown(prose, extensions=EXTENSIONS)))
    assert "octocat" in shown or "evil.example" in shown
    assert GITHUB_AUTOLINK.findall(shown.replace(str(MINIMAL), "").replace(str(pack), "")) == []


def test_printables_html_holds_policy_text_only_as_text(pack: Path) -> None:
    from generator.printables.build import plan
    from generator.printables.render import render_html

    base = {(tag, tuple(sorted(attrs))) for p in plan(analyse(MINIMAL).model)
            for tag, attrs in Tags(render_html(p, None)).tags}
    for printable in plan(analyse(pack).model):
        page = render_html(printable, None)
        tags = Tags(page).tags
        assert not dangerous(tags, allow=("style", "form")), printable.template
        assert {(tag, tuple(sorted(attrs))) for tag, attrs in tags} <= base
        assert "<script" not in page.lower()


# --- the built handbook site (slow: two mkdocs builds) ----------------------------------------


def _site(pack: Path, tmp: Path) -> Path:
    from generator.site.build import build_site

    return build_site(ROOT / "mkdocs.yml", policies=pack, pdf_dir=tmp / "no-pdf",
                      site_dir=tmp / "site")


@pytest.fixture(scope="module")
def sites(pack: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the example pack's site, the hostile pack's site)."""
    return (_site(MINIMAL, tmp_path_factory.mktemp("base-site")),
            _site(pack, tmp_path_factory.mktemp("hostile-site")))


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*.html"))}


def _shapes(html: str) -> set[tuple[str, tuple[str, ...]]]:
    return {(tag, tuple(sorted(attrs))) for tag, attrs in Tags(html).tags}


@pytest.mark.slow
def test_no_page_of_the_site_runs_or_links_policy_text(sites: tuple[Path, Path]) -> None:
    base, hostile = (_pages(s) for s in sites)
    assert base.keys() == hostile.keys()
    allowed = set().union(*map(_shapes, base.values()))
    for name, page in hostile.items():
        tags = Tags(page).tags
        assert not dangerous(tags, allow=("details", "form")), name  # the search form
        # No tag, and no attribute on a tag, that the example pack's site does not have.
        assert _shapes(page) <= allowed, (name, _shapes(page) - allowed)
        scripts = [attrs.get("src", attrs.get("id", "")) for tag, attrs in tags
                   if tag == "script"]
        assert scripts == [attrs.get("src", attrs.get("id", "")) for tag, attrs in
                           Tags(base[name]).tags if tag == "script"], name
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title and "<" not in title.group(1) and "&" not in title.group(1), name


@pytest.mark.slow
def test_badge_and_rule_tooltips_hold_the_whole_text(sites: tuple[Path, Path]) -> None:
    """The XSS of issue #17: Markdown inside a ``title=""`` attribute. The browser
    reads the whole hostile string back from the attribute, nothing more."""
    page = (sites[1] / "rules" / "index.html").read_text(encoding="utf-8")
    titles = [attrs["title"] for tag, attrs in Tags(page).tags
              if tag == "span" and "title" in attrs]
    assert titles
    shown = ["".join(Tags(f"<div>{t}</div>").text) for t in titles]  # the theme's innerHTML
    assert all(Tags(f"<div>{t}</div>").tags == [("div", {})] for t in titles)
    assert any(h.split("\n")[0] in t for t in shown for h in HOSTILE)


@pytest.mark.slow
def test_diagrams_hold_no_directive_and_no_click_of_policy_text(
        sites: tuple[Path, Path]) -> None:
    for name, page in _pages(sites[1]).items():
        for block in re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.S):
            assert "%%" not in block, name
            for line in block.splitlines():
                if line.strip().startswith("click"):
                    assert re.fullmatch(r'\s*click \w+ href "[^"]*" "[^"]*"', line), line


@pytest.mark.slow
def test_the_search_index_holds_policy_text_as_text(sites: tuple[Path, Path]) -> None:
    # Pagefind's fragments (gzip, a signature, then JSON) hold each page's text as text;
    # the search box turns an excerpt into text nodes and <mark> only, never markup.
    fragments = sorted((sites[1] / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments
    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        page = json.loads(data)
        assert isinstance(page["content"], str) and page["url"].startswith("/")
    script = (ROOT / "generator/site/assets/search.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
