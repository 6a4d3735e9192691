"""Characters that may not appear in a policy file: ``text.bad-character``.

Control characters (but tab and newline), the line and paragraph separators,
private-use characters, unpaired surrogates and the bidirectional embeddings,
overrides and isolates. Each is invisible or misleading in an editor and a pull
request (a bidirectional override shows text in another order than it is read:
"Trojan Source"), and breaks or disguises the handbook and the PDFs.

Two passes, both before the rest of the pipeline sees the file:

- :func:`scan_text` reads the file's text, comments and keys included, and reports
  each character at its line and column. :func:`sanitize` then replaces each with
  U+FFFD (one character for one: columns stay right), so the file still parses and
  its other problems are reported too, instead of one "syntax error at 1:1" from the
  YAML reader, or lines counted differently (YAML breaks lines at U+0085 and U+2028).
- :func:`scan_strings` reads the parsed strings: any bad character there came from an
  escape (``"\\u202e"``), which the text does not show; each is reported at its scalar.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from generator.diagnostics import Diagnostic

BAD = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"   # C0 (but tab, newline, CR) and C1 controls
    "\u2028\u2029"                           # line and paragraph separators
    "\u202a-\u202e\u2066-\u2069"             # bidirectional embeddings, overrides, isolates
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"  # private use
    "\ud800-\udfff]")                        # unpaired surrogates
LONE_CR = re.compile(r"\r(?!\n)")
"""A carriage return is part of a Windows line end; alone it is a control character."""


_NAMES = {0x85: "NEXT LINE (NEL)", 0x7F: "DELETE"}


def _describe(ch: str) -> tuple[str, str]:
    """(the character's name, a hint saying what to do)."""
    cp = ord(ch)
    name = unicodedata.name(ch, "") or _NAMES.get(cp, "")
    if 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069:
        return (name or "双向文字控制符",
                "双向文字控制符让文字显示的顺序与实际不同(编辑器和评审里看到的不是真实内容),"
                "请删去;中文和英文混排不需要它。")
    if cp in (0x2028, 0x2029):
        return (name, "行分隔符在编辑器里看不见,却会在网页和 PDF 中断行;"
                      "请删去,需要换行时直接换行。")
    if 0xD800 <= cp <= 0xDFFF:
        return ("不成对的代理项", "这不是合法的字符,多由错误的 \\u 转义产生;请改写为字符本身。")
    if cp >= 0xE000 and unicodedata.category(ch) == "Co":
        return ("私用区字符",
                "私用区字符在别的电脑上显示为方框或乱码(常见于从 Word 或特殊字体复制的符号);"
                "请换成标准字符。")
    return (name or "控制字符",
            "控制字符看不见,常由从其他软件复制带入;请删去。需要换行时直接换行,"
            "需要空格时用普通空格。")


def _diagnostic(ch: str, file: str, line: int, column: int, pointer: str, *,
                escaped: bool = False) -> Diagnostic:
    name, hint = _describe(ch)
    how = "(由转义序列写成)" if escaped else ""
    return Diagnostic(
        "text.bad-character",
        f"政策文件中有不允许的字符 U+{ord(ch):04X} {name}{how}。",
        file, line, column, pointer, hint=hint)


def _bad(text: str) -> Iterator[re.Match[str]]:
    matches = [*BAD.finditer(text), *LONE_CR.finditer(text)]
    return iter(sorted(matches, key=lambda m: m.start()))


def scan_text(text: str, file: str,
              positions: dict[str, tuple[int, int]] | None = None) -> Iterator[Diagnostic]:
    """Every bad character in the file's text, at its line and column (counted in
    characters, lines ending at ``\\n``). ``positions`` (pointer → where its key or
    value starts) name the YAML path of each: the last one that starts before it."""
    starts = sorted(((at, pointer) for pointer, at in (positions or {}).items()),
                    key=lambda item: item[0])
    for m in _bad(text):
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        pointer = ""
        in_comment = text[text.rfind("\n", 0, m.start()) + 1:m.start()].lstrip().startswith("#")
        for at, candidate in starts if not in_comment else ():
            if at > (line, column):
                break
            pointer = candidate
        yield _diagnostic(m.group(0), file, line, column, pointer)


def sanitize(text: str) -> str:
    """``text`` with every bad character replaced by U+FFFD (see the module's text)."""
    return LONE_CR.sub("\ufffd", BAD.sub("\ufffd", text))


def scan_strings(strings: Iterable[tuple[str, str]], file: str,
                 at: dict[str, tuple[int, int]]) -> Iterator[Diagnostic]:
    """Bad characters in the parsed strings (pointer, value) of a sanitized text: an
    escape produced each. Reported at its scalar (``at``: pointer → line, column)."""
    for pointer, value in strings:
        for m in _bad(value):
            line, column = at.get(pointer, (1, 1))
            yield _diagnostic(m.group(0), file, line, column, pointer, escaped=True)
