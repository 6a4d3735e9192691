"""The pieces of the handbook site, without mkdocs: escaping, links, diagrams,
tooltips, typed template contexts, and the plugin's caching and serve hooks."""

from __future__ import annotations

import html
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown
import pytest

from generator.library import analyse_library
from generator.model import Model, Provenance
from generator.model.sources import Source
from generator.pipeline import analyse
from generator.site.contexts import GlossaryPage, PageContext
from generator.site.library import SitePack, render_library
from generator.site.links import Address, Links, page_url
from generator.site.markup import badge, code, md, md_block
from generator.site.mermaid import label
from generator.site.nav import nav_title
from generator.site.pages import GeneratedPage, render_site
from generator.site.plugin import PolicybookPlugin
from generator.site.render import render
from generator.site.tooltips import Tip, Tooltips
from tests.conftest import EXAMPLES, LIBRARY, POLICIES
from tests.test_site_build import MINI_PACK, write_pack

MINIMAL = EXAMPLES / "valid" / "minimal"
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "toc"]


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.mark.parametrize("text", [
    '<script>alert("x")</script>',
    "*强调* _下划线_ **粗体**",
    "[链接](http://evil.example)",
    "a | b | c",
    "# 不是标题",
    "1. 不是列表",
    "- 不是列表",
    "`代码` \\反斜杠 {#id} ![图](x.png)",
    "A & B &amp; C &#60;",
    "+ 不是列表", "--- 不是分隔线", "1) 不是列表", "* 不是列表", "> 不是引用",
    "![图片](x.png) <!-- 注释 -->", "{: .class } {#id}", "(括号) 与 ! 叹号 与 2.5%",
])
def test_md_keeps_policy_text_literal(text: str) -> None:
    rendered = to_html(md(text))
    assert rendered == f"<p>{_escape(text)}</p>"


@pytest.mark.parametrize("text", ["<b>x</b>", "a_b*c", "x|y"])
def test_md_is_literal_in_a_table_cell(text: str) -> None:
    table = f"| h |\n| --- |\n| {md(text)} |"
    assert f"<td>{_escape(text)}</td>" in to_html(table)


def test_md_block_keeps_paragraphs_and_folds_lines() -> None:
    assert to_html(md_block("第一段\n续行\n\n第二段 <i>")) == \
        "<p>第一段 续行</p>\n<p>第二段 &lt;i&gt;</p>"


def test_code_is_literal_inside_a_code_span() -> None:
    rendered = to_html(str(code("a_b*c<d>")))
    assert rendered.startswith("<p><code>") and rendered.endswith("</code></p>")
    assert html.unescape(rendered[9:-11]) == "a_b*c<d>"


def _title(page: str) -> str:
    """The one ``title`` attribute in ``page`` as its tooltip shows it: the browser
    decodes the attribute, and the theme reads the value as HTML (no tag left in it)."""
    (value,) = re.findall(r'title="([^"]*)"', page)
    assert "<" not in html.unescape(value)
    return html.unescape(html.unescape(value))


def test_badges_say_where_content_comes_from() -> None:
    sourced = to_html(str(badge(Provenance("sourced", citation="第二部分 四(二)",
                                           quote='"引文" <x>'))))
    assert 'class="pb-prov pb-sourced"' in sourced
    assert "出处 第二部分 四(二)" in sourced
    assert _title(sourced) == '引自第二部分 四(二)："引文" <x>'
    deck = Source("deck", "《课件》", "training_deck", "", "", "", ())
    titled = to_html(str(badge(Provenance("sourced", citation="第二部分 四(二)"), [deck])))
    assert _title(titled) == "引自《课件》第二部分 四(二)"
    drafted = to_html(str(badge(Provenance("drafted", note="待定", based_on="第三部分"))))
    assert 'class="pb-prov pb-drafted"' in drafted and ">起草<" in drafted
    assert "待定" in drafted and "第三部分" in drafted


def test_mermaid_labels_cannot_close_or_open_anything() -> None:
    assert label('a"b<c>d#e|f;g') == "a#34;b#60;c#62;d#35;e#124;f#59;g"
    assert label("%%{init: {'theme': 'dark'}}%%") == \
        "#37;#37;#123;init: #123;'theme': 'dark'#125;#125;#37;#37;"
    assert label("两行\n文字") == "两行 文字"


def test_nav_titles_cannot_open_a_tag_or_an_entity() -> None:
    """The theme prints a title raw, through ``e`` and through ``striptags`` (which
    unescapes once): with no <, > or & in it, the three read the same."""
    assert nav_title('<script>alert("x")</script> & 1 &lt;') == \
        '\uff1cscript\uff1ealert("x")\uff1c/script\uff1e \uff06 1 \uff06lt;'


@pytest.mark.parametrize(("here", "there", "directory_urls", "expected"), [
    ("overview.md", "steps/a.md", True, "../steps/a/"),
    ("flows/f.md", "steps/a.md", True, "../../steps/a/"),
    ("flows/f.md", "flows/f.md", True, ""),
    ("index.md", "steps/a.md", True, "steps/a/"),
    ("steps/a.md", "index.md", True, "../../"),
    ("overview.md", "steps/a.md", False, "steps/a.html"),
])
def test_diagram_urls_are_relative_to_the_page(here: str, there: str, directory_urls: bool,
                                               expected: str) -> None:
    links = Links(here, Model(), frozenset(), directory_urls=directory_urls)
    assert links.url(Address(there)) == expected


def test_markdown_links_are_relative_paths_mkdocs_can_check() -> None:
    links = Links("steps/a.md", Model(), frozenset(), directory_urls=True)
    assert links.href(Address("rules.md", "R-X")) == "../rules.md#R-X"
    assert links.href(Address("steps/a.md", "x")) == "#x"
    assert page_url("forms/index.md", directory_urls=True) == "forms/"


def test_pdf_links_only_to_printables_that_exist() -> None:
    links = Links("forms/f.md", Model(), frozenset({"print/forms/f.pdf"}), directory_urls=True)
    assert "(../print/forms/f.pdf)" in links.pdf("forms", "f")
    assert "打印版尚未生成" in links.pdf("forms", "g")


def test_tooltips_mark_the_first_occurrence_outside_links_headings_and_code() -> None:
    tips = Tooltips([Tip("一级分行", "一级分行:审批"), Tip("分行", "分行:跟进"),
                     Tip("A&B", "和")])
    page = ("<h2>一级分行</h2><p>报一级分行审批,再报一级分行;分行跟进。</p>"
            '<a href="x">分行</a><pre class="mermaid"><code>分行</code></pre><p>A&amp;B</p>')
    assert tips.apply(page) == (
        "<h2>一级分行</h2><p>报<abbr title=\"一级分行&#58;审批\">一级分行</abbr>审批,"
        "再报一级分行;<abbr title=\"分行&#58;跟进\">分行</abbr>跟进。</p>"
        '<a href="x">分行</a><pre class="mermaid"><code>分行</code></pre>'
        '<p><abbr title="和">A&amp;B</abbr></p>')


def test_tooltips_leave_a_page_without_terms_alone() -> None:
    assert Tooltips([]).apply("<p>财富经理</p>") == "<p>财富经理</p>"


def test_a_template_sees_only_what_its_context_declares() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Undeclared(PageContext):
        TEMPLATE = GlossaryPage.TEMPLATE  # uses `letters` and `terms`, which it lacks

    links = Links("glossary.md", Model(), frozenset(), directory_urls=True)
    context = Undeclared(here="glossary.md", title="术语表", links=links, text=str,
                         badge=badge)
    with pytest.raises(jinja2.UndefinedError, match=r"letters|terms"):
        render(context)
    assert "术语表" in render(GlossaryPage(here="glossary.md", title="术语表", links=links,
                                        text=str, badge=badge, terms=[]))


_REFERENCE = re.compile(r"\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}")
"""A ``{{ parameter }}`` reference (Mermaid's hexagons ``{{"…"}}`` are not one)."""


def unescaped(markdown_text: str) -> str:
    """Markdown as a reader sees its characters: ``\\{`` and ``&#123;`` are braces."""
    return re.sub(r"\\(.)", r"\1", html.unescape(markdown_text))


def test_unescaped_sees_escaped_braces() -> None:
    assert _REFERENCE.search(unescaped(md("审批（{{ branch_head_threshold }}以上）")))
    assert not _REFERENCE.search(unescaped('n1{{"决策"}}'))


def test_every_page_of_the_shipped_library_renders_its_parameters() -> None:
    library = analyse_library(LIBRARY, checks=False)
    pages = render_library([SitePack(p.prefix, p.analysis.model) for p in library.packs])
    own = render_site(analyse(POLICIES).model)
    srcs = [p.src for p in own]
    assert srcs[:2] == ["index.md", "overview.md"]
    assert len(srcs) == len(set(srcs))
    for page in [*pages, *own]:
        # The language and check references show the {{ parameter }} syntax itself.
        if page.src.startswith(("language/", "checks")):
            continue
        found = _REFERENCE.search(unescaped(page.markdown)) or _REFERENCE.search(page.title)
        assert found is None, (page.src, found.group())  # every {{ parameter }} replaced
    home = next(p for p in own if p.src == "index.md").markdown
    assert "100万元" in home
    roles = next(p for p in pages if p.src == "cash-withdrawal/roles.md").markdown
    assert "审批大额现金支取（50万元以上或老年客户）" in roles  # a permission's title


def _page(pages: list[GeneratedPage], src: str) -> str:
    return next(p.markdown for p in pages if p.src == src)


def test_procedure_words_come_from_the_pack(tmp_path: Path) -> None:
    """Rule categories, the questionnaire's result and what a level allows are the
    pack's words; without them the pages fall back to generic ones."""
    pages = render_site(analyse(MINIMAL).model)
    rules = _page(pages, "rules.md")
    assert rules.index("## 客户准入") < rules.index("## 了解客户")
    quiz = _page(pages, "questionnaires/risk_quiz.md")
    assert "## 风险承受能力等级 {#levels}" in quiz
    assert "| 说明 | 可购买产品的最高风险等级 |" in quiz and "| R3 |" in quiz

    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    quiz_file = pack / "questionnaires" / "risk.yaml"
    text = quiz_file.read_text(encoding="utf-8")
    text = re.sub(r"^(result_title|allows_title): .*\n|^    allows: .*\n", "", text, flags=re.M)
    quiz_file.write_text(text, encoding="utf-8")
    plain = _page(render_site(analyse(pack).model), "questionnaires/risk_quiz.md")
    assert "## 等级 {#levels}" in plain
    assert "| 等级 | 名称 | 总分 | 说明 |\n| --- | --- | --- | --- |\n" in plain


# --- the plugin's caching and serve hooks ---------------------------------------------


class _Server:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def _plugin(pack: Path) -> PolicybookPlugin:
    plugin = PolicybookPlugin()
    plugin.load_config({"policies": str(pack)})
    plugin.policies = pack
    return plugin


def test_serve_watches_the_policy_pack(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINI_PACK)
    server = _Server()
    _plugin(pack).on_serve(server, config=None, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(pack)]


def test_analysis_is_reused_until_a_yaml_file_changes(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pack = write_pack(tmp_path / "pack", MINI_PACK)
    plugin = _plugin(pack)
    calls = []
    import generator.site.plugin as plugin_module

    real = plugin_module.analyse_library
    monkeypatch.setattr(plugin_module, "analyse_library", lambda p: calls.append(p) or real(p))
    first = plugin._analyse()
    assert plugin._analyse() is first
    assert len(calls) == 1
    rules = pack / "rules.yaml"
    stat = rules.stat()
    os.utime(rules, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert plugin._analyse() is not first
    assert len(calls) == 2


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- a rendered page, in full: a reviewer sees every change to the step template -------

GOLDEN_STEP = """\
# 与客户沟通&lt;script&gt;alert("step")&lt;/script&gt;

<div class="pb-edition" data-edition="迷你&#60;script&#62;alert&#40;&#34;pack&#34;&#41;\
&#60;&#47;script&#62;手册 · 版本 0&#46;1&#46;0 · 生效日期 2026&#45;01&#45;01" \
aria-hidden="true"></div>

<span class="pb-prov pb-drafted" title="起草内容，待审定：测试">起草</span>

<div class="pb-facts-table" data-pagefind-ignore markdown>

| 所属流程 | 编号 | 类型 | 执行岗位 | 权限 | 命名环节 |
| --- | --- | --- | --- | --- | --- |
| [主流程](../flows/main.md) | 1 | 工作环节 | [财富经理](../roles.md#role-manager) \
| [服务客户](../roles.md#perm-serve) | [环节1 沟通](../overview.md#stage-talk) |

</div>

## 目的 {#purpose}

了解客户 "需求" &amp; 目标,由财富经理负责

## 操作要点 {#actions}

1. 说明 \\`服务\\` 内容 &lt;i&gt;斜体&lt;/i&gt;
2. \\# 不是标题

## 执行的规则 {#rules}

- <span class="pb-rule" title="规则&#42;一&#42; \
&#38;lt&#59;b&#38;gt&#59;加粗&#38;lt&#59;&#47;b&#38;gt&#59;">\
[R-ONE 规则\\*一\\* &lt;b&gt;加粗&lt;/b&gt;](../rules.md#R-ONE)</span>：\
金额达到 100万元 的客户 \\[点我\\](http://evil.example) \\| 竖线 \
<span class="pb-prov pb-sourced" \
title="引自《测试课件》第二部分 四&#40;二&#41;：\
原文&#38;lt&#59;img src&#61;x onerror&#61;alert&#40;1&#41;&#38;gt&#59;">\
出处 第二部分 四(二)</span>

## 前后环节 {#neighbours}

| | 环节 | 条件 |
| --- | --- | --- |
| 上一步 | [开始](../flows/main.md#begin) | — |
| 下一步 | [客户是否同意?](decide.md) | — |
"""


def test_the_step_page_of_the_example_pack(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINI_PACK)
    pages = {p.src: p for p in render_site(analyse(pack).model)}
    assert pages["steps/talk_step.md"].markdown == GOLDEN_STEP
