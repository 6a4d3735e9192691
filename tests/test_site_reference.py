"""The handbook's policy language reference (政策语言参考): generated from the schemas,
so the words on the page are the words editors show on hover.

The built pages are read back as HTML: one row per field, the field's path in the first
cell and its Chinese and English title in the second, the example as a YAML block.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from generator.schema import KINDS, SCHEMA_DIR
from generator.site.language import PATTERN_WORDS, Words, describe, location, shared_types
from generator.site.links import LANGUAGE_DIR
from generator.site.markup import fence

COMMON = SCHEMA_DIR / "common.schema.json"


def schema(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8"))
    return data


def all_titles(node: Any) -> Iterator[str]:
    """Every ``title`` written anywhere in a schema."""
    if isinstance(node, dict):
        if isinstance(node.get("title"), str):
            yield node["title"]
        for key, value in node.items():
            if key != "examples":
                yield from all_titles(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_titles(value)


def property_titles(node: Any) -> Iterator[str]:
    """The titles of the properties a schema file declares (not its alternatives')."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("if", "examples"):
                continue
            if key == "properties" and isinstance(value, dict):
                for sub in value.values():
                    if isinstance(sub.get("title"), str):
                        yield sub["title"]
            yield from property_titles(value)
    elif isinstance(node, list):
        for value in node:
            yield from property_titles(value)


def top_level_title(kind: str, name: str) -> str:
    """A top-level property's title as the schema gives it: its own, or (for a bare
    ``$ref``, i.e. ``$schema``) the title of the shared definition it names."""
    prop = schema(kind)["properties"][name]
    if "title" in prop:
        return str(prop["title"])
    _, _, pointer = prop["$ref"].partition("#/$defs/")
    return str(json.loads(COMMON.read_text("utf-8"))["$defs"][pointer]["title"])


# --- reading the built pages ------------------------------------------------------------


class _Tables(HTMLParser):
    """Table rows (each a list of cells, each cell a list of its lines: ``<br>`` separates
    them) and the text of ``<pre>`` blocks of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[list[str]]] = []
        self.blocks: list[str] = []
        self._cell: list[str] | None = None
        self._pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self._cell = [""]
            self.rows[-1].append(self._cell)
        elif tag == "br" and self._cell is not None:
            self._cell.append("")
        elif tag == "pre":
            self._pre = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "pre":
            self._pre = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[-1] += data
        if self._pre:
            self.blocks[-1] += data


def read(site: Path, src: str) -> _Tables:
    stem = src.removesuffix(".md").removesuffix("/index")
    parser = _Tables()
    parser.feed((site / stem / "index.html").read_text(encoding="utf-8"))
    return parser


def field_rows(page: _Tables) -> dict[str, list[list[str]]]:
    """YAML path → the rows for it (a path may have one row per alternative)."""
    found: dict[str, list[list[str]]] = {}
    for row in page.rows:
        cells = [" ".join(line.strip() for line in cell if line.strip()) for cell in row]
        if len(cells) >= 5 and cells[0] != "字段":
            found.setdefault(cells[0], []).append(cells)
    return found


@pytest.fixture(scope="module")
def site(pack_site: Path) -> Path:
    """The shipped pack's handbook (conftest: built once a session)."""
    return pack_site


# --- the built pages ------------------------------------------------------------------------


@pytest.mark.slow
def test_there_is_a_reference_page_for_every_kind_and_the_index_links_each(site: Path) -> None:
    index = (site / LANGUAGE_DIR / "index.html").read_text(encoding="utf-8")
    for kind in KINDS:
        assert (site / LANGUAGE_DIR / kind / "index.html").is_file(), kind
        assert f'href="{kind}/"' in index, kind
        assert f"<code>{kind}</code>" in index.replace("&#95;", "_")


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_page_lists_every_top_level_field_with_the_schemas_title(
        site: Path, kind: str) -> None:
    rows = field_rows(read(site, f"{LANGUAGE_DIR}/{kind}.md"))
    for name in schema(kind)["properties"]:
        assert name in rows, f"{kind}: no row for {name}"
        title = Words.title(top_level_title(kind, name))
        assert rows[name][0][1] == f"{title.zh} {title.en}", f"{kind}.{name}"


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_the_titles_shown_are_the_schemas_titles_and_none_is_missing(
        site: Path, kind: str) -> None:
    """One source of truth: every title on the page is written in the schemas, and every
    property title of the kind's schema is on the page."""
    rows = field_rows(read(site, f"{LANGUAGE_DIR}/{kind}.md"))
    written = {" ".join(filter(None, (Words.title(t).zh, Words.title(t).en)))
               for t in [*all_titles(schema(kind)),
                         *all_titles(json.loads(COMMON.read_text("utf-8")))]}
    shown = {row[1] for same_path in rows.values() for row in same_path}
    assert shown <= written, shown - written
    wanted = {" ".join((Words.title(t).zh, Words.title(t).en))
              for t in property_titles(schema(kind))}
    assert wanted <= shown, wanted - shown


@pytest.mark.slow
def test_nested_fields_are_listed_by_their_yaml_path(site: Path) -> None:
    flow = field_rows(read(site, f"{LANGUAGE_DIR}/flow.md"))
    assert flow["steps[].actor"][0][1] == "执行岗位 Actor"
    assert "type 为 decision 或 task 时必填" in flow["steps[].actor"][0][3]
    assert flow["steps[].outcomes[].next"][0][1] == "下一环节 Next step"
    assert flow["steps[].inputs[].form"][0][1] == "表单 Form"  # through common's io
    assert "start task decision end" in flow["steps[].type"][0][4]
    cases = field_rows(read(site, f"{LANGUAGE_DIR}/cases.md"))
    assert [r[1] for r in cases["cases[].expect"]] == [
        "预期输出 Expected outputs", "预期结果 Expected result", "预期路径 Expected path"]
    assert "仅用于「问卷案例」" in cases["cases[].expect.level"][0][3]
    decisions = field_rows(read(site, f"{LANGUAGE_DIR}/decision_table.md"))
    assert decisions["rows[].when.*.gte"][0][1] == "不小于 At least"
    assert decisions["rows[].when.*"][0][2:4] == ["数值区间或枚举取值", "—"]  # any key
    assert "「数值区间」" in decisions["rows[].when.*.gte"][0][3]


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_the_example_block_is_the_schemas_example(site: Path, kind: str) -> None:
    page = read(site, f"{LANGUAGE_DIR}/{kind}.md")
    assert len(page.blocks) == 1
    block = page.blocks[0]
    where, _ = location(kind)
    assert block.startswith(f"# yaml-language-server: $schema={'../' * (where.count('/') + 1)}"
                            f"schemas/{kind}.schema.json\n")
    assert yaml.safe_load(block) == schema(kind)["examples"][0]


@pytest.mark.slow
def test_the_index_describes_each_shared_type_once_and_fields_link_to_it(site: Path) -> None:
    index = (site / LANGUAGE_DIR / "index.html").read_text(encoding="utf-8")
    for shared in shared_types():
        assert f'id="type-{shared.name}"' in index
    rows = field_rows(read(site, LANGUAGE_DIR + "/index.md"))
    assert rows["sourced"][0][1] == "出处章节 Sourced from"
    assert "仅用于「引自来源文件」" in rows["sourced"][0][3]
    flow = (site / LANGUAGE_DIR / "flow" / "index.html").read_text(encoding="utf-8")
    assert 'href="../#type-provenance"' in flow and 'href="../#type-ref"' in flow


# --- the description, without mkdocs ------------------------------------------------------


def test_every_kind_is_described_in_the_order_of_kinds() -> None:
    docs = describe()
    assert [d.kind for d in docs] == list(KINDS)
    for doc in docs:
        assert doc.title.zh and doc.title.en and doc.description.zh and doc.description.en
        assert doc.fields and doc.example


def test_every_pattern_of_the_schemas_is_said_in_words() -> None:
    patterns = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in SCHEMA_DIR.glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    assert patterns and patterns <= set(PATTERN_WORDS), patterns - set(PATTERN_WORDS)
    limits = [lim for d in describe() for f in d.fields for lim in f.limits]
    assert not any(lim.startswith("格式 ") for lim in limits)


def test_files_live_where_the_loader_expects_them() -> None:
    assert location("flow") == ("flows/*.yaml", True)
    assert location("decision_table") == ("decisions/*.yaml", True)
    assert location("target_clients") == ("target-clients.yaml", False)
    assert location("pack") == ("pack.yaml", False)


@pytest.mark.parametrize(("text", "zh", "en"), [
    ("执行岗位 Actor", "执行岗位", "Actor"),
    ("存量客户数据挖掘 Mining existing-customer data", "存量客户数据挖掘",
     "Mining existing-customer data"),
    ("Only English", "Only English", ""),
])
def test_a_title_splits_into_its_chinese_and_english_halves(text: str, zh: str, en: str) -> None:
    assert Words.title(text) == Words(zh, en)


def test_a_yaml_block_cannot_be_closed_by_its_content() -> None:
    text = "a: \"```\"\nb: <script>x</script>\n"
    rendered = markdown.markdown(str(fence(text, "yaml")), extensions=["fenced_code"])
    assert rendered.count("<pre>") == 1 and "<script>" not in rendered
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == text.strip()
