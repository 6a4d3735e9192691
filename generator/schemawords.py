"""The words schema diagnostics use: for JSON types, patterns, formats and values.

A policy owner reads “应为数字,实际是文字 “100万””, not ``'100万' is not of type
'number'``. These are the words of the validation messages; the language reference
(:mod:`generator.site.language`) has its own, shorter ones for table cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

TYPE_WORDS = {
    "string": "文字", "number": "数字", "integer": "整数", "boolean": "true 或 false",
    "array": "列表", "object": "映射(键: 值)", "null": "空值",
}  # fmt: skip

PATTERN_HINTS = {
    "^[a-z][a-z0-9_]*$": "小写字母开头,只含小写字母、数字和下划线,例如 min_amount。",
    "^[A-Za-z][A-Za-z0-9_-]*$": "字母开头,只含字母、数字、下划线和连字符,不能有空格或中文。",
}

FORMATS = {"date": "日期"}


def title(schema: Mapping[str, Any] | Any) -> str:
    """``(执行岗位 Actor)`` for a schema with that title, else ``""``."""
    if isinstance(schema, dict):
        text = schema.get("title")
        if isinstance(text, str):
            return f"({text})"
    return ""


def describe(value: Any) -> str:
    """A value as a person would name it: ``数字 3``, ``文字 “是”``, ``列表``."""
    if isinstance(value, bool):
        return "布尔值 true/false"
    if value is None:
        return "空值"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:30] + "…"
        return f"文字 “{shown}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return type(value).__name__


def quoted(keys: Iterable[str]) -> str:
    return "、".join(f"“{k}”" for k in keys)


def name(path: Sequence[Any]) -> str:
    """What a person calls the value at ``path``: its key, or ``steps[4]`` for an item."""
    if not path:
        return "文件"
    last = path[-1]
    if isinstance(last, int):
        parent = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        indexes = []
        for p in reversed(path):
            if not isinstance(p, int):
                break
            indexes.append(f"[{p}]")
        return parent + "".join(reversed(indexes))
    return str(last)


def type_hint(instance: Any, names: list[str], description: str) -> str:
    """How to write a value of one of the types ``names`` instead of ``instance``."""
    if isinstance(instance, str) and ("number" in names or "integer" in names):
        return "数字不要加引号,也不要写单位或千分位(例如 1000000,而不是 “100万”)。"
    if isinstance(instance, bool) and "string" in names:
        return "这里需要文字:请给值加引号。"
    if isinstance(instance, int | float) and "string" in names:
        return f"这里需要文字:请给值加引号,例如 \"{instance}\"。" + short(description)
    if instance is None:
        return "冒号后没有写值;请填写内容或删除这个键。"
    if "boolean" in names:
        return "写 true 或 false,不加引号(YAML 1.2 中 yes、no、on、off 都是文字)。"
    if "array" in names:
        return "这里需要列表:每项另起一行并以 “- ” 开头,或写成 [甲, 乙]。"
    if "object" in names:
        return "这里需要映射:每个键另起一行,写成 “键: 值”。"
    if "integer" in names and isinstance(instance, float):
        return "这里需要整数,不带小数点。"
    if "string" in names and isinstance(instance, dict | list):
        return "这里只需要一段文字;文字中有 “: ” 或以 “- ”、“[”、“{” 开头时,请给整段文字加引号。"
    return short(description)


def short(text: Any) -> str:
    """The Chinese half of a bilingual description."""
    if not isinstance(text, str) or not text:
        return ""
    return text.split(" / ")[0]


def count(instance: Any) -> int:
    return len(instance) if hasattr(instance, "__len__") else 0
