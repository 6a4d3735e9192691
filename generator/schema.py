"""JSON Schema validation of parsed policy documents, with errors a person can act on.

jsonschema reports *what* failed; this module turns each failure into a
:class:`Diagnostic` at the YAML line that caused it, with a sentence in the
policy owner's language. For ``oneOf``/``anyOf`` it descends into the branch the
author evidently meant (the one whose discriminating key they wrote) instead of
listing every alternative.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from generator.diagnostics import Diagnostic, join_pointer, pointer_to_path
from generator.yamlload import SourceMap

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

KINDS = (
    "pack", "roles", "parameters", "rules", "flow", "decision_table", "questionnaire",
    "form", "checklist", "script", "glossary", "target_clients", "cases",
)  # fmt: skip
"""Every document kind; each has ``schemas/<kind>.schema.json``."""


@dataclass(frozen=True)
class SchemaSet:
    registry: Registry[Any]
    validators: Mapping[str, Draft202012Validator]

    def schema(self, kind: str) -> Mapping[str, Any]:
        return self.validators[kind].schema  # type: ignore[no-any-return]


@cache
def load_schemas(schema_dir: Path = SCHEMA_DIR) -> SchemaSet:
    resources: list[tuple[str, Resource[Any]]] = []
    raw: dict[str, Any] = {}
    for path in sorted(schema_dir.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        raw[path.name] = contents
        resources.append((path.name, Resource.from_contents(contents)))
    registry: Registry[Any] = Registry().with_resources(resources)
    validators = {}
    for kind in KINDS:
        schema = raw[f"{kind}.schema.json"]
        resolver_schema = {**schema, "$id": f"{kind}.schema.json"}
        validators[kind] = Draft202012Validator(
            resolver_schema,
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
    return SchemaSet(registry, validators)


def validate_document(
    data: Any, kind: str, file: str, source: SourceMap, schemas: SchemaSet
) -> list[Diagnostic]:
    validator = schemas.validators[kind]
    return [
        _diagnose(error, file, source, schemas)
        for error in _leaves(validator.iter_errors(data), schemas)
    ]


# --- picking the errors a person should read -------------------------------------------


def _leaves(errors: Iterator[ValidationError], schemas: SchemaSet) -> Iterator[ValidationError]:
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            branch = _meant_branch(error)
            if branch is not None:
                yield from _leaves(iter(branch), schemas)
                continue
        yield error


def _meant_branch(error: ValidationError) -> list[ValidationError] | None:
    """The errors of the alternative the author meant, or None when none stands out.

    A branch is meant when the instance has a key that only that branch declares
    (``sourced:`` vs ``drafted:``), or when the instance is of that branch's type.
    Branches whose root type does not even match are never meant.
    """
    instance = error.instance
    schemas = error.validator_value
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.schema_path[0], []).append(sub)  # type: ignore[arg-type]

    def root_type_mismatch(errs: list[ValidationError]) -> bool:
        return any(e.validator == "type" and not e.relative_path for e in errs)

    candidates = [i for i, errs in branches.items() if not root_type_mismatch(errs)]
    if isinstance(instance, dict):
        scored = []
        for i in candidates:
            props = set(_resolved(schemas[i], error).get("properties", {}))
            required = set(_resolved(schemas[i], error).get("required", []))
            hits = len(required & set(instance)) * 2 + len(props & set(instance))
            scored.append((hits, -len(branches[i]), i))
        if scored:
            scored.sort(reverse=True)
            if len(scored) == 1 or scored[0][0] > scored[1][0]:
                return branches[scored[0][2]]
    if len(candidates) == 1:
        return branches[candidates[0]]
    return None


def _resolved(subschema: Any, error: ValidationError) -> Mapping[str, Any]:
    if isinstance(subschema, dict):
        return subschema
    return {}


# --- turning a jsonschema error into a diagnostic ---------------------------------------


def _title(schema: Mapping[str, Any] | Any) -> str:
    if isinstance(schema, dict):
        title = schema.get("title")
        if isinstance(title, str):
            return f"({title})"
    return ""


def _describe(value: Any) -> str:
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


_TYPE_WORDS = {
    "string": "文字", "number": "数字", "integer": "整数", "boolean": "true 或 false",
    "array": "列表", "object": "映射(键: 值)", "null": "空值",
}  # fmt: skip


def _diagnose(
    error: ValidationError, file: str, source: SourceMap, schemas: SchemaSet
) -> Diagnostic:
    pointer = join_pointer("", *error.absolute_path)
    line, col = source.value(pointer)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    field_name = str(error.absolute_path[-1]) if error.absolute_path else "文件"
    description = ""
    if isinstance(schema, dict):
        description = str(schema.get("description", ""))

    def make(check: str, message: str, hint: str = "", at: tuple[int, int] | None = None,
             ptr: str | None = None) -> Diagnostic:
        ln, cl = at or (line, col)
        return Diagnostic(check, message, file, ln, cl, pointer if ptr is None else ptr,
                          hint=hint)

    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        extras = [k for k in instance if k not in schema.get("properties", {})]
        key = extras[0] if extras else "?"
        key_ptr = join_pointer(pointer, key)
        guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"是否应为 “{guess[0]}”?" if guess else ""
        hint += f"此处可用的键:{', '.join(allowed)}。" if allowed else ""
        diags = [
            make("schema.unknown-key", f"未知的键 “{k}”。", hint,
                 at=source.key(join_pointer(pointer, k)), ptr=join_pointer(pointer, k))
            for k in extras
        ]
        return diags[0] if len(diags) == 1 else diags[0].__class__(
            diags[0].check,
            f"未知的键:{'、'.join('“' + k + '”' for k in extras)}。",
            file, *source.key(key_ptr), key_ptr, hint=hint)
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        prop_schema = schema.get("properties", {}).get(missing, {})
        title = _title(_deref(prop_schema, schemas))
        return make("schema.missing-key", f"缺少必填的键 “{missing}”{title}。",
                    f"在第 {line} 行的 {pointer_to_path(pointer)} 下添加 `{missing}:`。"
                    + _short(_deref(prop_schema, schemas).get("description", "")))
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        want = " 或 ".join(_TYPE_WORDS.get(n, n) for n in names)
        hint = ""
        if isinstance(instance, str) and "number" in names:
            hint = "数字不要加引号,也不要写单位或千分位(例如 1000000,而不是 “100万”)。"
        elif isinstance(instance, int | float) and "string" in names:
            hint = f"这里需要文字:请给值加引号,例如 \"{instance}\"。"
        elif isinstance(instance, bool) and "string" in names:
            hint = "这里需要文字:请给值加引号。"
        elif instance is None:
            hint = "冒号后没有写值;请填写内容或删除这个键。"
        return make("schema.wrong-type",
                    f"“{field_name}” 应为{want},实际是{_describe(instance)}。",
                    hint or _short(description))
    if kind in ("enum", "const"):
        allowed_values = error.validator_value if kind == "enum" else [error.validator_value]
        shown = "、".join(str(v) for v in allowed_values)
        guess = difflib.get_close_matches(str(instance), [str(v) for v in allowed_values], 1)
        hint = f"是否应为 “{guess[0]}”?" if guess else f"可选值:{shown}。"
        if kind == "const" and field_name == "kind":
            return make("schema.wrong-kind", f"文件类型 kind 应为 “{error.validator_value}”。",
                        "kind 决定按哪个 schema 校验文件。")
        return make("schema.not-allowed",
                    f"“{field_name}” 的值 {_describe(instance)} 不在允许范围内(可选:{shown})。",
                    hint)
    if kind == "pattern":
        return make("schema.pattern",
                    f"“{field_name}” 的值 {_describe(instance)} 格式不正确。",
                    _short(description) or f"须符合 {error.validator_value}")
    if kind == "format":
        return make("schema.format",
                    f"“{field_name}” 的值 {_describe(instance)} 不是有效的{error.validator_value}。",
                    "日期请写成 YYYY-MM-DD 并加引号,例如 \"2026-12-01\"。"
                    if error.validator_value == "date" else _short(description))
    if kind in ("minItems", "minLength", "minProperties"):
        return make("schema.too-few",
                    f"“{field_name}” 至少需要 {error.validator_value} 项,现有 {_count(instance)} 项。"
                    if kind != "minLength" else f"“{field_name}” 不能为空。",
                    _short(description) or "请补充内容。")
    if kind in ("maxItems", "maxLength", "maxProperties"):
        return make("schema.too-many",
                    f"“{field_name}” 最多 {error.validator_value} 项,现有 {_count(instance)} 项。",
                    _short(description))
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        word = {"minimum": "不能小于", "maximum": "不能大于",
                "exclusiveMinimum": "必须大于", "exclusiveMaximum": "必须小于"}[str(kind)]
        return make("schema.out-of-range",
                    f"“{field_name}” 的值 {instance} {word} {error.validator_value}。",
                    _short(description))
    if kind == "uniqueItems":
        return make("schema.duplicate-item", f"“{field_name}” 中有重复的项。", "删除重复的项。")
    if kind == "not":
        return make("schema.conflict", _not_message(error, field_name),
                    "这些键不能同时出现;请删除其中一个。")
    if kind in ("oneOf", "anyOf"):
        options = [_title(_deref(s, schemas)).strip("()") for s in error.validator_value]
        shown = ";".join(o for o in options if o) or "见 schema"
        return make("schema.no-variant",
                    f"“{field_name}” 不符合任何一种允许的写法({shown})。",
                    _short(description) or "对照 schema 的示例修改。")
    return make(f"schema.{kind}", str(error.message), _short(description))


def _not_message(error: ValidationError, field_name: str) -> str:
    instance = error.instance
    if isinstance(instance, dict):
        keys = "、".join(f"“{k}”" for k in _keys_in(error.validator_value) if k in instance)
        if keys:
            return f"{field_name} 中不能出现 {keys}。"
    return f"“{field_name}” 的写法与其他键冲突。"


def _keys_in(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for k in schema.get("required", []):
            yield k
        for sub in schema.get("anyOf", []):
            yield from _keys_in(sub)


def _deref(schema: Any, schemas: SchemaSet) -> Mapping[str, Any]:
    if not isinstance(schema, dict):
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and "#" in ref:
        doc, _, fragment = ref.partition("#")
        if doc:
            try:
                target = schemas.registry.contents(doc)
            except Exception:  # an unresolvable ref only costs us the title
                return schema
            for part in fragment.strip("/").split("/"):
                if isinstance(target, dict):
                    target = target.get(part, {})
            if isinstance(target, dict):
                merged = dict(target)
                merged.update({k: v for k, v in schema.items() if k != "$ref"})
                return merged
    return schema


def _short(text: Any) -> str:
    """The Chinese half of a bilingual description."""
    if not isinstance(text, str) or not text:
        return ""
    return text.split(" / ")[0]


def _count(instance: Any) -> int:
    return len(instance) if hasattr(instance, "__len__") else 0
