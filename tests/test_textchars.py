"""``text.bad-character``: what may not appear in a policy file, reported where it is
(the example folder ``examples/invalid/bad-characters`` has one of each kind)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import textchars
from generator.load import load_pack


def found(text: str) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.message.split("U+")[1].split(" ")[0])
            for d in textchars.scan_text(text, "x.yaml")]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\u2028",
                                  "\u2029", "\u202a", "\u202e", "\u2066", "\u2069", "\ue000",
                                  "\uf8ff", "\U000f0000", "\U0010fffd", "\ud800"])
def test_each_kind_is_found_at_its_line_and_column(char: str) -> None:
    assert found(f"a: 1\nb: 前{char}后\n") == [(2, 5, f"{ord(char):04X}")]


@pytest.mark.parametrize("text", ["a: 1\r\nb: 2\r\n", "a: 制表\t符\n", "a: 中文、English、١٢٣\n",
                                  "a: \u200b零宽空格\n", "a: 😀 \U00020000\n"])
def test_ordinary_text_passes(text: str) -> None:
    assert found(text) == []


def test_a_lone_carriage_return_is_a_control_character() -> None:
    assert found("a: 1\rb: 2\n") == [(1, 5, "000D")]


def test_the_rest_of_the_file_is_still_checked(tmp_path: Path) -> None:
    """The YAML reader alone stops at a control character ("syntax error at 1:1")."""
    (tmp_path / "glossary.yaml").write_text(
        "kind: glossary\nprovenance: {drafted: 测试}\nterms:\n"
        "  - {id: a, term: 甲\x07, en: a, definition: 定义}\n"
        "  - {id: b, term: 乙, en: b, definition: 定义, unknown: 1}\n", encoding="utf-8")
    checks = [(d.check, d.line) for d in load_pack(tmp_path / "glossary.yaml").diagnostics]
    assert ("text.bad-character", 4) in checks
    assert any(check.startswith("schema.") and line == 5 for check, line in checks), checks
