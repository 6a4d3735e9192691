"""What the YAML reader says about input it refuses: bytes that are not UTF-8,
anchors and aliases, and libyaml's syntax errors said so that a policy owner knows
what to change."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator

import yaml

from generator.diagnostics import Diagnostic

MAX_DEPTH = 32
"""Policies nest five or six levels; anything far deeper is a mistake or an attack."""


_READ_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "不允许读取",
    errno.ENOENT: "文件不存在(可能在读取前被删除或移动)",
    errno.EISDIR: "这是一个文件夹",
    errno.EIO: "读取时出现 I/O 错误(磁盘或网络盘故障)",
    errno.ELOOP: "符号链接循环",
    errno.ENAMETOOLONG: "路径太长",
    errno.ENXIO: "不是普通文件",
}


def unreadable(file: str, exc: OSError) -> Diagnostic:
    """A policy file that could not be read: its name and the reason, never a traceback."""
    words = _READ_REASONS.get(exc.errno or 0, "无法读取")
    detail = exc.strerror or (os.strerror(exc.errno) if exc.errno else type(exc).__name__)
    return Diagnostic(
        "file.unreadable", f"无法读取政策文件 {file}:{words}({detail})。", file,
        hint="检查文件的权限(例如 `chmod a+r`)、磁盘或网络盘;"
             "不是政策的文件请移出政策包文件夹。")


def read_policy(path: os.PathLike[str] | str, file: str) -> tuple[bytes | None,
                                                                  Diagnostic | None]:
    """The bytes of a policy file, or the diagnostic saying why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read(), None
    except OSError as exc:
        return None, unreadable(file, exc)


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


class Anchors:
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


_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow in a stream (its ``c-printable`` set, inverted)."""


def _where(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def control_character_diagnostic(code: object, file: str, text: str) -> Diagnostic:
    """libyaml's reader refused a character (``#x0000``…): say which and where it is."""
    index = text.find(chr(code)) if isinstance(code, int) and 0 <= code < 0x110000 else -1
    if index < 0:
        found = _FORBIDDEN.search(text)
        index = found.start() if found else 0
    char = text[index] if index < len(text) else "\0"
    line, col = _where(text, index)
    name = {0: "NUL(空字符)", 0x7F: "DEL(删除符)", 0xFEFF: "BOM(字节顺序标记)"}.get(
        ord(char), "控制字符")
    return Diagnostic(
        "yaml.control-character",
        f"第 {line} 行第 {col} 列有 YAML 不允许的字符 U+{ord(char):04X} {name}。",
        file, line, col,
        hint="删除这个字符;它通常来自复制粘贴或被误当作文本的二进制文件。"
             "需要换行时直接换行。")


def directive_diagnostics(text: str, file: str, at: tuple[int, int]) -> Iterator[Diagnostic]:
    """``%YAML`` and ``%TAG`` lines: a policy is read one way only (YAML 1.2 core)."""
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("---"):
            break  # directives stand before the document's `---`
        if line.startswith("%"):
            found.append((n, line.split()[0]))
    for n, name in found or [(at[0], "%")]:
        yield Diagnostic(
            "yaml.directive", f"不允许使用 YAML 指令 “{name}”。", file, n, 1,
            hint="删除以 % 开头的指令行(以及紧随其后的 `---`);"
                 "policybook 总是按 YAML 1.2 核心规则读取。")


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


def syntax_diagnostic(exc: yaml.MarkedYAMLError, file: str, text: str) -> Diagnostic:
    """libyaml's error as a diagnostic at the line the author has to change."""
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
