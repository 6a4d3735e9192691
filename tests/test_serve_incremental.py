"""``policybook serve`` after an edit: the files parsed again, the pages rendered first,
and the project after the rest of the pages equal to what a full render writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.commands.serve import Preview
from generator.library import analyse_library
from generator.load import ParseCache
from generator.site import incremental
from generator.site.build import prepare
from generator.site.stage import stage_project
from tests.conftest import ROOT

POLICIES = ROOT / "policies"
TITLE = "严格执行客户准入资格审定"


def _config(tmp: Path, policies: Path) -> Path:
    site = tmp / "mkdocs.yml"
    site.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                    f"plugins:\n  policybook:\n    policies: {policies}\n"
                    f"    mermaid: {ROOT / 'vendor/mermaid/mermaid.min.js'}\n",
                    encoding="utf-8")
    return site


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _as_built(tmp: Path, policies: Path, config: Path) -> dict[str, bytes]:
    """The project that a full analysis and render of ``policies`` writes."""
    library, content = prepare(config, policies, tmp / "no-pdf", analysis=None, pdfs={})
    fresh = tmp / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    stage_project(config, library, content, project=fresh)
    return _files(fresh)


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    return Path(shutil.copytree(POLICIES, tmp_path / "policies"))


def _edit_rule_title(policies: Path) -> Path:
    rules = policies / "wealth-account-opening" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert TITLE in text
    rules.write_text(text.replace(TITLE, TITLE + "(改)", 1), encoding="utf-8")
    return rules


def test_an_edit_parses_only_the_file_it_changed(library: Path) -> None:
    cache = ParseCache()
    parsed: list[str] = []
    real = cache.parse

    def counting(raw: bytes, file: str):  # type: ignore[no-untyped-def]
        read = real(raw, file)
        if read.raw is raw:  # parsed now: the kept entry holds this call's bytes
            parsed.append(file)
        return read

    cache.parse = counting  # type: ignore[method-assign]
    first = analyse_library(library, cache=cache)
    assert len(parsed) > 20
    parsed.clear()
    rules = _edit_rule_title(library)
    again = analyse_library(library, cache=cache)
    assert [Path(f).resolve() for f in parsed] == [rules.resolve()]
    assert again.ok and first.ok
    uncached = analyse_library(library)
    assert again.diagnostics == uncached.diagnostics
    assert [p.analysis.model.rules for p in again] == [p.analysis.model.rules for p in uncached]


def test_the_first_pages_are_those_the_edit_changes_and_the_rest_equals_a_build(
        tmp_path: Path, library: Path) -> None:
    config = _config(tmp_path, library)
    preview = Preview(library, config, tmp_path / "out")
    first = preview.refresh()
    assert first is not None and not preview.pending  # the first time: every page, at once
    _edit_rule_title(library)
    edited = preview.refresh()
    # Written at once: the page that describes the edited rule (the rules page) and the
    # pages made as they are listed; not the other pages that show the rule's title.
    assert edited is not None and "docs/wealth-account-opening/rules.md" in edited.written
    assert preview.pending
    work = preview.site.round
    assert work is not None
    assert work.rendered_first == 1
    assert "(改)" in (preview.project / "docs/wealth-account-opening/rules.md").read_text(
        encoding="utf-8")
    # The rest of the forecast: far fewer pages than the site has, rendered next.
    forecast = {f"docs/{src}" for src in work.forecast_srcs}
    assert 5 < len(forecast) < len(work.order) // 4
    assert preview.check() is None  # the checks pass
    left = len(work.forecast)
    rest = preview.complete(0.0)  # one page per call at least: the forecast's first
    assert len(work.forecast) == left - 1 and preview.pending
    assert rest is None or set(rest.written) <= forecast
    rest = preview.complete()
    assert rest is not None and not preview.pending
    assert set(rest.written) <= forecast  # the forecast had every page the edit changed
    assert _files(preview.project) == _as_built(tmp_path, library, config)


def test_for_zensical_the_rest_of_an_edit_is_written_at_once_at_the_end(
        tmp_path: Path, library: Path) -> None:
    """Zensical renders every page again at each change it sees: after the edit's first
    page, the forecast's pages are held and written together with the rest."""
    config = _config(tmp_path, library)
    preview = Preview(library, config, tmp_path / "out", batch=True)
    assert preview.refresh() is not None
    rules_md = preview.project / "docs/wealth-account-opening/rules.md"
    _edit_rule_title(library)
    edited = preview.refresh()
    assert edited is not None and "docs/wealth-account-opening/rules.md" in edited.written
    assert "(改)" in rules_md.read_text(encoding="utf-8")  # the first page: at once
    work = preview.site.round
    assert work is not None and len(work.forecast) > 5
    before = _files(preview.project)
    while work.forecast:  # the forecast rendered, a page a call, and none written
        assert preview.complete(0.0) is None
        assert _files(preview.project) == before
    rest = preview.complete()
    assert rest is not None and not preview.pending
    forecast = {f"docs/{src}" for src in work.forecast_srcs}
    assert len(set(rest.written) & forecast) > 5  # all of them in this one write
    assert _files(preview.project) == _as_built(tmp_path, library, config)


def test_a_page_the_forecast_misses_is_written_when_the_rest_is_rendered(
        tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config(tmp_path, library)
    preview = Preview(library, config, tmp_path / "out")
    preview.refresh()
    monkeypatch.setattr(incremental, "touched", lambda reads, changed: False)
    _edit_rule_title(library)
    edited = preview.refresh()
    # Nothing forecast: only pages made as they are listed are written (no rules page).
    assert edited is not None and not any(w.endswith("/rules.md") for w in edited.written)
    done = None
    while done is None:  # a slice at a time, as the watcher does between polls
        done = preview.complete(0.05)
    assert "docs/wealth-account-opening/rules.md" in done.written
    assert _files(preview.project) == _as_built(tmp_path, library, config)


def test_an_error_is_shown_on_the_pages_of_the_edit_and_the_fix_brings_the_edit(
        tmp_path: Path, library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, library)
    preview = Preview(library, config, tmp_path / "out")
    preview.refresh()
    assert preview.check() is None
    rules = library / "wealth-account-opening" / "rules.yaml"
    page = preview.project / "docs/wealth-account-opening/rules.md"
    good = rules.read_text(encoding="utf-8")
    # A file that does not validate: reported, every page stays as it was.
    rules.write_text(good.replace("rules:", "rules: [", 1), encoding="utf-8")
    before = _files(preview.project)
    assert preview.refresh() is None and preview.check() is None
    assert "rules.yaml:" in capsys.readouterr().err
    assert _files(preview.project) == before
    # A check that fails: the edit is shown, then the error in a box on its page.
    rules.write_text(good.replace("category: eligibility", "category: nonsense", 1),
                     encoding="utf-8")
    assert preview.refresh() is not None
    flagged = preview.check()
    assert flagged is not None and "docs/wealth-account-opening/rules.md" in flagged.written
    assert not preview.pending  # the other pages keep what they showed
    err = capsys.readouterr().err
    assert "rules.yaml:" in err and "[ref.unknown-category]" in err
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    assert lines[title + 2].startswith('!!! failure "未通过检查')  # under the title
    assert "〔ref.unknown-category〕" in text and "wealth-account-opening/rules.yaml:" in text
    # The fix, elsewhere in the file: the box goes at once, the rest equals a build.
    rules.write_text(good.replace(TITLE, TITLE + "(改)", 1), encoding="utf-8")
    assert preview.refresh() is not None
    assert "未通过检查" not in page.read_text(encoding="utf-8")
    assert preview.check() is None
    preview.complete()
    assert _files(preview.project) == _as_built(tmp_path, library, config)


def test_the_error_box_escapes_what_the_policy_wrote() -> None:
    from generator.commands.serve import error_box
    from generator.diagnostics import Diagnostic

    box = error_box([Diagnostic("ref.x", "引用了 <img src=x onerror=alert(1)> 和 *强调*",
                                "rules.yaml", 3, 7)] * 21)
    assert "<img" not in box and "*强调*" not in box
    assert box.count("`rules.yaml:3:7`") == 20 and "另有 1 个" in box
    assert "有 21 个错误" in box.splitlines()[0]


def test_the_tooltip_trie_matches_as_the_longest_first_alternation() -> None:
    """The glossary's pattern is a trie of its terms; on every page of the shipped
    library it finds what the plain alternation, longest term first, finds."""
    import re

    from generator.site.content import render_pages, tips
    from generator.site.tooltips import longest_first

    library = analyse_library(POLICIES)
    pages, _ = render_pages(library, frozenset(), directory_urls=True, tooltips=False)
    words = sorted({t.text for p in library for t in tips(p.analysis.model)} | {
        "一级", "一级分行", "一级分", "分行", "行"}, key=len, reverse=True)
    plain = re.compile("|".join(map(re.escape, words)))
    trie = re.compile(longest_first(words))
    assert trie.pattern != plain.pattern
    texts = [p.markdown for p in pages] + ["一级分行、一级分、一级支行、分行行"]
    found = 0
    for text in texts:
        expected = [(m.start(), m.group(0)) for m in plain.finditer(text)]
        assert [(m.start(), m.group(0)) for m in trie.finditer(text)] == expected
        found += len(expected)
    assert found > 1000


def test_the_edition_goes_under_the_title_after_the_front_matter() -> None:
    from generator.site.printing import edition_marked

    page = "---\nhide:\n  - toc\n---\n\n# 追溯矩阵\n\n正文\n"
    assert edition_marked(page, "<div>版本</div>") == (
        "---\nhide:\n  - toc\n---\n# 追溯矩阵\n\n<div>版本</div>\n\n正文\n")
    assert edition_marked("# 规则\n\n正文\n", "<div>版本</div>") == (
        "# 规则\n\n<div>版本</div>\n\n正文\n")


def test_remembered_tooltips_mark_an_edited_page_as_marking_it_afresh(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``policybook serve`` keeps how each block of a large page was marked: marking it
    again after an edit (a block changed, a term first met earlier, a fence opened that
    hides what follows) gives what a fresh marking gives, and marks only what changed."""
    from generator.site.content import render_pages, tips
    from generator.site.tooltips import MarkdownTooltips

    monkeypatch.setattr(MarkdownTooltips, "MEMO_CHARS", 0)
    library = analyse_library(POLICIES)
    pages, _ = render_pages(library, frozenset(), directory_urls=True, tooltips=False)
    (pack,) = [p for p in library if p.prefix == ""] or list(library)[:1]
    terms = tips(pack.analysis.model)
    remembered = MarkdownTooltips(terms, remember=True)
    calls = []
    block = remembered._block
    monkeypatch.setattr(remembered, "_block", lambda *a: calls.append(1) or block(*a))
    page = max(pages, key=lambda p: p.markdown.count("\n\n")).markdown
    term = next(t.text for t in terms if t.text in page)
    blocks = page.split("\n\n")
    middle = len(blocks) // 2
    edits = [
        page,
        "\n\n".join([*blocks[:middle], blocks[middle] + "改动", *blocks[middle + 1:]]),
        "\n\n".join([term, *blocks]),  # the term first met in a new first block
        "\n\n".join([*blocks[:middle], "```text", *blocks[middle:]]),  # never closed
        page,
    ]
    for n, text in enumerate(edits):
        calls.clear()
        assert remembered.apply(text) == MarkdownTooltips(terms).apply(text), n
        if n == 1:
            assert 0 < len(calls) < len(blocks) // 4
    assert "<abbr" in remembered.apply(page)
    assert len(calls) == 0  # the page as first marked: every block remembered
