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
import sysconfig
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.diagnostics import Diagnostic, join_pointer, pointer_to_path
from generator.yamlload import SourceMap

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
if not SCHEMA_DIR.is_dir():
    # An installed policybook (pip install ., a pre-commit hook's environment) has no
    # checkout around it: pyproject.toml ships schemas/ as data files.
    SCHEMA_DIR = Path(sysconfig.get_path("data")) / "share" / "policybook" / "schemas"

KINDS = (
    "pack", "roles", "parameters", "rules", "flow", "decision_table", "questionnaire",
    "form", "checklist", "script", "glossary", "target_clients", "cases",
)  # fmt: skip
"""Every document kind; each has ``schemas/<kind>.schema.json``."""


@dataclass(frozen=True)
class SchemaSet:
    registry: Registry[Any]
    validators: Mapping[str, Draft202012Validator]
    fast: Mapping[str, Any] = field(default_factory=dict)
    """Rust validators (jsonschema-rs) that only say valid or not: most documents are
    valid, and for those the pure-Python validator, which explains, is not needed."""

    def schema(self, kind: str) -> Mapping[str, Any]:
        schema: Mapping[str, Any] = self.validators[kind].schema  # type: ignore[assignment]
        return schema


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
    return SchemaSet(registry, validators, _fast_validators(raw))


def _fast_validators(raw: Mapping[str, Any]) -> dict[str, Any]:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the dependency is declared; stay correct without
        return {}
    try:
        registry = jsonschema_rs.Registry(list(raw.items()))
        return {
            kind: jsonschema_rs.validator_for(
                {**raw[f"{kind}.schema.json"], "$id": f"{kind}.schema.json"},
                registry=registry, validate_formats=True)
            for kind in KINDS
        }
    except Exception:  # pragma: no cover - a schema the Rust side rejects: explain slowly
        return {}


def validate_document(
    data: Any, kind: str, file: str, source: SourceMap, schemas: SchemaSet
) -> list[Diagnostic]:
    """Every schema problem of one document, as diagnostics at their YAML lines."""
    fast = schemas.fast.get(kind)
    if fast is not None:
        try:
            if fast.is_valid(data):
                return []
        except Exception:  # a value Rust cannot take (e.g. NaN): let jsonschema decide
            pass
    errors = list(_leaves(schemas.validators[kind].iter_errors(data), None, schemas))
    typos = _typos(errors)
    found: list[Diagnostic] = []
    for error, branch in errors:
        if error.validator == "required" and (
            tuple(error.absolute_path), _missing_key(error)) in typos.values():
            continue  # reported with the unknown key it was misspelt as
        found.extend(_diagnose(error, branch, file, source, schemas, typos))
    return _tidy(found)


# --- picking the errors a person should read -------------------------------------------

_Leaf = tuple[Any, Any]
"""(jsonschema ValidationError, the oneOf/anyOf error whose branch it is in, or None)."""


def _leaves(errors: Iterable[Any], branch: Any, schemas: SchemaSet) -> Iterator[_Leaf]:
    for error in errors:
        if (error.validator in ("oneOf", "anyOf") and error.context
                and not _mixed(error, schemas)):
            meant = _meant_branch(error, schemas)
            if meant is not None:
                yield from _leaves(meant, error, schemas)
                continue
        yield error, branch


def _branches(error: Any, schemas: SchemaSet) -> list[tuple[str, set[str]]]:
    """(title, keys it declares) for each alternative of a oneOf/anyOf."""
    out = []
    for sub in error.validator_value:
        resolved = _deref(sub, schemas)
        keys = set(resolved.get("properties", {})) | set(resolved.get("required", []))
        out.append((str(resolved.get("title", "")), keys))
    return out


def _mixed(error: Any, schemas: SchemaSet) -> list[tuple[str, str]]:
    """For a mapping that uses keys only one alternative has *and* keys only another has:
    (key, title of its alternative) for each such key, in the order written."""
    instance = error.instance
    if not isinstance(instance, dict):
        return []
    branches = _branches(error, schemas)
    owner: dict[str, int] = {}
    for i, (_, keys) in enumerate(branches):
        others = set().union(*(k for j, (_, k) in enumerate(branches) if j != i))
        for key in keys - others:
            owner[key] = i
    used = [(key, owner[key]) for key in instance if key in owner]
    if len({i for _, i in used}) < 2:
        return []
    return [(key, branches[i][0] or _keys_title(error.validator_value[i], schemas))
            for key, i in used]


def _keys_title(subschema: Any, schemas: SchemaSet) -> str:
    """A name for an untitled alternative: the keys it requires (``step 写法``)."""
    resolved = _deref(subschema, schemas)
    keys = resolved.get("required") or sorted(resolved.get("properties", {}))
    return "、".join(keys) + " 写法"


def _meant_branch(error: Any, schemas: SchemaSet) -> list[Any] | None:
    """The errors of the alternative the author meant, or None when none stands out.

    A branch is meant when the instance has keys that only that branch declares
    (``decision:`` vs ``questionnaire:``), or when the instance is of that branch's type.
    Branches whose root type does not even match are never meant.
    """
    instance = error.instance
    branches: dict[int, list[Any]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.schema_path[0], []).append(sub)

    def root_type_mismatch(errs: list[Any]) -> bool:
        return any(e.validator == "type" and not e.relative_path for e in errs)

    candidates = [i for i, errs in branches.items() if not root_type_mismatch(errs)]
    if isinstance(instance, dict):
        scored = []
        for i in candidates:
            resolved = _deref(error.validator_value[i], schemas)
            props = set(resolved.get("properties", {}))
            required = set(resolved.get("required", []))
            hits = len(required & set(instance)) * 2 + len(props & set(instance))
            scored.append((hits, -len(branches[i]), i))
        if scored:
            scored.sort(reverse=True)
            if len(scored) == 1 or scored[0][0] > scored[1][0]:
                return branches[scored[0][2]]
    if len(candidates) == 1:
        return branches[candidates[0]]
    return None


def _missing_key(error: Any) -> str:
    """The key a ``required`` error is about (its message is ``'key' is a required ...``)."""
    instance = error.instance
    for key in error.validator_value:
        if isinstance(instance, dict) and key not in instance and repr(key) in error.message:
            return str(key)
    return "?"


def _typos(errors: list[_Leaf]) -> dict[tuple[tuple[Any, ...], str], tuple[tuple[Any, ...], str]]:
    """Unknown keys that are near misses of a missing required key at the same place:
    (path, unknown key) → (path, the required key it was meant to be)."""
    missing: dict[tuple[Any, ...], list[str]] = {}
    for error, _ in errors:
        if error.validator == "required":
            missing.setdefault(tuple(error.absolute_path), []).append(_missing_key(error))
    found: dict[tuple[tuple[Any, ...], str], tuple[tuple[Any, ...], str]] = {}
    for error, _ in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and path in missing:
            extras = _extras(error)
            for extra in extras:
                guess = difflib.get_close_matches(extra, missing[path], n=1, cutoff=0.6)
                if not guess and len(extras) == 1 and len(missing[path]) == 1:
                    guess = missing[path]  # one key too many, one too few: a rename
                if guess and (path, guess[0]) not in found.values():
                    found[(path, extra)] = (path, guess[0])
    return found


def _extras(error: Any) -> list[str]:
    props = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return [k for k in error.instance if k not in props]


def _tidy(found: list[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per mistake: a bad date is a format problem, not also a pattern one."""
    formats = {(d.file, d.pointer) for d in found if d.check == "schema.format"}
    return [d for d in found
            if not (d.check == "schema.pattern" and (d.file, d.pointer) in formats)]


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


def _quoted(keys: Iterable[str]) -> str:
    return "、".join(f"“{k}”" for k in keys)


def _name(path: Sequence[Any]) -> str:
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


_TYPE_WORDS = {
    "string": "文字", "number": "数字", "integer": "整数", "boolean": "true 或 false",
    "array": "列表", "object": "映射(键: 值)", "null": "空值",
}  # fmt: skip

_PATTERN_HINTS = {
    "^[a-z][a-z0-9_]*$": "小写字母开头,只含小写字母、数字和下划线,例如 min_amount。",
    "^[A-Za-z][A-Za-z0-9_-]*$": "字母开头,只含字母、数字、下划线和连字符,不能有空格或中文。",
}


def _type_hint(instance: Any, names: list[str], description: str) -> str:
    if isinstance(instance, str) and ("number" in names or "integer" in names):
        return "数字不要加引号,也不要写单位或千分位(例如 1000000,而不是 “100万”)。"
    if isinstance(instance, bool) and "string" in names:
        return "这里需要文字:请给值加引号。"
    if isinstance(instance, int | float) and "string" in names:
        return f"这里需要文字:请给值加引号,例如 \"{instance}\"。" + _short(description)
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
    return _short(description)


def _diagnose(error: Any, branch: Any, file: str, source: SourceMap, schemas: SchemaSet,
              typos: Mapping[tuple[tuple[Any, ...], str], tuple[tuple[Any, ...], str]],
              ) -> list[Diagnostic]:
    path = list(error.absolute_path)
    pointer = join_pointer("", *path)
    line, col = source.value(pointer)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    field_name = _name(path)
    description = str(schema.get("description", ""))

    def make(check: str, message: str, hint: str = "", at: tuple[int, int] | None = None,
             ptr: str | None = None) -> list[Diagnostic]:
        ln, cl = at or (line, col)
        return [Diagnostic(check, message, file, ln, cl, pointer if ptr is None else ptr,
                           hint=hint)]

    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        found = []
        for key in _extras(error):
            key_ptr = join_pointer(pointer, key)
            meant = typos.get((tuple(path), key))
            if meant is not None:
                message = f"未知的键 “{key}”;是否应为必填的 “{meant[1]}”?"
                hint = f"把 “{key}” 改为 “{meant[1]}”。"
            else:
                guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                message = f"未知的键 “{key}”。"
                hint = f"是否应为 “{guess[0]}”?" if guess else ""
                hint += f"此处可用的键:{', '.join(allowed)}。" if allowed else "此处不能有键。"
            found += make("schema.unknown-key", message, hint, at=source.key(key_ptr),
                          ptr=key_ptr)
        return found
    if kind == "required":
        missing = _missing_key(error)
        prop_schema = _deref(schema.get("properties", {}).get(missing, {}), schemas)
        when = ""
        kind_value = instance.get("type") if isinstance(instance, dict) else None
        if "then" in error.absolute_schema_path and isinstance(kind_value, str):
            when = f"(type 为 “{kind_value}” 时必填)"
        return make("schema.missing-key", f"缺少必填的键 “{missing}”{_title(prop_schema)}{when}。",
                    f"在第 {line} 行的 {pointer_to_path(pointer)} 下添加 `{missing}:`。"
                    + _short(prop_schema.get("description", "")))
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        want = "或".join(_TYPE_WORDS.get(n, n) for n in names)
        space = " " if want[:1].isascii() else ""
        return make("schema.wrong-type",
                    f"“{field_name}” 应为{space}{want},实际是{_describe(instance)}。",
                    _type_hint(instance, names, description) or "请按 schema 的说明修改。")
    if kind in ("enum", "const"):
        allowed_values = error.validator_value if kind == "enum" else [error.validator_value]
        shown = "、".join(str(v) for v in allowed_values)
        if kind == "const" and field_name == "kind":
            return make("schema.wrong-kind", f"文件类型 kind 应为 “{error.validator_value}”。",
                        "kind 决定按哪个 schema 校验文件。")
        guess = difflib.get_close_matches(str(instance), [str(v) for v in allowed_values], 1)
        hint = f"是否应为 “{guess[0]}”?" if guess else f"可选值:{shown}。"
        return make("schema.not-allowed",
                    f"“{field_name}” 的值 {_describe(instance)} 不在允许范围内(可选:{shown})。",
                    hint)
    if kind == "pattern":
        pattern = str(error.validator_value)
        return make("schema.pattern",
                    f"“{field_name}” 的值 {_describe(instance)} 格式不正确。",
                    _short(description) or _PATTERN_HINTS.get(pattern, f"须符合格式 {pattern}。"))
    if kind == "format":
        fmt = str(error.validator_value)
        what = _FORMATS.get(fmt, fmt)
        return make("schema.format",
                    f"“{field_name}” 的值 {_describe(instance)} 不是有效的{what}。",
                    "日期请写成 YYYY-MM-DD,例如 2026-12-01(月份 01–12,日期须存在)。"
                    if fmt == "date" else _short(description) or "请检查格式。")
    if kind in ("minProperties", "maxProperties"):
        keys = list(instance) if isinstance(instance, dict) else []
        word = "至少要写" if kind == "minProperties" else "只能写"
        shown = f"({_quoted(keys)})" if keys else ""
        return make("schema.too-few" if kind == "minProperties" else "schema.too-many",
                    f"“{field_name}” {word} {error.validator_value} 个键,"
                    f"现有 {len(keys)} 个{shown}。",
                    _short(description) or "请按 schema 的说明修改。")
    if kind in ("minItems", "minLength"):
        return make("schema.too-few",
                    f"“{field_name}” 至少需要 {error.validator_value} 项,"
                    f"现有 {_count(instance)} 项。"
                    if kind != "minLength" else f"“{field_name}” 不能为空。",
                    _short(description) or "请补充内容。")
    if kind in ("maxItems", "maxLength"):
        return make("schema.too-many",
                    f"“{field_name}” 最多 {error.validator_value} 项,现有 {_count(instance)} 项。"
                    if kind == "maxItems" else
                    f"“{field_name}” 太长:最多 {error.validator_value} 个字符。",
                    _short(description) or "请删减内容。")
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        limit = error.validator_value
        word, fix = {"minimum": ("不能小于", "不小于"), "maximum": ("不能大于", "不大于"),
                     "exclusiveMinimum": ("必须大于", "大于"),
                     "exclusiveMaximum": ("必须小于", "小于")}[str(kind)]
        return make("schema.out-of-range", f"“{field_name}” 的值 {instance} {word} {limit}。",
                    _short(description) or f"请改为{fix} {limit} 的数。")
    if kind == "uniqueItems" and isinstance(instance, list):
        seen: list[Any] = []
        for i, item in enumerate(instance):
            if item in seen:
                at = join_pointer(pointer, i)
                return make("schema.duplicate-item",
                            f"“{field_name}” 中 {_describe(item)} 重复出现。",
                            "删除重复的项。", at=source.value(at), ptr=at)
            seen.append(item)
        return make("schema.duplicate-item", f"“{field_name}” 中有重复的项。", "删除重复的项。")
    if kind == "not":
        return _not(error, branch, field_name, pointer, file, source)
    if kind in ("oneOf", "anyOf"):
        mixed = _mixed(error, schemas)
        if mixed:
            groups: dict[str, list[str]] = {}
            for key, title in mixed:
                groups.setdefault(title, []).append(key)
            parts = ",".join(f"{_quoted(keys)} 属于「{title}」" for title, keys in groups.items())
            intruder = next(k for k, t in mixed if t != mixed[0][1])
            at = join_pointer(pointer, intruder)
            return make("schema.mixed-variant",
                        f"“{field_name}” 混用了两种写法:{parts};只能选其一。",
                        f"保留一种写法,删除另一种写法的键。{_short(description)}",
                        at=source.key(at), ptr=at)
        wanted = _root_types(error)
        if wanted:  # every alternative wants another type: that is the whole story
            want = "或".join(dict.fromkeys(_TYPE_WORDS.get(n, n) for n in wanted))
            space = " " if want[:1].isascii() else ""
            return make("schema.wrong-type",
                        f"“{field_name}” 应为{space}{want},实际是{_describe(instance)}。",
                        _type_hint(instance, wanted, description) or _short(description)
                        or "请按 schema 的说明修改。")
        options = [_title(_deref(s, schemas)).strip("()") for s in error.validator_value]
        shown = ";".join(o for o in options if o) or "见 schema"
        return make("schema.no-variant",
                    f"“{field_name}” 不符合任何一种允许的写法({shown})。",
                    _short(description) or "对照 schema 的示例修改。")
    return make(f"schema.{kind}", str(error.message), _short(description) or "请按 schema 修改。")


_FORMATS = {"date": "日期"}


def _root_types(error: Any) -> list[str]:
    """The types the alternatives of a oneOf/anyOf want, if every one of them failed
    only because the value is of another type; else []."""
    branches: dict[int, list[Any]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.schema_path[0], []).append(sub)
    if len(branches) < len(error.validator_value):
        return []
    wanted: list[str] = []
    for errs in branches.values():
        roots = [e for e in errs if e.validator == "type" and not e.relative_path]
        if not roots:
            return []
        value = roots[0].validator_value
        wanted += [value] if isinstance(value, str) else list(value)
    return wanted


def _not(error: Any, branch: Any, field_name: str, pointer: str, file: str,
         source: SourceMap) -> list[Diagnostic]:
    """A ``not`` says which keys may not be written here; point at the last of them."""
    instance = error.instance
    forbidden = set(_keys_in(error.validator_value))
    keys = [k for k in instance if k in forbidden] if isinstance(instance, dict) else []
    if not keys:
        line, col = source.value(pointer)
        return [Diagnostic("schema.conflict", f"“{field_name}” 的写法与其他键冲突。", file,
                           line, col, pointer, hint="对照 schema 的说明修改。")]
    at = join_pointer(pointer, keys[-1])
    kind_value = instance.get("type")
    conditional = "then" in error.absolute_schema_path or "else" in error.absolute_schema_path
    if conditional and isinstance(kind_value, str):
        message = f"type 为 “{kind_value}” 时不能写 {_quoted(keys)}。"
        hint = f"删除 {_quoted(keys)},或把 type 改为允许它的类型。"
    elif len(keys) > 1:
        message = f"“{field_name}” 中不能同时写 {_quoted(keys)}。"
        hint = "只保留其中一个。"
    elif branch is not None and _branch_title(error, branch):
        message = f"按「{_branch_title(error, branch)}」的写法不能写 {_quoted(keys)}。"
        hint = f"删除 {_quoted(keys)}。" + _short(branch.schema.get("description", ""))
    else:
        message = f"“{field_name}” 中不能写 {_quoted(keys)}。"
        hint = f"删除 {_quoted(keys)}。"
    line, col = source.key(at)
    return [Diagnostic("schema.conflict", message, file, line, col, at, hint=hint)]


def _branch_title(error: Any, branch: Any) -> str:
    """Title of the alternative of ``branch`` (a oneOf/anyOf error) that ``error`` is in."""
    index = error.schema_path[0] if error.schema_path else None
    alternatives = branch.validator_value
    if isinstance(index, int) and 0 <= index < len(alternatives):
        alt = alternatives[index]
        if isinstance(alt, dict):
            return str(alt.get("title", ""))
    return ""


def _keys_in(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        yield from schema.get("required", [])
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
                target: Any = schemas.registry.contents(doc)
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
