"""The same handbook from both engines: ``policybook build`` writes the pages as files
and a config, which mkdocs (Material) and Zensical build into the same set of pages
with the same main text. Zensical has no plugin API, so anything the site needed from
a plugin at build time would be missing from its pages."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from generator.site.build import build_site
from generator.site.compare import differences, main_text, pages
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

LIBRARY = ROOT / "policies"
needs_zensical = pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                                    reason="zensical is not installed (policybook[zensical])")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, library_site: Path) -> tuple[Path, Path]:
    """The library built by either engine: mkdocs's is the session's (conftest)."""
    tmp = tmp_path_factory.mktemp("engines")
    zensical = build_site(ROOT / "mkdocs.yml", policies=LIBRARY, pdf_dir=tmp / "no-pdf",
                          site_dir=tmp / "zensical", engine="zensical")
    return library_site, zensical


@needs_zensical
def test_both_engines_build_the_same_pages_with_the_same_main_text(
        sites: tuple[Path, Path]) -> None:
    material, zensical = sites
    assert len(pages(material)) > 150
    assert differences(material, zensical, names=("mkdocs", "zensical")) == []


@needs_zensical
def test_what_the_plugin_did_is_in_the_zensical_pages_too(sites: tuple[Path, Path]) -> None:
    from generator.site.csp import POLICY

    _, zensical = sites
    step = (zensical / "wealth-account-opening/steps/kyc_application/index.html").read_text(
        encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">' in step
    assert '<abbr title="' in step  # glossary tooltips, from the Markdown
    assert "assets/policybook/mermaid.min.js" in step and "assets/policybook/tools.js" in step
    assert "<script>" not in step  # no inline script: the CSP would block it
    assert (zensical / "assets/policybook/policybook.css").is_file()
    # The nav that policybook wrote: the section of each pack, in order.
    home = (zensical / "index.html").read_text(encoding="utf-8")
    assert "个人大额现金支取" in home and "政策语言参考" in home


@needs_zensical
def test_a_page_holds_the_navigation_of_its_own_tab_only(sites: tuple[Path, Path]) -> None:
    """``navigation.prune``: a page of one pack links to the other pack by its tab alone
    (without it, every page of the other pack was in every page's navigation)."""
    for site in sites:
        page = (site / "wealth-account-opening/checklists/wealth_manager_checklist/"
                "index.html").read_text(encoding="utf-8")
        other = set(re.findall(r'href="((?:\.\./)+cash-withdrawal/[^"]*)"', page))
        assert other == {"../../../cash-withdrawal/"}, (site, sorted(other)[:5])
        assert 'href="../../rules/"' in page  # its own pack's pages are all there
        assert len(pages(site)) > 150


def test_main_text_is_the_article_without_permalinks_and_scripts() -> None:
    page = ('<html><nav>导航</nav><article class="md-content__inner"><h1 id="a">标题'
            '<a class="headerlink" href="#a">¶</a></h1><p>正文 <br>  第二行</p>'
            '<script>var x = 1;</script></article><footer>页脚</footer></html>')
    assert main_text(page) == "标题正文 第二行"


def test_an_article_tag_in_a_script_or_comment_before_the_article_is_not_the_article() -> None:
    """main_text parses from the first ``<article`` (the navigation before it is most of
    a page), but not from one inside a script or a comment."""
    for before in ('<script>var s = "<article>脚本</article>";</script>',
                   "<!-- <article>注释</article> -->",
                   '<style>/* <article> */ p { color: red }</style>'):
        page = (f"<html><head>{before}</head><body><nav>导航</nav>"
                "<article><p>正文</p></article></body></html>")
        assert main_text(page) == "正文", before
    assert main_text("<html><p>没有正文</p></html>") == ""


def test_differences_name_missing_pages_and_changed_text(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for site, text in ((one, "甲"), (two, "乙")):
        (site / "a").mkdir(parents=True)
        (site / "a/index.html").write_text(f"<article><p>共同{text}</p></article>",
                                           encoding="utf-8")
    (one / "only.html").write_text("<article>x</article>", encoding="utf-8")
    found = differences(one, two, names=("mkdocs", "zensical"))
    assert found[0] == "only in mkdocs: only.html"
    assert len(found) == 2 and found[1].startswith("a/index.html: replace")
    assert "甲" in found[1] and "乙" in found[1]


@needs_zensical
def test_both_engines_sites_carry_the_same_search_index(sites: tuple[Path, Path]) -> None:
    """policybook build indexes what either engine wrote (Pagefind over the built pages):
    Zensical's site is searchable too, over the same staff pages."""
    import json

    counts = []
    for site in sites:
        entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
        counts.append(entry["languages"]["en"]["page_count"])
        step = (site / "wealth-account-opening/steps/kyc_application/index.html").read_text(
            encoding="utf-8")
        assert "assets/policybook/search.js" in step
    assert counts[0] == counts[1] > 150
