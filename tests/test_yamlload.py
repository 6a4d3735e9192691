"""The strict YAML reader: YAML 1.2 core types, positions of every value, and every
unsafe or ambiguous construct reported as a diagnostic instead of an exception."""

from __future__ import annotations

import math
from typing import Any

import pytest

from generator.yamlload import MAX_DEPTH, Parsed, load_bytes, parse, resolve_plain


def data(text: str) -> Any:
    parsed = parse(text, "t.yaml")
    assert parsed.diagnostics == [], parsed.diagnostics
    return parsed.data


def checks(parsed: Parsed) -> list[tuple[str, int, int]]:
    return [(d.check, d.line, d.column) for d in parsed.diagnostics]


# --- scalars follow the YAML 1.2 core schema ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026-12-01", "2026-12-01"),  # PyYAML's default would make a date
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"),
        ("1.0.0", "1.0.0"), ("12:30", "12:30"), ("100万", "100万"), ("R-ELIG", "R-ELIG"),
        ("true", True), ("True", True), ("FALSE", False),
        ("null", None), ("~", None), ("", None),
        ("0", 0), ("-17", -17), ("+3", 3), ("0o17", 15), ("0x1F", 31), ("1000000", 1000000),
        ("1.0", 1.0), ("-.5", -0.5), ("1e3", 1000.0), (".inf", math.inf), ("-.Inf", -math.inf),
    ],
)  # fmt: skip
def test_plain_scalars_resolve_like_yaml_1_2_core(text: str, value: Any) -> None:
    resolved = resolve_plain(text)
    assert resolved == value and type(resolved) is type(value)
    assert data(f"v: {text}\n") == {"v": value}


def test_nan_is_a_float() -> None:
    assert math.isnan(data("v: .nan\n")["v"])


def test_quoted_scalars_are_always_text() -> None:
    assert data("a: 'true'\nb: \"1.0\"\nc: '2026-12-01'\nd: \"\"\n") == {
        "a": "true", "b": "1.0", "c": "2026-12-01", "d": ""}


def test_version_one_point_zero_is_a_number() -> None:
    """So that the schema can say 'quote it' instead of silently reading 1.0 as '1.0'."""
    assert data("version: 1.0\n") == {"version": 1.0}


def test_keys_that_are_not_text_are_refused() -> None:
    """``1:`` and ``01:`` are the same number: made into strings again they would be two
    keys, so a key YAML reads as a number, a boolean or null (or an empty key) is an
    error at the key, and its member is left out."""
    parsed = parse("1: a\n01: b\ntrue: c\n~: d\nnull: e\n1.5: f\n'1': g\n", "t.yaml")
    assert checks(parsed) == [("yaml.non-string-key", n, 1) for n in range(1, 7)]
    assert parsed.data == {"1": "g"}
    assert "数字" in parsed.diagnostics[0].message and '"1"' in parsed.diagnostics[0].hint
    assert "布尔值" in parsed.diagnostics[2].message
    assert "空值" in parsed.diagnostics[3].message


def test_an_empty_key_is_refused() -> None:
    parsed = parse("a: 1\n? \n: x\n", "t.yaml")
    assert [d.check for d in parsed.diagnostics] == ["yaml.non-string-key"]
    assert parsed.diagnostics[0].line == 2 and "空" in parsed.diagnostics[0].message
    assert parsed.data == {"a": 1}


def test_quoted_keys_that_look_like_numbers_are_text() -> None:
    assert data("'1': a\n\"true\": b\n") == {"1": "a", "true": "b"}


def test_block_scalars_keep_their_text() -> None:
    text = "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\n"
    assert data(text) == {"a": "line one\nline two\n", "b": "folded text"}


def test_a_utf8_bom_is_accepted() -> None:
    parsed = load_bytes("\ufeffkind: pack\n".encode(), "t.yaml")
    assert parsed.data == {"kind": "pack"} and parsed.diagnostics == []


def test_one_explicit_document_is_fine() -> None:
    assert data("---\nkind: flow\n...\n") == {"kind": "flow"}


# --- positions --------------------------------------------------------------------------------


def test_source_map_records_values_and_keys_one_based() -> None:
    parsed = parse("kind: flow\nsteps:\n  - id: a\n    next: b\n  - {id: b}\n", "t.yaml")
    src = parsed.source
    assert src.value("") == (1, 1)
    assert src.value("/kind") == (1, 7)
    assert src.key("/kind") == (1, 1)
    assert src.value("/steps/0/next") == (4, 11)
    assert src.key("/steps/0/next") == (4, 5)
    assert src.value("/steps/1") == (5, 5)
    assert src.value("/steps/1/id") == (5, 10)


def test_unknown_pointer_falls_back_to_nearest_ancestor() -> None:
    src = parse("a:\n  b: 1\n", "t.yaml").source
    assert src.value("/a/b/c/d") == (2, 6)
    assert src.value("/nothing") == (1, 1)
    assert src.key("/a/missing") == (2, 3)


def test_keys_with_slashes_and_tildes_are_escaped_in_pointers() -> None:
    src = parse("a/b: 1\nc~d: 2\n", "t.yaml").source
    assert src.value("/a~1b") == (1, 6)
    assert src.value("/c~0d") == (2, 6)


def test_placeholder_positions_inside_plain_and_block_text() -> None:
    text = "a: 达到 {{ x }} 和 {{ y }}\nb: >-\n  第一行\n  门槛 {{ z }}。\n"
    src = parse(text, "t.yaml").source
    assert src.braces["/a"] == [(1, 7), (1, 17)]
    assert src.braces["/b"] == [(4, 6)]
    assert "/a" in src.plain and "/b" not in src.plain


# --- what is refused ----------------------------------------------------------------------------


def test_duplicate_keys_are_reported_at_the_second_one_and_the_first_value_kept() -> None:
    parsed = parse("title: a\nowner: x\ntitle: b\n", "t.yaml")
    assert checks(parsed) == [("yaml.duplicate-key", 3, 1)]
    assert parsed.data == {"title": "a", "owner": "x"}
    assert "第 1 行" in parsed.diagnostics[0].message
    assert parsed.diagnostics[0].pointer == "/title"


def test_duplicate_keys_in_flow_style_name_the_column() -> None:
    parsed = parse("a: {x: 1, x: 2}\n", "t.yaml")
    assert checks(parsed) == [("yaml.duplicate-key", 1, 11)]
    assert "第 1 行第 5 列" in parsed.diagnostics[0].message


def test_tab_indentation_is_an_error_at_the_tab() -> None:
    parsed = parse("a:\n\tb: 1\n", "t.yaml")
    assert checks(parsed) == [("yaml.tab", 2, 1)]
    assert parsed.data is None


def test_a_tab_inside_a_quoted_value_is_fine() -> None:
    assert data('a: "x\ty"\n') == {"a": "x\ty"}


def test_non_utf8_bytes_are_reported_at_their_line_and_column() -> None:
    raw = "a: 中\nb: ".encode() + "第二".encode("gbk") + b"\n"
    parsed = load_bytes(raw, "t.yaml")
    assert checks(parsed) == [("yaml.encoding", 2, 4)]
    assert parsed.data is None


def test_utf16_is_named() -> None:
    parsed = load_bytes("a: 1\n".encode("utf-16"), "t.yaml")
    assert checks(parsed) == [("yaml.encoding", 1, 1)]
    assert "UTF-16" in parsed.diagnostics[0].message


def test_anchor_and_aliases_are_one_diagnostic_per_anchor() -> None:
    parsed = parse("a: &x {k: 1}\nb: *x\nc: *x\n", "t.yaml")
    assert checks(parsed) == [("yaml.alias", 1, 4)]
    assert "第 2、3 行" in parsed.diagnostics[0].message
    # The alias is not expanded: its value is a placeholder the schema stays silent about.
    assert parsed.data == {"a": {"k": 1}, "b": None, "c": None}
    assert parsed.source.is_suppressed("/b") and parsed.source.is_suppressed("/c")
    assert not parsed.source.is_suppressed("/a")


def test_an_alias_bomb_is_read_in_linear_time_and_not_expanded() -> None:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    parsed = parse("\n".join(lines) + "\n", "t.yaml")
    assert [d.check for d in parsed.diagnostics] == ["yaml.alias"] * 10
    assert parsed.data["a9"] == [None] * 10


def test_an_alias_to_an_undefined_anchor_is_reported() -> None:
    parsed = parse("a: *nowhere\n", "t.yaml")
    assert [d.check for d in parsed.diagnostics] == ["yaml.alias"]


def test_nesting_up_to_the_limit_is_fine_and_one_more_is_an_error() -> None:
    ok = parse("a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n", "t.yaml")
    assert ok.diagnostics == []
    deep = parse("a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n", "t.yaml")
    assert checks(deep) == [("yaml.too-deep", 1, 4 + MAX_DEPTH - 1)]
    assert deep.data is None


def test_very_deep_nesting_does_not_exhaust_the_stack() -> None:
    parsed = parse("[" * 100_000 + "]" * 100_000, "t.yaml")
    assert [d.check for d in parsed.diagnostics] == ["yaml.too-deep"]


def test_custom_tags_are_refused_and_nothing_is_executed() -> None:
    parsed = parse("a: !!python/object/apply:os.system ['echo hacked']\nb: !custom x\n", "t.yaml")
    assert checks(parsed) == [("yaml.tag", 1, 4), ("yaml.tag", 2, 4)]
    assert parsed.source.is_suppressed("/a") and parsed.source.is_suppressed("/b")


def test_every_tag_is_refused_even_the_core_ones() -> None:
    """A policy says what a value is by how it is written: quotes make text."""
    parsed = parse("a: !!str 12\nb: !!map {x: 1}\nc: !!seq [1]\nd: ! x\n", "t.yaml")
    assert checks(parsed) == [("yaml.tag", n, 4) for n in range(1, 5)]
    assert "“!!str”" in parsed.diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "lines"),
    [("%YAML 1.2\n---\na: 1\n", [1]),
     ("# 注释\n%TAG !e! tag:example.com,2000:\n%YAML 1.2\n---\na: 1\n", [2, 3])],
)
def test_directives_are_refused(text: str, lines: list[int]) -> None:
    parsed = parse(text, "t.yaml")
    assert checks(parsed) == [("yaml.directive", n, 1) for n in lines]
    assert parsed.data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "line", "column", "code"),
    [("kind: flow\ntitle: 开户\x00流程\n", 2, 10, "U+0000"),
     ("a: 1\nb: x\x07\n", 2, 5, "U+0007"),
     ("\x1b[31m: 1\n", 1, 1, "U+001B"),
     ("a: \ufffe\n", 1, 4, "U+FFFE")],
)
def test_a_control_character_is_reported_at_its_line_and_column(
        text: str, line: int, column: int, code: str) -> None:
    parsed = load_bytes(text.encode("utf-8"), "t.yaml")
    assert checks(parsed) == [("yaml.control-character", line, column)]
    message = parsed.diagnostics[0].message
    assert code in message and "position" not in message and "unacceptable" not in message


@pytest.mark.parametrize("text", ["null\n", "~\n", "Null # 注释\n"])
def test_a_file_that_is_only_null_is_not_called_empty(text: str) -> None:
    """It has a document, just not a mapping: the loader has nothing to say, and
    load_pack reports ``schema.not-a-mapping``."""
    parsed = parse(text, "t.yaml")
    assert parsed.diagnostics == [] and parsed.data is None


def test_complex_keys_are_refused() -> None:
    parsed = parse("? [a, b]\n: 1\nc: 2\n", "t.yaml")
    assert checks(parsed) == [("yaml.complex-key", 1, 3)]
    assert parsed.data == {"c": 2}


def test_a_second_document_is_refused() -> None:
    parsed = parse("a: 1\n---\nb: 2\n", "t.yaml")
    assert checks(parsed) == [("yaml.multiple-documents", 2, 1)]
    assert parsed.data == {"a": 1}


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n", "---\n...\n"])
def test_empty_files_are_reported(text: str) -> None:
    parsed = parse(text, "t.yaml")
    assert [d.check for d in parsed.diagnostics] == ["yaml.empty"]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: [1, 2\nb: 3\n", 1, 4, "方括号"),  # shown where the bracket opened
        ("a: {x: 1\nb: 2\n", 1, 4, "花括号"),
        ("a: 1\n b: 2\n", 2, 3, "键: 值"),
        ("a: 'open\nb: 2\n", 1, 4, "引号"),
        ("a: @x\n", 1, 4, "加引号"),
        ("key:value\nnext: 1\n", 1, 1, "冒号"),
        ("kind: flow\ntitle：开户\nid: x\n", 2, 1, "全角冒号"),
    ],
)
def test_syntax_errors_say_what_to_fix_where(text: str, line: int, column: int,
                                              words: str) -> None:
    parsed = parse(text, "t.yaml")
    assert checks(parsed) == [("yaml.syntax", line, column)]
    assert words in parsed.diagnostics[0].message
    assert parsed.diagnostics[0].hint


@pytest.mark.parametrize(
    "raw",
    [b"\x00", b"\xff\xfe\xfd", b"a: \x85\n", b"[", b"{", b"a: b: c", b"- - - -", b"%YAML 9.9\n",
     b"%TAG ! tag:x,2000:\n--- !a b", b"? ? ? a", b"&a [*a]", b"a: |\n\tb\n", b"\t", b":\n"],
)
def test_garbage_gives_diagnostics_not_exceptions(raw: bytes) -> None:
    parsed = load_bytes(raw, "t.yaml")
    for d in parsed.diagnostics:
        assert d.file == "t.yaml" and d.line >= 1 and d.column >= 1 and d.message and d.hint


def test_problems_inside_a_refused_key_point_at_the_enclosing_mapping() -> None:
    parsed = parse("a:\n  ? {x: 1, x: 2, y: &k [*k]}\n  : v\n", "t.yaml")
    assert sorted((d.check, d.pointer) for d in parsed.diagnostics) == [
        ("yaml.alias", "/a"), ("yaml.complex-key", "/a"), ("yaml.duplicate-key", "/a")]
    assert parsed.data == {"a": {}}
    assert all(not p.startswith("\0") for p in parsed.source.values)


def test_an_alias_used_as_a_key_is_refused() -> None:
    parsed = parse("a: &k x\n*k : 1\nb: 2\n", "t.yaml")
    assert [d.check for d in parsed.diagnostics] == ["yaml.alias"]
    assert parsed.data == {"a": "x", "b": 2}
