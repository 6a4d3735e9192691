"""A character no font can draw: where it is in the policies and what to do about it.

WeasyPrint draws a box (``.notdef``) for a character none of the fonts has and only
logs a warning; :class:`~generator.printables.fonts.NotdefGuard` turns the warnings
of one document into :class:`MissingGlyphs` in the worker that rendered it. The
main process, which has the model, then names each character with its code point
and every policy text that holds it, at its file:line:col (:func:`explain`), and
says what to do: replace the character, or add a font that has it (install the CJK
font only when the character is one it covers and the font is missing).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.errors import BuildError
from generator.model import Model

INSTALL_HINT = (
    "请安装中文字体后重新生成:apt-get install --no-install-recommends fonts-noto-cjk"
    "(或运行 make setup)。"
)
MAX_PLACES = 8
"""Occurrences named per character; the rest are counted."""


def is_cjk(char: str) -> bool:
    """Whether the CJK font (Noto Sans CJK) draws ``char``: the BMP's CJK blocks, where
    a box means the font is missing, not the character rare."""
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFE30 <= code <= 0xFE4F
            or 0xFF00 <= code <= 0xFFEF)


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def describe(char: str) -> str:
    """``“💰”(U+1F4B0 MONEY BAG)``."""
    name = unicodedata.name(char, "")
    return f"“{char}”({code_point(char)}{' ' + name if name else ''})"


def advice(chars: tuple[str, ...]) -> str:
    """Install the CJK font for what it covers; for any other character, replace it
    or add a font that has it."""
    hints = [INSTALL_HINT] if any(is_cjk(c) for c in chars) else []
    rare = [c for c in chars if not is_cjk(c)]
    if rare:
        query = f"fc-list ':charset={ord(rare[0]):x}' family"
        hints.append("请把它换成常用字符(或删去),或为 PDF 增加一种含此字符的字体"
                     f"(`{query}` 列出已安装且含“{rare[0]}”的字体)。")
    return "".join(hints)


class MissingGlyphs(BuildError):
    """Characters of one document that no font has (raised in a worker process, so it
    pickles with its fields)."""

    def __init__(self, document: str, chars: tuple[str, ...], count: int) -> None:
        self.document = document
        self.chars = chars
        self.count = count
        shown = "、".join(describe(c) for c in chars[:10])
        super().__init__(f"{document}:{count} 处字符没有字体字形,会印成方框:{shown}。"
                         f"{advice(chars)}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.document, self.chars, self.count))


@dataclass(frozen=True, slots=True)
class Place:
    file: str
    line: int
    column: int
    pointer: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def _strings(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield pointer, data
    elif isinstance(data, dict):
        for key, value in data.items():
            step = str(key).replace("~", "~0").replace("/", "~1")
            yield from _strings(value, f"{pointer}/{step}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{pointer}/{index}")


def _offset(end: tuple[int, int] | None, line: int, column: int, text: str,
            index: int) -> int:
    """How many columns after the scalar's start the character at ``index`` stands,
    when the scalar is on one line as written (plain, or quoted without escapes:
    columns count characters); else 0 (the text's start)."""
    if end is None or end[0] != line:
        return 0
    width = end[1] - column
    if width == len(text):
        return index
    if width == len(text) + 2:  # '…' or "…"
        return index + 1
    return 0


def places(model: Model, char: str) -> list[Place]:
    """Every policy text of ``model`` that holds ``char``: at the character itself when
    the text is written on one line as it reads, else where the text starts."""
    found = []
    for file, document in sorted(model.documents.items()):
        for pointer, text in _strings(document.data):
            index = text.find(char)
            if index < 0:
                continue
            line, column = document.at(pointer)
            column += _offset(document.source.ends.get(pointer), line, column, text, index)
            found.append(Place(file, line, column, pointer))
    return found


def explain(error: MissingGlyphs, model: Model) -> BuildError:
    """``error`` with each character's places in the policies and what to do."""
    lines = [f"{error.document}:{error.count} 处字符没有字体字形,不生成会印成方框的 PDF"
             "(之前生成的文件保持不变)。"]
    for char in error.chars:
        found = places(model, char)
        what = f"字符 {describe(char)} 没有任何字体含有它的字形"
        if not found:
            lines.append(f"{what};它不在政策文本中(来自打印模板)。")
            continue
        for place in found[:MAX_PLACES]:
            lines.append(f"{place}: {what}(在 {place.pointer or '/'})。")
        if len(found) > MAX_PLACES:
            lines.append(f"…… 另有 {len(found) - MAX_PLACES} 处含有 “{char}”。")
    lines.append(advice(error.chars))
    return BuildError("\n".join(lines))
