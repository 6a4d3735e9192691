"""The check reference (检查项参考, ``generator/checkref``): every catalogue id has what it
finds, why it matters, how to fix it and an example; the examples cut from the test packs
are what ``tools/checkref_examples.py`` writes; the handbook has one anchor per id under
参考; and every SARIF rule's ``helpUri`` lands on one of those anchors."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import EXAMPLES, LIBRARY, POLICIES, ROOT, run_cli
from test_check_sarif import lay_out_broken, multitool_findings, schema_errors, working_directory

from generator import checkref
from generator.checks import catalog
from generator.site.nav import navigation
from generator.site.pages import render_site

SITE_URL = "https://handbook.example/政策手册/"
"""Where the tests pretend the handbook is published (Chinese in the path). Not a space as
well: the Multitool (.NET) rejects an absolute URI with both a %20 and an encoded
non-ASCII character (SARIF1002), though RFC 3986 allows it."""


@functools.cache
def tool() -> ModuleType:
    """``tools/checkref_examples.py``, imported from its file."""
    spec = importlib.util.spec_from_file_location("checkref_examples",
                                                  ROOT / "tools" / "checkref_examples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# --- the data -------------------------------------------------------------------------------


def test_every_catalogue_id_has_every_part_and_no_entry_is_for_an_unknown_id() -> None:
    known, docs = catalog(), checkref.entries()
    assert sorted(set(known) - set(docs)) == [], "ids without an entry in texts.yaml"
    assert sorted(set(docs) - set(known)) == [], "entries for ids nothing emits"
    for doc in docs.values():
        for part in (doc.finds, doc.why, doc.fix, doc.example.file, doc.example.wrong,
                     doc.example.right):
            assert part.strip(), doc.id
        assert doc.example.wrong != doc.example.right, doc.id
        assert doc.group != checkref.OTHER, doc.id
        assert doc.finds.count("`") % 2 == 0 and doc.fix.count("`") % 2 == 0, doc.id


def test_the_examples_file_is_what_the_script_cuts_from_the_test_packs() -> None:
    """``generator/checkref/examples.yaml`` is regenerated, not edited: a changed test pack
    fails here until ``python tools/checkref_examples.py`` is run again."""
    assert checkref.EXAMPLES.read_text("utf-8") == tool().render()


def test_most_examples_come_from_the_test_packs_and_each_cut_is_in_its_pack() -> None:
    cut = tool().examples()
    assert len(cut) >= 80, len(cut)
    for check_id, example in cut.items():
        folder = ROOT / example.case
        assert folder.is_dir() and (folder / example.file).is_file(), check_id
        text = tool().neutral((folder / example.file).read_text("utf-8"))
        minimal = tool().neutral(
            (EXAMPLES / "valid" / "minimal" / example.file).read_text("utf-8"))
        for line in example.wrong.splitlines():
            assert line.strip() == "# …" or line in text.splitlines(), (check_id, line)
        for line in example.right.splitlines():
            assert line.strip() == "# …" or line in minimal.splitlines(), (check_id, line)
    # a check pack's example is the one used, unless texts.yaml writes one by hand
    docs = checkref.entries()
    assert docs["decision.gap"].example.wrong == cut["decision.gap"].wrong
    assert "500000" in docs["decision.gap"].example.wrong
    assert "min_assets" in docs["decision.gap"].example.right


def test_a_cut_keeps_the_keys_above_the_change_and_marks_what_it_leaves_out() -> None:
    cut = tool().examples()["ref.unknown-role"]
    assert cut.wrong == ("steps:\n  # …\n  - id: collect_info\n    # …\n    actor: clerc\n")
    assert cut.right.endswith("actor: clerk\n")


def test_a_broken_data_file_is_an_error_naming_the_id(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    texts = tmp_path / "texts.yaml"
    texts.write_text("yaml.tab:\n  finds: 缩进用了制表符。\n  why: 会错位。\n", encoding="utf-8")
    monkeypatch.setattr(checkref, "TEXTS", texts)
    checkref.entries.cache_clear()
    try:
        with pytest.raises(checkref.CheckrefError, match=r"yaml\.tab"):
            checkref.entries()
    finally:
        monkeypatch.undo()
        checkref.entries.cache_clear()


def test_anchors_are_distinct_and_need_no_escaping() -> None:
    anchors = [checkref.anchor(i) for i in catalog()]
    assert len(set(anchors)) == len(anchors)
    assert all(re.fullmatch(r"[a-z0-9-]+", a) for a in anchors)
    assert checkref.anchor("yaml.duplicate-key") == "yaml-duplicate-key"


def test_help_uri_is_absolute_or_absent() -> None:
    assert checkref.help_uri("decision.gap", "https://h.example/pb") == \
        "https://h.example/pb/checks/#decision-gap"
    assert checkref.help_uri("decision.gap", "https://h.example/", directory_urls=False) == \
        "https://h.example/checks.html#decision-gap"
    assert checkref.help_uri("decision.gap", "") == ""
    assert checkref.help_uri("decision.gap", "../site/") == ""


# --- the page ---------------------------------------------------------------------------------


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.code_blocks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]
        self.code_blocks += tag == "pre"


@pytest.fixture(scope="module")
def site(library_site: Path) -> Path:
    """The shipped library's handbook (conftest: built once a session)."""
    return library_site


def page_ids(site: Path) -> _Ids:
    parser = _Ids()
    parser.feed((site / checkref.page_address() / "index.html").read_text("utf-8"))
    return parser


@pytest.mark.slow
def test_every_catalogue_id_has_an_anchor_on_the_built_page(site: Path) -> None:
    found = page_ids(site)
    assert {checkref.anchor(i) for i in catalog()} <= set(found.ids)
    assert len(found.ids) == len(set(found.ids)), "an id twice on the page"
    assert found.code_blocks == 2 * len(catalog()), "a wrong and a corrected snippet each"


@pytest.mark.slow
def test_the_page_is_under_reference_once_and_not_in_the_staff_search(site: Path) -> None:
    html = (site / "index.html").read_text("utf-8")
    assert html.count(f'href="{checkref.page_address()}"') >= 1
    assert not (site / "wealth-account-opening" / checkref.page_address()).exists()
    page = (site / checkref.page_address() / "index.html").read_text("utf-8")
    assert "检查项参考" in page and "&lt;类型&gt;" in page  # our words, escaped
    assert "pagefind-body" not in page


def test_the_nav_puts_the_check_reference_under_reference(in_root: Path) -> None:
    from generator.pipeline import analyse

    model = analyse(POLICIES).model
    pages = render_site(model)
    nav = navigation(model, pages, [])
    sections = {next(iter(item)): item[next(iter(item))] for item in nav
                if isinstance(item, dict)}
    assert {checkref.TITLE: checkref.PAGE} in sections["参考"]
    others = [json.dumps(v, ensure_ascii=False) for k, v in sections.items() if k != "参考"]
    assert all(checkref.PAGE not in other for other in others)


def test_the_page_escapes_the_words_and_fences_the_snippets() -> None:
    from generator.pipeline import analyse

    model = analyse(EXAMPLES / "valid" / "minimal").model
    (page,) = [p for p in render_site(model) if p.src == checkref.PAGE]
    assert "### <code>yaml&#46;tab</code> {#yaml-tab}" in page.markdown
    # `kind: <类型>` in the texts: a code span whose < is escaped, not a tag
    assert "<code>kind: &lt;类型&gt;</code>" in page.markdown
    assert page.markdown.count("```yaml\n") == 2 * len(catalog())


# --- SARIF --------------------------------------------------------------------------------------


@pytest.fixture
def site_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("POLICYBOOK_SITE_URL", SITE_URL)
    yield SITE_URL


def sarif_rules(*argv: str | os.PathLike[str]) -> list[dict[str, Any]]:
    result = run_cli("check", *argv, "--format", "sarif")
    log = json.loads(result.out)
    assert schema_errors(log) == []
    rules: list[dict[str, Any]] = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules
    return rules


@pytest.mark.slow
def test_every_help_uri_lands_on_an_anchor_of_the_page(site: Path, site_url: str,
                                                      tmp_path: Path) -> None:
    ids = set(page_ids(site).ids)
    lay_out_broken(tmp_path / "broken")
    with working_directory(tmp_path):
        rules = sarif_rules("broken")
    with working_directory(ROOT):
        rules += sarif_rules(LIBRARY.relative_to(ROOT))
    for rule in rules:
        uri = rule["helpUri"]
        assert uri.startswith("https://handbook.example/%E6%94%BF%E7%AD%96%E6%89%8B"), uri
        page, _, fragment = uri.partition("#")
        assert page.endswith("/" + checkref.page_address()), uri
        assert fragment in ids and fragment == checkref.anchor(rule["id"]), uri
        doc = checkref.entries()[rule["id"]]
        assert checkref.plain(doc.fix) in rule["help"]["text"]
        assert "```yaml" in rule["help"]["markdown"] and uri in rule["help"]["markdown"]


def test_without_a_site_url_rules_have_help_but_no_relative_help_uri(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYBOOK_SITE_URL", raising=False)
    lay_out_broken(tmp_path)
    with working_directory(tmp_path):
        rules = sarif_rules(".")
    for rule in rules:
        assert "helpUri" not in rule, rule
        assert f"#{checkref.anchor(rule['id'])}" in rule["help"]["markdown"]


def test_the_site_url_of_the_packs_mkdocs_yml_is_used(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYBOOK_SITE_URL", raising=False)
    lay_out_broken(tmp_path / "pack")
    (tmp_path / "pack" / "mkdocs.yml").write_text(
        "site_name: x\nsite_url: https://intranet.example/handbook\nuse_directory_urls: false\n",
        encoding="utf-8")
    with working_directory(tmp_path):
        rules = sarif_rules("pack")
    gap = next(r for r in rules if r["id"] == "decision.gap")
    assert gap["helpUri"] == "https://intranet.example/handbook/checks.html#decision-gap"


def test_the_multitool_finds_no_error_in_rules_with_help_uris(
        tmp_path: Path, site_url: str) -> None:
    """The SARIF Multitool (its SARIF and GitHub rules) on the shipped library and a
    broken pack, with every rule's helpUri set: no error, and no warning beyond the one
    tests/test_check_sarif.py allows (SARIF2005, no informationUri)."""
    from test_check_sarif import ALLOWED_MULTITOOL_WARNINGS

    lay_out_broken(tmp_path / "broken")
    with working_directory(ROOT):
        shipped = run_cli("check", LIBRARY.relative_to(ROOT), "--format", "sarif").out
    with working_directory(tmp_path):
        broken = run_cli("check", "broken", "--format", "sarif").out
    assert '"helpUri"' in shipped and '"helpUri"' in broken
    found = multitool_findings(tmp_path / "multitool",
                               {"shipped.sarif": shipped, "broken.sarif": broken})
    assert [f for f in found if f[0] not in ALLOWED_MULTITOOL_WARNINGS] == []
