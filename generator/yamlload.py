"""Strict, safe YAML reading that remembers where every value came from.

PyYAML's loaders accept duplicate keys (the last wins), resolve ``yes`` to
``True`` and ``2026-12-01`` to a ``date``, expand aliases without limit and
recurse without limit. Policies need the opposite, so this module builds plain
JSON-like values straight from libyaml's event stream:

* scalars are resolved with the YAML 1.2 core schema: only null, booleans,
  integers and floats are implicit; dates and everything else stay strings, so
  the JSON Schema sees what the author wrote;
* duplicate keys, anchors/aliases, custom tags, non-string keys, several
  documents in one file, nesting deeper than ``MAX_DEPTH``, tabs and bytes that
  are not UTF-8 are diagnostics at their line and column, never exceptions;
* every value's and every key's position is recorded in a :class:`SourceMap`
  keyed by JSON pointer, so later stages can point at the exact line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from generator.diagnostics import Diagnostic, escape_token

try:  # libyaml is ~3x faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 32
"""Policies nest five or six levels; anything far deeper is a mistake or an attack."""

_CORE_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}  # fmt: skip


@dataclass(slots=True)
class SourceMap:
    """JSON pointer → (line, column), 1-based, for values and for mapping keys."""

    values: dict[str, tuple[int, int]] = field(default_factory=dict)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Plain one-line scalars can be pointed into (e.g. at a ``{{ name }}``).
    plain: set[str] = field(default_factory=set)
    # Where each ``{{`` of a scalar stands in the file, in order, for scalars that have one.
    braces: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # Every text value with a brace in it (pointer → text), so the placeholder check need
    # not walk every string of every document; None when the map was not built by parse().
    curly: dict[str, str] | None = None
    # Values that stand in for something the loader refused (an alias, a tagged node):
    # a schema complaint about them would only repeat the loader's diagnostic.
    suppressed: set[str] = field(default_factory=set)

    def is_suppressed(self, pointer: str) -> bool:
        """Whether ``pointer`` is, or is inside, a value the loader already reported."""
        if not self.suppressed:
            return False
        return any(pointer == s or pointer.startswith(s + "/") for s in self.suppressed)

    def value(self, pointer: str) -> tuple[int, int]:
        """Position of the value at ``pointer`` or of its nearest ancestor."""
        while True:
            pos = self.values.get(pointer)
            if pos is not None:
                return pos
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]

    def key(self, pointer: str) -> tuple[int, int]:
        """Position of the key of the member at ``pointer`` (falls back to the value)."""
        return self.keys.get(pointer) or self.value(pointer)


@dataclass(slots=True)
class Parsed:
    file: str
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar."""
    if value in _NULLS:
        return None
    first = value[0]
    if first in "tTfF":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        return value
    if first in "0123456789+-.":
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        if value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
        if _INT_OCT.match(value):
            return int(value[2:], 8)
        if _INT_HEX.match(value):
            return int(value[2:], 16)
    return value


def decode(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 only (a BOM is allowed): anything else is a diagnostic at the bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Diagnostic(
            "yaml.encoding", "文件是 UTF-16 编码;政策文件须为 UTF-8 编码。", file,
            hint="在编辑器中把文件另存为 UTF-8(无 BOM)编码。")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        bad = raw[exc.start : exc.start + 4].hex(" ")
        return None, Diagnostic(
            "yaml.encoding",
            f"文件不是 UTF-8 编码:第 {line} 行第 {column} 列出现无法识别的字节({bad})。",
            file,
            line,
            column,
            hint="请用 UTF-8 编码保存文件"
            "(GBK/GB2312 编码的文件需先转换,例如 `iconv -f GBK -t UTF-8`)。",
        )


class _Frame:
    __slots__ = ("container", "is_map", "key", "pointer")

    def __init__(self, container: Any, pointer: str) -> None:
        self.container = container
        self.pointer = pointer
        self.is_map = isinstance(container, dict)
        self.key: str | None = None


class _Anchors:
    """Anchors and aliases, reported once per name at the anchor (not once per use:
    an alias bomb uses each of a handful of anchors many times)."""

    def __init__(self) -> None:
        self.defined: dict[str, tuple[int, int, str]] = {}
        self.uses: dict[str, list[int]] = {}
        self.first_use: dict[str, tuple[int, int, str]] = {}

    def anchor(self, name: str, line: int, col: int, pointer: str) -> None:
        self.defined.setdefault(name, (line, col, pointer))

    def alias(self, name: str, line: int, col: int, pointer: str) -> None:
        self.uses.setdefault(name, []).append(line)
        self.first_use.setdefault(name, (line, col, pointer))

    def diagnostics(self, file: str) -> Iterator[Diagnostic]:
        hint = ("锚点和别名会让同一内容出现在多处,改一处时另一处悄悄跟着变;"
                "请把内容直接写出来,需要共用的数值请定义为参数。")
        for name, (line, col, pointer) in self.defined.items():
            uses = sorted(set(self.uses.get(name, [])))
            where = ""
            if uses:
                shown = "、".join(str(u) for u in uses[:5]) + ("…" if len(uses) > 5 else "")
                where = f",第 {shown} 行用别名 *{name} 引用了它"
            yield Diagnostic("yaml.alias", f"不允许使用 YAML 锚点 &{name}{where}。",
                             file, line, col, pointer, hint=hint)
        for name, (line, col, pointer) in self.first_use.items():
            if name not in self.defined:
                yield Diagnostic("yaml.alias", f"不允许使用 YAML 别名 *{name}。",
                                 file, line, col, pointer, hint=hint)


def parse(text: str, file: str) -> Parsed:
    """Parse one YAML document; never raises on bad input."""
    curly: dict[str, str] = {}
    source = SourceMap(curly=curly)
    diags: list[Diagnostic] = []
    anchors = _Anchors()
    root: list[Any] = []
    stack: list[_Frame] = []
    documents = 0

    def pos(mark: Any) -> tuple[int, int]:
        return (mark.line + 1, mark.column + 1)

    def here() -> str:
        """Pointer of the innermost container that is part of the data (values inside a
        dropped container, such as a mapping used as a key, have no pointer of their own)."""
        for frame in reversed(stack):
            if not frame.pointer.startswith("\0"):
                return frame.pointer
        return ""

    def add(value: Any, event: Any, *, scalar: bool) -> str | None:
        """Attach ``value`` to the current container; return its pointer (None if dropped)."""
        if not stack:
            root.append(value)
            source.values[""] = pos(event.start_mark)
            return ""
        top = stack[-1]
        if top.is_map:
            if top.key is None:  # this node is a key
                if not scalar:
                    line, col = pos(event.start_mark)
                    diags.append(Diagnostic(
                        "yaml.complex-key", "映射的键必须是简单文字,不能是列表或映射。",
                        file, line, col, here(),
                        hint="把键改为一个简单的名称,例如 `title:`。"))
                    top.key = "\0invalid"
                    return None
                if type(event) is ev.AliasEvent:  # reported with its anchor
                    top.key = "\0alias"
                    return None
                key = value if isinstance(value, str) else event.value
                pointer = f"{top.pointer}/{escape_token(key)}"
                if key in top.container:
                    line, col = pos(event.start_mark)
                    first_line, first_col = source.keys.get(pointer, (0, 0))
                    first = (f"第 {first_line} 行第 {first_col} 列" if first_line == line
                             else f"第 {first_line} 行")
                    diags.append(Diagnostic(
                        "yaml.duplicate-key",
                        f"键 “{key}” 重复出现(第一次在{first});YAML 会悄悄丢弃其中一个值。",
                        file, line, col, here() if pointer.startswith("\0") else pointer,
                        hint=f"删除或合并这两处 “{key}”,只保留一个。"))
                    top.key = "\0duplicate"
                    return None
                source.keys[pointer] = pos(event.start_mark)
                top.key = key
                return None
            key = top.key
            top.key = None
            if key.startswith("\0"):
                return None
            pointer = f"{top.pointer}/{escape_token(key)}"
            top.container[key] = value
        else:
            pointer = f"{top.pointer}/{len(top.container)}"
            top.container.append(value)
        if pointer.startswith("\0"):
            return None  # inside a dropped container: nothing to point at
        source.values[pointer] = pos(event.start_mark)
        return pointer

    def bad_tag(event: Any, pointer: str | None) -> None:
        line, col = pos(event.start_mark)
        diags.append(Diagnostic(
            "yaml.tag", f"不支持 YAML 标签 “{event.tag}”。", file, line, col,
            pointer if pointer is not None else here(),
            hint="删除标签(以 ! 开头的部分);需要文字时请给值加引号。"))
        if pointer is not None:
            source.suppressed.add(pointer)

    def finish(data: Any) -> Parsed:
        diags.extend(anchors.diagnostics(file))
        return Parsed(file, data, source, diags)

    try:
        events: Iterator[Any] = yaml.parse(text, Loader=_Loader)
        for event in events:
            kind = type(event)
            if kind is ev.ScalarEvent:
                if not event.style and event.implicit[0] and event.tag is None:
                    value: Any = resolve_plain(event.value)
                else:
                    value = event.value
                pointer = add(value, event, scalar=True)
                if event.anchor is not None:
                    anchors.anchor(event.anchor, *pos(event.start_mark),
                                   pointer if pointer is not None else here())
                if event.tag not in _CORE_TAGS:
                    bad_tag(event, pointer)
                if (pointer is not None and isinstance(value, str)
                        and ("{" in value or "}" in value)):
                    curly[pointer] = value
                    if not event.style and event.start_mark.line == event.end_mark.line:
                        source.plain.add(pointer)
                    _record_braces(text, event, pointer, source)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    line, col = pos(event.start_mark)
                    diags.append(Diagnostic(
                        "yaml.too-deep", f"嵌套超过 {MAX_DEPTH} 层,文件无法作为政策读取。",
                        file, line, col, stack[-1].pointer,
                        hint="政策文件通常只有五六层嵌套;请检查缩进或括号是否配对。"))
                    return finish(None)
                container: Any = {} if kind is ev.MappingStartEvent else []
                pointer = add(container, event, scalar=False)
                if event.anchor is not None:
                    anchors.anchor(event.anchor, *pos(event.start_mark),
                                   pointer if pointer is not None else here())
                if event.tag not in _CORE_TAGS:
                    bad_tag(event, pointer)
                stack.append(_Frame(container, pointer if pointer is not None else "\0"))
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                stack.pop()
            elif kind is ev.AliasEvent:
                pointer = add(None, event, scalar=True)
                anchors.alias(event.anchor, *pos(event.start_mark),
                              pointer if pointer is not None else here())
                if pointer is not None:
                    source.suppressed.add(pointer)
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    line, col = pos(event.start_mark)
                    diags.append(Diagnostic(
                        "yaml.multiple-documents", "一个文件只能包含一个 YAML 文档。",
                        file, line, col,
                        hint="把 `---` 之后的内容移到单独的文件中。"))
                    break
    except yaml.MarkedYAMLError as exc:
        diags.append(_syntax_diagnostic(exc, file, text))
        return finish(None)
    except yaml.YAMLError as exc:  # errors without a position (rare)
        diags.append(Diagnostic("yaml.syntax", f"YAML 语法错误:{exc}", file,
                                hint="检查文件的缩进、冒号、引号和括号。"))
        return finish(None)

    data = root[0] if root else None
    if data is None and not diags:
        diags.append(Diagnostic(
            "yaml.empty", "文件是空的(没有任何内容,或只有注释)。", file,
            hint="写入政策内容,或删除这个文件。"))
    return finish(data)


def _record_braces(text: str, event: Any, pointer: str, source: SourceMap) -> None:
    """Remember the line and column of every ``{{`` in the scalar's own text, so a
    diagnostic about a placeholder can point at it even inside a block of text."""
    start, end = event.start_mark.index, event.end_mark.index
    raw = text[start:end]
    found = raw.find("{{")
    if found < 0:
        return
    line, col = event.start_mark.line + 1, event.start_mark.column + 1
    done = 0
    places: list[tuple[int, int]] = []
    while found >= 0:
        segment = raw[done:found]
        newlines = segment.count("\n")
        if newlines:
            line += newlines
            col = found - raw.rfind("\n", 0, found)
        else:
            col += found - done
        places.append((line, col))
        done = found
        found = raw.find("{{", found + 2)
    source.braces[pointer] = places


# libyaml's problems, said so that a policy owner knows what to change.
_PROBLEMS = {
    "mapping values are not allowed":
        "这里不能出现“键: 值”:通常是缩进不对,或者文字中的冒号需要加引号",
    "could not find expected ':'": "这一行既不是“键: 值”也不是列表项:冒号后面要有一个空格",
    "did not find expected ',' or ']'": "方括号 [ 没有配对的 ]",
    "did not find expected ',' or '}'": "花括号 { 没有配对的 }",
    "found unexpected end of stream": "引号或括号一直到文件末尾都没有闭合",
    "did not find expected key": "缩进与上面同级的键没有对齐",
    "did not find expected '-' indicator": "列表项的缩进没有对齐",
    "found character that cannot start any token":
        "出现了不能作为值开头的字符(如 @、` 或 %),请给值加引号",
    "found undefined tag handle": "使用了未定义的 YAML 标签",
    "found unknown escape character": "双引号中的反斜杠 \\ 后是无效的转义字符;请改用单引号",
    "expected <block end>, but found": "缩进不一致:这一行与同级的内容没有对齐",
}
_NO_SPACE_KEY = re.compile(r"\s*(- )?[^\s#'\"\[{][^:#：]*(:[^\s:]|：)")
# Problems best shown where the unfinished construct began, not where libyaml gave up.
_START_CONTEXTS = ("flow sequence", "flow mapping", "quoted scalar", "simple key")


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, file: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    context = exc.context or ""
    if exc.context_mark is not None and any(c in context for c in _START_CONTEXTS):
        mark = exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "无法解析"
    lines = text.splitlines()
    this_line = lines[line - 1] if 0 < line <= len(lines) else ""
    problem_line = exc.problem_mark.line + 1 if exc.problem_mark is not None else line
    bad_line = lines[problem_line - 1] if 0 < problem_line <= len(lines) else ""
    if "\t" in problem or "\t" in this_line[: max(col, 1)] or (
        "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]
    ):
        tab_line = line if "\t" in this_line else problem_line
        shown = lines[tab_line - 1] if 0 < tab_line <= len(lines) else ""
        tab_col = shown.find("\t") + 1 if "\t" in shown else col
        return Diagnostic(
            "yaml.tab", "缩进中使用了制表符(Tab);YAML 只允许用空格缩进。",
            file, tab_line, tab_col,
            hint="把制表符替换为空格(每级两个空格),并在编辑器中开启“用空格代替 Tab”。")
    if "maximum nesting depth" in problem:
        return Diagnostic(
            "yaml.too-deep", f"嵌套太深(超过 {MAX_DEPTH} 层),文件无法作为政策读取。",
            file, line, col,
            hint="政策文件通常只有五六层嵌套;请检查缩进或括号是否配对。")
    if problem.startswith("mapping values are not allowed") and problem_line == line:
        # `key:value` (no space) or `key：value` (full-width colon) on the line above makes
        # that line plain text, and libyaml only notices at the next key.
        above = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip()), 0)
        if above and _NO_SPACE_KEY.match(lines[above - 1]):
            line, col = above, len(lines[above - 1]) - len(lines[above - 1].lstrip()) + 1
            this_line = lines[above - 1]
            problem = "could not find expected ':'"
    said = next((v for k, v in _PROBLEMS.items() if problem.startswith(k)), "")
    if said and "：" in this_line:
        said += "(全角冒号“：”要改为半角冒号加空格“: ”)"
    english = problem + (f"({context})" if context else "")
    where = f"(问题出现在第 {problem_line} 行)" if problem_line != line else ""
    message = (f"YAML 语法错误:{said}{where}。[{english}]" if said
               else f"YAML 语法错误:{english}{where}。")
    return Diagnostic(
        "yaml.syntax", message, file, line, col,
        hint="检查这一行及上一行的缩进、冒号后的空格、引号和括号是否配对。")


def load_bytes(raw: bytes, file: str) -> Parsed:
    text, problem = decode(raw, file)
    if text is None:
        assert problem is not None
        return Parsed(file, None, SourceMap(), [problem])
    return parse(text, file)
