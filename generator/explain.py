"""One explainer per JSON Schema keyword: a jsonschema error → diagnostics a person acts on.

jsonschema says *what* failed (``'100万' is not of type 'number'``); an explainer says
it at the YAML line of the value, in the policy owner's words, with a hint of what to
write instead. :data:`EXPLAIN` maps each keyword to its explainer, the way
jsonschema's ``_keywords.py`` has one function per keyword; a keyword without one
gets jsonschema's own message (:func:`_other`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.alternatives import deref, explain_not, explain_variants
from generator.diagnostics import Diagnostic, join_pointer, pointer_to_path
from generator.schemawords import (
    FORMATS,
    PATTERN_HINTS,
    TYPE_WORDS,
    count,
    describe,
    name,
    quoted,
    short,
    title,
    type_hint,
)
from generator.yamlload import SourceMap

if TYPE_CHECKING:
    from generator.schema import SchemaSet

Typos = Mapping[tuple[tuple[Any, ...], str], tuple[tuple[Any, ...], str]]
"""(path, unknown key) → (path, the missing required key it was meant to be)."""


@dataclass(frozen=True, slots=True)
class Failure:
    """One jsonschema error with what every explainer needs to place and word it."""

    error: Any
    branch: Any
    """The oneOf/anyOf error whose alternative ``error`` is in, or None."""
    file: str
    source: SourceMap
    schemas: SchemaSet
    typos: Typos
    path: list[Any]
    pointer: str
    line: int
    col: int
    schema: Mapping[str, Any]
    field: str
    """What a person calls the value: its key, or ``steps[4]``."""
    description: str

    @property
    def instance(self) -> Any:
        return self.error.instance

    @property
    def value(self) -> Any:
        """The keyword's value in the schema (the type wanted, the minimum, …)."""
        return self.error.validator_value

    def report(self, check: str, message: str, hint: str = "",
               at: tuple[int, int] | None = None, ptr: str | None = None) -> list[Diagnostic]:
        """One diagnostic at the value (or at ``at``/``ptr`` when given)."""
        line, col = at or (self.line, self.col)
        return [Diagnostic(check, message, self.file, line, col,
                           self.pointer if ptr is None else ptr, hint=hint)]

    def should_be(self, want: str) -> str:
        """``“amount” 应为数字,实际是文字 “100万”。`` (``want`` the type in words)."""
        space = " " if want[:1].isascii() else ""
        return f"“{self.field}” 应为{space}{want},实际是{describe(self.instance)}。"


Explainer = Callable[[Failure], list[Diagnostic]]


def diagnose(error: Any, branch: Any, file: str, source: SourceMap, schemas: SchemaSet,
             typos: Typos) -> list[Diagnostic]:
    """The diagnostics for one jsonschema error, by its keyword's explainer."""
    path = list(error.absolute_path)
    pointer = join_pointer("", *path)
    line, col = source.value(pointer)
    schema = error.schema if isinstance(error.schema, dict) else {}
    failure = Failure(error, branch, file, source, schemas, typos, path, pointer, line, col,
                      schema, name(path), str(schema.get("description", "")))
    return EXPLAIN.get(error.validator, _other)(failure)


def missing_key(error: Any) -> str:
    """The key a ``required`` error is about (its message is ``'key' is a required ...``)."""
    instance = error.instance
    for key in error.validator_value:
        if isinstance(instance, dict) and key not in instance and repr(key) in error.message:
            return str(key)
    return "?"


def extras(error: Any) -> list[str]:
    """The keys an ``additionalProperties`` error refused."""
    props = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return [k for k in error.instance if k not in props]


# --- the explainers, in the order of EXPLAIN --------------------------------------------


def _unknown_keys(f: Failure) -> list[Diagnostic]:
    """additionalProperties: each unknown key, at the key, with the key it may have meant."""
    if not isinstance(f.instance, dict):
        return _other(f)
    allowed = sorted(f.schema.get("properties", {}))
    found = []
    for key in extras(f.error):
        key_ptr = join_pointer(f.pointer, key)
        meant = f.typos.get((tuple(f.path), key))
        if meant is not None:
            message = f"未知的键 “{key}”;是否应为必填的 “{meant[1]}”?"
            hint = f"把 “{key}” 改为 “{meant[1]}”。"
        else:
            guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            message = f"未知的键 “{key}”。"
            hint = f"是否应为 “{guess[0]}”?" if guess else ""
            hint += f"此处可用的键:{', '.join(allowed)}。" if allowed else "此处不能有键。"
        found += f.report("schema.unknown-key", message, hint, at=f.source.key(key_ptr),
                          ptr=key_ptr)
    return found


def _required(f: Failure) -> list[Diagnostic]:
    missing = missing_key(f.error)
    prop_schema = deref(f.schema.get("properties", {}).get(missing, {}), f.schemas)
    when = ""
    kind_value = f.instance.get("type") if isinstance(f.instance, dict) else None
    if "then" in f.error.absolute_schema_path and isinstance(kind_value, str):
        when = f"(type 为 “{kind_value}” 时必填)"
    return f.report("schema.missing-key", f"缺少必填的键 “{missing}”{title(prop_schema)}{when}。",
                    f"在第 {f.line} 行的 {pointer_to_path(f.pointer)} 下添加 `{missing}:`。"
                    + short(prop_schema.get("description", "")))


def _wrong_type(f: Failure) -> list[Diagnostic]:
    names = [f.value] if isinstance(f.value, str) else list(f.value)
    want = "或".join(TYPE_WORDS.get(n, n) for n in names)
    return f.report("schema.wrong-type", f.should_be(want),
                    type_hint(f.instance, names, f.description) or "请按 schema 的说明修改。")


def _not_allowed(f: Failure, allowed_values: list[Any]) -> list[Diagnostic]:
    shown = "、".join(str(v) for v in allowed_values)
    guess = difflib.get_close_matches(str(f.instance), [str(v) for v in allowed_values], 1)
    hint = f"是否应为 “{guess[0]}”?" if guess else f"可选值:{shown}。"
    return f.report("schema.not-allowed",
                    f"“{f.field}” 的值 {describe(f.instance)} 不在允许范围内(可选:{shown})。",
                    hint)


def _enum(f: Failure) -> list[Diagnostic]:
    return _not_allowed(f, f.value)


def _const(f: Failure) -> list[Diagnostic]:
    if f.field == "kind":
        return f.report("schema.wrong-kind", f"文件类型 kind 应为 “{f.value}”。",
                        "kind 决定按哪个 schema 校验文件。")
    return _not_allowed(f, [f.value])


def _pattern(f: Failure) -> list[Diagnostic]:
    pattern = str(f.value)
    return f.report("schema.pattern", f"“{f.field}” 的值 {describe(f.instance)} 格式不正确。",
                    short(f.description) or PATTERN_HINTS.get(pattern, f"须符合格式 {pattern}。"))


def _format(f: Failure) -> list[Diagnostic]:
    fmt = str(f.value)
    what = FORMATS.get(fmt, fmt)
    return f.report("schema.format", f"“{f.field}” 的值 {describe(f.instance)} 不是有效的{what}。",
                    "日期请写成 YYYY-MM-DD,例如 2026-12-01(月份 01–12,日期须存在)。"
                    if fmt == "date" else short(f.description) or "请检查格式。")


def _property_count(f: Failure) -> list[Diagnostic]:
    """minProperties and maxProperties."""
    fewest = f.error.validator == "minProperties"
    keys = list(f.instance) if isinstance(f.instance, dict) else []
    word = "至少要写" if fewest else "只能写"
    shown = f"({quoted(keys)})" if keys else ""
    return f.report("schema.too-few" if fewest else "schema.too-many",
                    f"“{f.field}” {word} {f.value} 个键,现有 {len(keys)} 个{shown}。",
                    short(f.description) or "请按 schema 的说明修改。")


def _min_items(f: Failure) -> list[Diagnostic]:
    return f.report("schema.too-few",
                    f"“{f.field}” 至少需要 {f.value} 项,现有 {count(f.instance)} 项。",
                    short(f.description) or "请补充内容。")


def _min_length(f: Failure) -> list[Diagnostic]:
    return f.report("schema.too-few", f"“{f.field}” 不能为空。",
                    short(f.description) or "请补充内容。")


def _max_items(f: Failure) -> list[Diagnostic]:
    return f.report("schema.too-many",
                    f"“{f.field}” 最多 {f.value} 项,现有 {count(f.instance)} 项。",
                    short(f.description) or "请删减内容。")


def _max_length(f: Failure) -> list[Diagnostic]:
    return f.report("schema.too-many", f"“{f.field}” 太长:最多 {f.value} 个字符。",
                    short(f.description) or "请删减内容。")


_LIMIT_WORDS = {
    "minimum": ("不能小于", "不小于"), "maximum": ("不能大于", "不大于"),
    "exclusiveMinimum": ("必须大于", "大于"), "exclusiveMaximum": ("必须小于", "小于"),
}  # fmt: skip
"""keyword → (what the value may not be, what to change it to)."""


def _out_of_range(f: Failure) -> list[Diagnostic]:
    """minimum, maximum, exclusiveMinimum and exclusiveMaximum."""
    limit = f.value
    word, fix = _LIMIT_WORDS[str(f.error.validator)]
    return f.report("schema.out-of-range", f"“{f.field}” 的值 {f.instance} {word} {limit}。",
                    short(f.description) or f"请改为{fix} {limit} 的数。")


def _unique_items(f: Failure) -> list[Diagnostic]:
    """uniqueItems: at the first repetition."""
    if not isinstance(f.instance, list):
        return _other(f)
    seen: list[Any] = []
    for i, item in enumerate(f.instance):
        if item in seen:
            at = join_pointer(f.pointer, i)
            return f.report("schema.duplicate-item",
                            f"“{f.field}” 中 {describe(item)} 重复出现。",
                            "删除重复的项。", at=f.source.value(at), ptr=at)
        seen.append(item)
    return f.report("schema.duplicate-item", f"“{f.field}” 中有重复的项。", "删除重复的项。")


def _other(f: Failure) -> list[Diagnostic]:
    """A keyword without an explainer: jsonschema's own message."""
    return f.report(f"schema.{f.error.validator}", str(f.error.message),
                    short(f.description) or "请按 schema 修改。")


EXPLAIN: dict[str, Explainer] = {
    "additionalProperties": _unknown_keys,
    "required": _required,
    "type": _wrong_type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "format": _format,
    "minProperties": _property_count,
    "maxProperties": _property_count,
    "minItems": _min_items,
    "minLength": _min_length,
    "maxItems": _max_items,
    "maxLength": _max_length,
    "minimum": _out_of_range,
    "maximum": _out_of_range,
    "exclusiveMinimum": _out_of_range,
    "exclusiveMaximum": _out_of_range,
    "uniqueItems": _unique_items,
    "not": explain_not,
    "oneOf": explain_variants,
    "anyOf": explain_variants,
}
"""JSON Schema keyword → its explainer."""
