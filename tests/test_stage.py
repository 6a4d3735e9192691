"""The docs project that ``policybook build`` writes for any engine: the config it
generates from the site's own, files written only when their bytes change, the
tooltips marked in the Markdown and the CSP in the theme override."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from generator.errors import BuildError
from generator.library import analyse_library
from generator.site import csp
from generator.site.build import prepare
from generator.site.stage import read_config, stage_project, sync_tree
from generator.site.tooltips import MarkdownTooltips, Tip
from tests.conftest import EXAMPLES, ROOT

MINIMAL = EXAMPLES / "valid" / "minimal"


def test_the_theme_override_writes_the_policy_of_csp_py() -> None:
    template = (csp.THEME / "main.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{csp.POLICY}">' in template
    assert "{{" not in template.split("content=", 1)[1].split(">", 1)[0]  # no variable


def test_markdown_tooltips_skip_headings_links_code_fences_and_tags() -> None:
    tips = MarkdownTooltips([Tip("一级分行", "一级分行:审批"), Tip("分行", "分行:跟进")])
    page = ("# 一级分行 {#top}\n\n报一级分行审批,[分行](x.md) `分行` "
            '<span title="分行">再报一级分行</span>;分行跟进。\n\n'
            "```mermaid\n分行\n```\n\n<a href=\"y\">分行</a> &amp; 分行\n")
    assert tips.apply(page) == (
        "# 一级分行 {#top}\n\n报<abbr title=\"一级分行&#58;审批\">一级分行</abbr>审批,"
        "[分行](x.md) `分行` <span title=\"分行\">再报一级分行</span>;"
        "<abbr title=\"分行&#58;跟进\">分行</abbr>跟进。\n\n"
        "```mermaid\n分行\n```\n\n<a href=\"y\">分行</a> &amp; 分行\n")


def test_markdown_tooltips_leave_the_content_of_skipped_elements_alone() -> None:
    """A term inside a tool's JSON data, a link or a button is not marked (an <abbr> in
    the JSON broke the in-page tools); the first one outside them is."""
    tips = MarkdownTooltips([Tip("分行", "分行:跟进")])
    page = ('<script type="application/json" id="d">{"t": "分行"}</script>\n'
            '<a href="x">分行</a> <button>分行</button> <br/> 分行跟进\n')
    assert tips.apply(page) == (
        '<script type="application/json" id="d">{"t": "分行"}</script>\n'
        '<a href="x">分行</a> <button>分行</button> <br/> '
        '<abbr title="分行&#58;跟进">分行</abbr>跟进\n')


def test_markdown_tooltips_match_the_escaped_form_of_a_term() -> None:
    tips = MarkdownTooltips([Tip("A*B", "星")])
    assert tips.apply("甲 A\\*B 乙\n") == '甲 <abbr title="星">A\\*B</abbr> 乙\n'


def test_a_tree_is_written_only_where_bytes_change(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    first = sync_tree(folder, {"a.md": b"one", "b/c.md": b"two", "old.md": b"x"})
    assert sorted(first.written) == ["a.md", "b/c.md", "old.md"]
    stamp = (folder / "a.md").stat().st_mtime_ns
    os.utime(folder / "a.md", ns=(stamp - 10**9, stamp - 10**9))
    again = sync_tree(folder, {"a.md": b"one", "b/c.md": b"TWO"})
    assert again.written == ["b/c.md"] and again.removed == ["old.md"]
    assert (folder / "a.md").stat().st_mtime_ns == stamp - 10**9  # untouched
    assert (folder / "b/c.md").read_bytes() == b"TWO" and not (folder / "old.md").exists()


def test_the_generated_config_drops_the_plugin_and_keeps_the_rest(tmp_path: Path) -> None:
    site = tmp_path / "mkdocs.yml"
    site.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                    f"plugins:\n  policybook:\n    policies: {MINIMAL}\n"
                    f"    mermaid: {ROOT / 'vendor/mermaid/mermaid.min.js'}\n",
                    encoding="utf-8")
    library, content = prepare(site, MINIMAL, tmp_path / "no-pdf", analysis=None, pdfs=None)
    project, done = stage_project(site, library, content, project=tmp_path / "p")
    assert "mkdocs.yml" in done.written and "docs/index.md" in done.written
    assert "docs/about.md" in done.written  # the hand-written page
    assert "theme/main.html" in done.written
    assert "docs/assets/policybook/mermaid.min.js" in done.written
    text = project.config.read_text(encoding="utf-8")
    assert "!!python/name:pymdownx.superfences.fence_code_format" in text
    assert "!!python/object/apply:pymdownx.slugs.slugify" in text
    config = yaml.load(text, Loader=yaml.UnsafeLoader)  # our own file: python tags
    # Pagefind indexes the built site in place of the Material search plugin.
    assert "policybook" not in config["plugins"] and "search" not in config["plugins"]
    assert (config["docs_dir"], config["site_dir"], config["theme"]["custom_dir"]) == (
        "docs", "site", "theme")
    assert config["theme"]["name"] == "material"
    assert "assets/policybook/policybook.css" in config["extra_css"]
    assert config["nav"][0] == {"首页": "index.md"}
    glossary = (project.docs / "glossary.md").read_text(encoding="utf-8")
    assert "<abbr" not in glossary  # the terms are defined there
    # The same content again: nothing is written.
    _, again = stage_project(site, library, content, project=tmp_path / "p")
    assert again.written == [] and again.removed == []


def test_a_hand_written_page_in_the_way_of_a_generated_one_is_an_error(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rules.md").write_text("# 我的规则\n", encoding="utf-8")
    site = tmp_path / "mkdocs.yml"
    site.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\n"
                    f"plugins:\n  policybook:\n"
                    f"    mermaid: {ROOT / 'vendor/mermaid/mermaid.min.js'}\n", encoding="utf-8")
    assert read_config(site)["docs_dir"] == str(docs)
    library = analyse_library(MINIMAL)
    _, content = prepare(site, MINIMAL, tmp_path, analysis=library, pdfs={})
    with pytest.raises(BuildError, match=r"docs/rules\.md 与生成的页面同名"):
        stage_project(site, library, content, project=tmp_path / "p")


def test_serve_rewrites_only_the_pages_an_edit_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from generator.commands.serve import Preview

    pack = Path(shutil.copytree(MINIMAL, tmp_path / "pack"))
    site = tmp_path / "mkdocs.yml"
    site.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                    f"plugins:\n  policybook:\n"
                    f"    mermaid: {ROOT / 'vendor/mermaid/mermaid.min.js'}\n", encoding="utf-8")
    preview = Preview(pack, site, tmp_path / "out")
    first = preview.refresh()
    assert first is not None and len(first.written) > 20
    assert preview.refresh() is None  # nothing changed: nothing analysed, nothing written
    rules = pack / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("严格执行客户准入资格审定", "严格执行客户准入资格审定(改)"),
                     encoding="utf-8")
    edited = preview.refresh()
    assert edited is not None and "docs/rules.md" in edited.written
    assert 0 < len(edited.written) < len(first.written) // 2  # only the pages that show it
    assert all(w.startswith("docs/") and w.endswith(".md") for w in edited.written)
    assert "(改)" in (preview.project / "docs/rules.md").read_text(encoding="utf-8")
    # A check that fails: reported with file:line:col, shown on the page of the edit.
    rules.write_text(text.replace("category: eligibility", "category: nonsense", 1),
                     encoding="utf-8")
    assert preview.refresh() is not None
    flagged = preview.check()
    assert flagged is not None and flagged.written == ["docs/rules.md"]
    err = capsys.readouterr().err
    assert "rules.yaml:" in err and "[ref.unknown-category]" in err
    assert "〔ref.unknown-category〕" in (preview.project / "docs/rules.md").read_text(
        encoding="utf-8")
