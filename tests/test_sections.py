"""A large page converted a section at a time (``policybook serve`` with mkdocs): the
same contents, table of contents, title and anchors as mkdocs's whole conversion, and
after an edit only the edited section is converted again."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import POLICIES, ROOT

from generator.commands.serve import Preview
from generator.site import sections as sections_module
from generator.site.sections import SectionCache, same_as, sections

TITLE = "严格执行客户准入资格审定"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sections")
    pack = Path(shutil.copytree(POLICIES, tmp / "pack"))
    config = tmp / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                      f"plugins:\n  policybook:\n    policies: {pack}\n"
                      f"    mermaid: {ROOT / 'vendor/mermaid/mermaid.min.js'}\n",
                      encoding="utf-8")
    preview = Preview(pack, config, tmp / "out")
    assert preview.refresh() is not None
    return preview.project


def mkdocs_page(project: Path, src: str) -> tuple[Any, Any, Any]:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import Page

    config = load_config(config_file=str(project / "mkdocs.yml"))
    files = get_files(config)
    page = Page(None, files.get_file_from_path(src), config)
    page.read_source(config)
    page.render(config, files)
    return page, config, files


def test_the_rules_page_in_sections_is_what_mkdocs_makes_of_the_whole(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page, config, files = mkdocs_page(project, "rules.md")
    assert len(sections(page.markdown)) > 20  # a section per rule and per group
    cache = SectionCache()
    assert same_as(page, cache.convert(page, config, files))
    # An edited rule: its section alone is converted again, the page still equals.
    converted: list[str] = []
    real = sections_module._Converter.convert

    def counting(self: Any, text: str) -> Any:
        converted.append(text)
        return real(self, text)

    monkeypatch.setattr(sections_module._Converter, "convert", counting)
    assert TITLE in page.markdown
    page.markdown = page.markdown.replace(TITLE, TITLE + "(改)", 1)
    again = cache.convert(page, config, files)
    assert len(converted) == 1 and TITLE + "(改)" in converted[0]
    page.render(config, files)
    assert same_as(page, again)


def test_a_page_whose_sections_share_an_id_is_not_cut(project: Path) -> None:
    page, config, files = mkdocs_page(project, "rules.md")
    # The same heading twice: a whole conversion tells the ids apart, sections cannot.
    page.markdown += "\n\n## 重复的标题\n\n正文。\n\n## 重复的标题\n\n正文。\n"
    page.render(config, files)
    assert SectionCache().convert(page, config, files) is None


def test_sections_are_cut_before_headings_outside_code_fences() -> None:
    text = "# 页\n\n引言\n\n## 一\n\n甲\n\n```\n\n## 代码里\n```\n\n### 二\n乙\n## 紧跟\n"
    assert sections(text) == ["# 页\n\n引言\n", "## 一\n\n甲\n\n```\n\n## 代码里\n```\n",
                              "### 二\n乙\n## 紧跟\n"]
