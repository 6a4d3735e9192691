"""A schema's constraints in the words of the reference's table cells: types, patterns,
limits, allowed values, and when a key is required or must not be written.

Shorter than the words of validation messages (:mod:`generator.schemawords`): a table
cell says ``true/false`` where a message says ``true 或 false``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from generator.site.language.entries import Words

TYPE_WORDS = {
    "string": "文字", "number": "数字", "integer": "整数", "boolean": "true/false",
    "array": "列表", "object": "映射", "null": "空值",
}  # fmt: skip

PATTERN_WORDS = {
    "^[A-Za-z][A-Za-z0-9_-]*$": "字母开头,只含字母、数字、_ 和 -",
    "^[a-z][a-z0-9_]*$": "小写字母开头,只含小写字母、数字和 _",
    "^R-[A-Z0-9]+(-[A-Z0-9]+)*$": "R- 开头,大写字母和数字,以 - 分段,如 R-001、R-ID-CHECK",
    "^[A-Z]{2,}-[A-Z]-[0-9]{2}$": "如 MN-F-01、MN-C-01:大写字母-大写字母-两位数字",
    "^[0-9]+\\.[0-9]+\\.[0-9]+$": "三段数字,如 \"1.0.0\"(加引号)",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "日期 YYYY-MM-DD",
}
"""Every pattern of the schemas, in words (tests check none is missing)."""


def type_of_values(values: Sequence[Any]) -> str:
    """The type of an enum's or const's values: ``文字``, ``数字或文字``."""
    kinds = {_json_type(v) for v in values}
    return either([TYPE_WORDS[k] for k in sorted(kinds)])


def either(words: list[str]) -> str:
    """``甲``, ``甲或乙``, ``甲、乙或丙``."""
    return "、".join(words[:-1]) + "或" + words[-1] if len(words) > 1 else "".join(words)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "null"


def limit_words(node: Mapping[str, Any]) -> tuple[str, ...]:
    out = []
    pattern = node.get("pattern")
    if node.get("format") == "date":
        out.append("日期 YYYY-MM-DD(加引号)")
    elif isinstance(pattern, str):
        out.append(PATTERN_WORDS.get(pattern, f"格式 {pattern}"))
    if "minimum" in node and "maximum" in node:
        out.append(f"{node['minimum']} 至 {node['maximum']}")
    elif "minimum" in node:
        out.append(f"不小于 {node['minimum']}")
    elif "maximum" in node:
        out.append(f"不大于 {node['maximum']}")
    if "maxLength" in node:
        out.append(f"最多 {node['maxLength']} 个字符")
    lo, hi = node.get("minItems"), node.get("maxItems")
    if lo:
        out.append(f"至少 {lo} 项")
    if hi:
        out.append(f"最多 {hi} 项")
    if node.get("uniqueItems"):
        out.append("各项不重复")
    if node.get("minProperties") == 1 and node.get("maxProperties") == 1:
        out.append("恰好写一个键")
    elif node.get("minProperties"):
        out.append(f"至少 {node['minProperties']} 个键")
    return tuple(out)


def value_words(node: Mapping[str, Any]) -> tuple[str, ...]:
    if "const" in node:
        return (_yaml_scalar(node["const"]),)
    if "enum" in node:
        return tuple(_yaml_scalar(v) for v in node["enum"])
    return ()


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def branch_label(branch: Mapping[str, Any]) -> str:
    """An alternative's name: its title's Chinese half, or the keys it requires."""
    if branch.get("title"):
        return Words.title(branch["title"]).zh
    keys = branch.get("required") or sorted(branch.get("properties", {}))
    return "、".join(keys) + " 写法"


def _discriminator(condition: Mapping[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """(key, values) from the ``if`` of an allOf: ``type`` is ``decision``."""
    for key, sub in condition.get("properties", {}).items():
        if "const" in sub:
            return key, (str(sub["const"]),)
        if "enum" in sub:
            return key, tuple(map(str, sub["enum"]))
    return None


def _forbidden(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        yield from node.get("required", [])
        for sub in node.get("anyOf", []):
            yield from _forbidden(sub)


def key_conditions(node: Mapping[str, Any]) -> dict[str, list[str]]:
    """Key → when it is required or forbidden beyond ``required``: from allOf if/then
    (``type 为 decision 或 task 时必填``) and from alternatives that only differ in what
    they require (``「流程清单」必填``)."""
    # key → (discriminator, verdict) → values, merged across the allOf rules
    grouped: dict[str, dict[tuple[str, str], list[str]]] = {}
    for rule in node.get("allOf", []):
        when = _discriminator(rule.get("if", {}))
        then = rule.get("then", {})
        if when is None:
            continue
        disc, values = when
        verdicts = [(key, "时必填") for key in then.get("required", [])]
        verdicts += [(key, "时不写") for key in _forbidden(then.get("not"))]
        for key, verdict in verdicts:
            grouped.setdefault(key, {}).setdefault((disc, verdict), []).extend(values)
    found: dict[str, list[str]] = {
        key: [f"{disc} 为 {' 或 '.join(dict.fromkeys(values))} {verdict}"
              for (disc, verdict), values in by.items()]
        for key, by in grouped.items()}
    for rule in node.get("allOf", []):
        when = _discriminator(rule.get("if", {}))
        if when is not None:
            for key in _forbidden(rule.get("else", {}).get("not")):
                found.setdefault(key, []).append(f"{when[0]} 为其他值时不写")
    for branch in node.get("oneOf", []):
        if "properties" in branch:
            continue  # an alternative with fields of its own is listed as variants
        label = branch_label(branch)
        for key in branch.get("required", []):
            found.setdefault(key, []).append(f"「{label}」必填")
        for key in _forbidden(branch.get("not")):
            found.setdefault(key, []).append(f"「{label}」不写")
    return found


def raw_values(node: Mapping[str, Any]) -> Sequence[Any]:
    if "const" in node:
        return [node["const"]]
    values: Sequence[Any] = node.get("enum", [])
    return values
