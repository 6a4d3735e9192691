"""Plain JSON-like values built straight from libyaml's event stream.

A :class:`_Builder` receives the events one by one: each node is attached to the
container it is in, keyed by its JSON pointer in the :class:`SourceMap`; what a
policy may not contain (duplicate and complex keys, tags, anchors, a second
document, nesting deeper than ``MAX_DEPTH``) becomes a diagnostic, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml import events as ev

from generator.diagnostics import Diagnostic, escape_token
from generator.yamlload.problems import (
    MAX_DEPTH,
    Anchors,
    control_character_diagnostic,
    directive_diagnostics,
    syntax_diagnostic,
)
from generator.yamlload.scalars import CORE_TAGS, resolve_plain
from generator.yamlload.sourcemap import Parsed, SourceMap

try:  # libyaml is ~3x faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def parse(text: str, file: str) -> Parsed:
    """Parse one YAML document; never raises on bad input."""
    build = _Builder(text, file)
    scalar = build.scalar  # most events are scalars
    try:
        events: Iterator[Any] = yaml.parse(text, Loader=_Loader)
        for event in events:
            kind = type(event)
            if kind is ev.ScalarEvent:
                scalar(event)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                if not build.start(event, {} if kind is ev.MappingStartEvent else []):
                    return build.finish(None)  # too deep to read as a policy
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                build.end(event)
            elif kind is ev.AliasEvent:
                build.alias(event)
            elif kind is ev.DocumentStartEvent and not build.document(event):
                break  # a second document: the first is all there is
    except yaml.MarkedYAMLError as exc:
        build.diags.append(syntax_diagnostic(exc, file, text))
        return build.finish(None)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, …)
        build.diags.append(control_character_diagnostic(exc.character, file, text))
        return build.finish(None)
    except yaml.YAMLError as exc:  # errors without a position (rare)
        build.diags.append(Diagnostic("yaml.syntax", f"YAML 语法错误:{exc}", file,
                                      hint="检查文件的缩进、冒号、引号和括号。"))
        return build.finish(None)
    return build.result()


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Frame:
    __slots__ = ("container", "flow", "is_map", "key", "pointer")

    def __init__(self, container: Any, pointer: str, flow: bool) -> None:
        self.container = container
        self.pointer = pointer
        self.is_map = isinstance(container, dict)
        self.key: str | None = None
        self.flow = flow
        """Written in brackets (``[a, b]``, ``{a: 1}``): it ends at its closing bracket."""


class _Builder:
    """The document being built: the open containers, where everything is, what is wrong."""

    __slots__ = ("anchors", "curly", "diags", "documents", "file", "last_end", "root",
                 "root_text", "source", "stack", "text")

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.curly: dict[str, str] = {}
        self.source = SourceMap(curly=self.curly)
        self.diags: list[Diagnostic] = []
        self.anchors = Anchors()
        self.root: list[Any] = []
        self.root_text = ""
        """The text of a document that is one scalar (``null`` is not an empty file)."""
        self.stack: list[_Frame] = []
        self.documents = 0
        self.last_end = (1, 1)
        """Where the node read last ends (a block collection ends where its last node does)."""

    # --- one method per kind of event ----------------------------------------------------

    def scalar(self, event: Any) -> None:
        if not event.style and event.implicit[0] and event.tag is None:
            value: Any = resolve_plain(event.value)
        else:
            value = event.value
        pointer = self.add(value, event, True)
        if event.anchor is not None or event.tag not in CORE_TAGS:
            self.node_properties(event, pointer)
        if pointer is not None and isinstance(value, str) and ("{" in value or "}" in value):
            self.curly[pointer] = value
            if not event.style and event.start_mark.line == event.end_mark.line:
                self.source.plain.add(pointer)
            _record_braces(self.text, event, pointer, self.source)

    def start(self, event: Any, container: dict[str, Any] | list[Any]) -> bool:
        """A mapping or sequence begins; False when it is nested too deep to read."""
        if len(self.stack) >= MAX_DEPTH:
            line, col = _pos(event.start_mark)
            self.diags.append(Diagnostic(
                "yaml.too-deep", f"嵌套超过 {MAX_DEPTH} 层,文件无法作为政策读取。",
                self.file, line, col, self.stack[-1].pointer,
                hint="政策文件通常只有五六层嵌套;请检查缩进或括号是否配对。"))
            return False
        pointer = self.add(container, event, False)
        self.node_properties(event, pointer)
        self.stack.append(_Frame(container, pointer if pointer is not None else "\0",
                                 bool(event.flow_style)))
        return True

    def end(self, event: Any) -> None:
        """A mapping or sequence ends: a flow one at its bracket, a block one where its
        last node does (its end mark is the next token, after any comments)."""
        frame = self.stack.pop()
        if frame.flow:
            self.last_end = _pos(event.end_mark)
        if not frame.pointer.startswith("\0"):
            self.source.ends[frame.pointer] = self.last_end

    def alias(self, event: Any) -> None:
        pointer = self.add(None, event, True)
        self.anchors.alias(event.anchor, *_pos(event.start_mark),
                           pointer if pointer is not None else self.here())
        if pointer is not None:
            self.source.suppressed.add(pointer)

    def document(self, event: Any) -> bool:
        """A document begins; False (and a diagnostic) for the second one."""
        self.documents += 1
        if self.documents == 1 and (event.version is not None or event.tags):
            self.diags.extend(directive_diagnostics(self.text, self.file, _pos(event.start_mark)))
        if self.documents > 1:
            line, col = _pos(event.start_mark)
            self.diags.append(Diagnostic(
                "yaml.multiple-documents", "一个文件只能包含一个 YAML 文档。",
                self.file, line, col,
                hint="把 `---` 之后的内容移到单独的文件中。"))
            return False
        return True

    # --- placing nodes ------------------------------------------------------------------

    def here(self) -> str:
        """Pointer of the innermost container that is part of the data (values inside a
        dropped container, such as a mapping used as a key, have no pointer of their own)."""
        for frame in reversed(self.stack):
            if not frame.pointer.startswith("\0"):
                return frame.pointer
        return ""

    def add(self, value: Any, event: Any, scalar: bool) -> str | None:
        """Attach ``value`` (a scalar or alias when ``scalar``) to the current container;
        return its pointer (None if dropped)."""
        if scalar:
            self.last_end = self.scalar_end(event)
        if not self.stack:
            self.root.append(value)
            if scalar and type(event) is ev.ScalarEvent:
                self.root_text = event.value
            self.source.values[""] = _pos(event.start_mark)
            if scalar:
                self.source.ends[""] = self.last_end
            return ""
        top = self.stack[-1]
        if top.is_map:
            if top.key is None:  # this node is a key
                self.key(top, value, event, scalar=scalar)
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
        self.source.values[pointer] = _pos(event.start_mark)
        if scalar:
            self.source.ends[pointer] = self.last_end
        return pointer

    def scalar_end(self, event: Any) -> tuple[int, int]:
        """Just after a scalar's (or alias's) last character. A block scalar's end mark
        is past its trailing line breaks (where the next key starts): back up to its text."""
        mark: Any = event.end_mark
        begin: Any = event.start_mark
        if type(event) is not ev.ScalarEvent or event.style not in ("|", ">"):
            return (mark.line + 1, mark.column + 1)
        text, start, stop = self.text, begin.index, mark.index
        last = start + len(text[start:stop].rstrip())
        return (mark.line + 1 - text.count("\n", last, stop),
                last - text.rfind("\n", 0, last))

    def key(self, top: _Frame, value: Any, event: Any, *, scalar: bool) -> None:
        """``value`` is the key of the next member of ``top``: remember it, or drop the
        member (``top.key`` starting with NUL) when the key is not one a policy may have."""
        if not scalar:
            line, col = _pos(event.start_mark)
            self.diags.append(Diagnostic(
                "yaml.complex-key", "映射的键必须是简单文字,不能是列表或映射。",
                self.file, line, col, self.here(),
                hint="把键改为一个简单的名称,例如 `title:`。"))
            top.key = "\0invalid"
            return
        if type(event) is ev.AliasEvent:  # reported with its anchor
            top.key = "\0alias"
            return
        if not isinstance(value, str):
            line, col = _pos(event.start_mark)
            self.diags.append(_non_string_key(value, event.value, self.file, line, col,
                                              self.here()))
            top.key = "\0non-string"
            return
        key = value
        pointer = f"{top.pointer}/{escape_token(key)}"
        if key in top.container:
            line, col = _pos(event.start_mark)
            first_line, first_col = self.source.keys.get(pointer, (0, 0))
            first = (f"第 {first_line} 行第 {first_col} 列" if first_line == line
                     else f"第 {first_line} 行")
            self.diags.append(Diagnostic(
                "yaml.duplicate-key",
                f"键 “{key}” 重复出现(第一次在{first});YAML 会悄悄丢弃其中一个值。",
                self.file, line, col, self.here() if pointer.startswith("\0") else pointer,
                hint=f"删除或合并这两处 “{key}”,只保留一个。"))
            top.key = "\0duplicate"
            return
        self.source.keys[pointer] = _pos(event.start_mark)
        top.key = key

    def node_properties(self, event: Any, pointer: str | None) -> None:
        """A node's anchor and tag: neither is allowed in a policy."""
        if event.anchor is not None:
            self.anchors.anchor(event.anchor, *_pos(event.start_mark),
                                pointer if pointer is not None else self.here())
        if event.tag not in CORE_TAGS:
            line, col = _pos(event.start_mark)
            tag = event.tag
            if tag.startswith("tag:yaml.org,2002:"):
                tag = "!!" + tag.removeprefix("tag:yaml.org,2002:")  # as it was written
            self.diags.append(Diagnostic(
                "yaml.tag", f"不支持 YAML 标签 “{tag}”。", self.file, line, col,
                pointer if pointer is not None else self.here(),
                hint="删除标签(以 ! 开头的部分);需要文字时请给值加引号。"))
            if pointer is not None:
                self.source.suppressed.add(pointer)

    # --- the end ------------------------------------------------------------------------

    def result(self) -> Parsed:
        """The document read to its end (or to a second document)."""
        data = self.root[0] if self.root else None
        if data is None and not self.root_text and not self.diags:
            self.diags.append(Diagnostic(
                "yaml.empty", "文件是空的(没有任何内容,或只有注释)。", self.file,
                hint="写入政策内容,或删除这个文件。"))
        return self.finish(data)

    def finish(self, data: Any) -> Parsed:
        self.diags.extend(self.anchors.diagnostics(self.file))
        return Parsed(self.file, data, self.source, self.diags)


_KEY_TYPES = {bool: "布尔值(true/false)", int: "数字", float: "数字"}


def _non_string_key(value: Any, written: str, file: str, line: int, col: int,
                    pointer: str) -> Diagnostic:
    """``1:``, ``true:``, ``~:`` or an empty key: YAML reads it as a number, a boolean or
    null, and making it a string again would hide that ``1:`` and ``01:`` are one key."""
    if not written:
        message = "映射的键是空的;键必须是文字。"
    else:
        what = _KEY_TYPES.get(type(value), "空值(null)")
        message = f"键 “{written}” 不是文字:YAML 把它读作{what};键必须是文字。"
    shown = written or "名称"
    return Diagnostic(
        "yaml.non-string-key", message, file, line, col, pointer,
        hint=f"给键加引号(例如 `\"{shown}\":`),或改用一个名称;"
             "否则 `1:` 与 `01:` 这样的键无法判断是否重复。")


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
