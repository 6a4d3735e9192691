"""The policy language as the schemas describe it: one entry per document kind, with
every field's YAML path, type, requirement, allowed values and bilingual words.

The handbook's 政策语言参考 pages are rendered from this, so they show the same titles
and descriptions that editors show on hover: the schemas are the one source of truth.
Shared definitions of ``common.schema.json`` are described once (:func:`shared_types`)
and referred to by name from the fields that use them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.load import FOLDERS
from generator.schema import KINDS, SCHEMA_DIR, SchemaSet, load_schemas

COMMON = "common.schema.json"
NOT_EXPANDED = frozenset({"provenance"})
"""Shared definitions whose fields are listed only on the index page: provenance is on
every element, and repeating its four keys under each would bury the fields that matter."""

_TYPE_WORDS = {
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

_TITLE = re.compile(r"^(?P<zh>\S*[^\x00-\x7f]\S*)\s+(?P<en>.+)$")


@dataclass(frozen=True, slots=True)
class Words:
    """A bilingual title or description, split into its halves."""

    zh: str
    en: str

    @classmethod
    def title(cls, text: object) -> Words:
        """``执行岗位 Actor`` → 执行岗位 / Actor."""
        s = str(text or "").strip()
        m = _TITLE.match(s)
        return cls(m["zh"], m["en"]) if m else cls(s, "")

    @classmethod
    def description(cls, text: object) -> Words:
        """``中文。 / English.`` → its two halves."""
        zh, _, en = str(text or "").partition(" / ")
        return cls(zh.strip(), en.strip())


@dataclass(frozen=True, slots=True)
class Field:
    path: str
    """The YAML path: ``steps[].actor`` (``[]`` an item of a list, ``*`` any key)."""
    depth: int
    title: Words
    description: Words
    type: str
    """The type in words (``文字``, ``映射列表``); after :attr:`shared` when there is one."""
    shared: str
    """The ``common.schema.json`` definition the field is (``ref``, ``text``…), or ""."""
    required: str
    """``必填``, ``选填`` or when it is required (``type 为 decision 时必填``)."""
    values: tuple[str, ...]
    """The allowed values of an enum or const, as written in YAML."""
    limits: tuple[str, ...]
    """Other constraints in words: pattern, counts, ranges, uniqueness."""
    variants: tuple[str, ...] = ()
    """The alternatives (oneOf) this field belongs to, when not to all of them."""


@dataclass(frozen=True, slots=True)
class SharedType:
    """A definition of ``common.schema.json`` that fields refer to by name."""

    name: str
    title: Words
    description: Words
    type: str
    shared: str
    """Another shared definition this one is made of (``refs`` are ``ref`` items)."""
    values: tuple[str, ...]
    limits: tuple[str, ...]
    fields: list[Field]


@dataclass(frozen=True, slots=True)
class KindDoc:
    """One document kind: its schema's words, where its files live, its fields, an example."""

    kind: str
    title: Words
    description: Words
    location: str
    """Where the files are: ``flows/*.yaml`` or ``pack.yaml``."""
    per_file: bool
    """True when each file is one element (a flow, a form…); False for one file per pack."""
    fields: list[Field]
    example: str
    """The schema's example document as YAML, with the editor modeline."""


# --- resolving -------------------------------------------------------------------------


class _Resolver:
    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas

    def target(self, ref: str, base: str) -> tuple[dict[str, Any], str]:
        """The schema ``ref`` points at, and the file it is in."""
        doc, _, fragment = ref.partition("#")
        doc = doc or base
        node: Any = self.schemas.registry.contents(doc)
        for part in fragment.strip("/").split("/"):
            if part:
                node = node[int(part)] if isinstance(node, list) else node[part]
        return dict(node), doc

    def resolve(self, node: Mapping[str, Any], base: str) -> tuple[dict[str, Any], str, str]:
        """``node`` merged with what its ``$ref`` chain points at (its own keys win);
        the file of the innermost target; the shared definition's name, if any."""
        merged = dict(node)
        shared = ""
        while "$ref" in merged:
            ref = str(merged.pop("$ref"))
            target, base = self.target(ref, base)
            if base == COMMON and not shared:
                shared = ref.rsplit("/", 1)[-1]
            merged = {**target, **merged}
        return merged, base, shared


# --- describing --------------------------------------------------------------------------


def _type_of_values(values: Sequence[Any]) -> str:
    kinds = {_json_type(v) for v in values}
    return _either([_TYPE_WORDS[k] for k in sorted(kinds)])


def _either(words: list[str]) -> str:
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


def _limits(node: Mapping[str, Any]) -> tuple[str, ...]:
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


def _values(node: Mapping[str, Any]) -> tuple[str, ...]:
    if "const" in node:
        return (_yaml_scalar(node["const"]),)
    if "enum" in node:
        return tuple(_yaml_scalar(v) for v in node["enum"])
    return ()


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _branch_label(branch: Mapping[str, Any]) -> str:
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


def _conditions(node: Mapping[str, Any]) -> dict[str, list[str]]:
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
        label = _branch_label(branch)
        for key in branch.get("required", []):
            found.setdefault(key, []).append(f"「{label}」必填")
        for key in _forbidden(branch.get("not")):
            found.setdefault(key, []).append(f"「{label}」不写")
    return found


class _Describer:
    def __init__(self, schemas: SchemaSet) -> None:
        self.resolver = _Resolver(schemas)
        self._expanding: set[tuple[str, str]] = set()
        """``$ref`` targets being expanded: a recursive definition (an outline's
        subsections) is described once, not forever."""

    def type_words(self, node: Mapping[str, Any], base: str) -> tuple[str, str]:
        """(type in words, shared definition) of a schema."""
        resolved, base, shared = self.resolver.resolve(node, base)
        if shared:
            return "", shared
        if "const" in resolved or "enum" in resolved:
            return _type_of_values(list(_values_raw(resolved))), ""
        kind = resolved.get("type")
        if kind == "array":
            items = resolved.get("items")
            if isinstance(items, dict):
                inner, inner_shared = self.type_words(items, base)
                if inner_shared:
                    return "的列表", inner_shared
                if "或" in inner:
                    return f"列表,每项为{inner}", ""
                return f"{inner}列表", ""
            return "列表", ""
        if kind == "object" and "properties" not in resolved and isinstance(
                resolved.get("additionalProperties"), dict):
            return "映射(键: 值)", ""
        if isinstance(kind, str):
            return _TYPE_WORDS.get(kind, kind), ""
        for key in ("oneOf", "anyOf"):
            if key in resolved:
                words = []
                for branch in resolved[key]:
                    branch_resolved, branch_base, _ = self.resolver.resolve(branch, base)
                    if branch_resolved.get("title"):
                        words.append(Words.title(branch_resolved["title"]).zh)
                    else:
                        words.append(self.type_words(branch_resolved, branch_base)[0])
                return _either(list(dict.fromkeys(w for w in words if w))), ""
        return "", ""

    def fields(self, node: Mapping[str, Any], base: str, prefix: str,
               depth: int) -> list[Field]:
        """The fields under ``node`` (an object, an array, a map or alternatives)."""
        ref = (base, str(node.get("$ref", "")))
        if ref[1] and ref in self._expanding:
            return []
        resolved, base, shared = self.resolver.resolve(node, base)
        if shared in NOT_EXPANDED:
            return []
        if ref[1]:
            self._expanding.add(ref)
            try:
                return self._fields(resolved, base, prefix, depth)
            finally:
                self._expanding.discard(ref)
        return self._fields(resolved, base, prefix, depth)

    def _fields(self, resolved: Mapping[str, Any], base: str, prefix: str,
                depth: int) -> list[Field]:
        kind = resolved.get("type")
        if kind == "array" and isinstance(resolved.get("items"), dict):
            return self.fields(resolved["items"], base, prefix + "[]", depth)
        out: list[Field] = []
        props = resolved.get("properties", {})
        if props:
            required = set(resolved.get("required", []))
            conditions = _conditions(resolved)
            for name, sub in props.items():
                path = f"{prefix}.{name}" if prefix else name
                need = "必填" if name in required else ";".join(conditions.get(name, [])) \
                    or "选填"
                out.append(self.field(sub, base, path, depth, need))
                out += self.fields(sub, base, path, depth + 1)
        extra = resolved.get("additionalProperties")
        if isinstance(extra, dict):
            path = f"{prefix}.*" if prefix else "*"
            out.append(self.field(extra, base, path, depth, ""))
            out += self.fields(extra, base, path, depth + 1)
        for key in ("oneOf", "anyOf"):
            branches = [b for b in resolved.get(key, [])
                        if "properties" in self.resolver.resolve(b, base)[0]
                        or self.resolver.resolve(b, base)[0].get("type") == "array"]
            if branches:
                out += self._variants(branches, base, prefix, depth)
        return out

    def _variants(self, branches: list[Any], base: str, prefix: str,
                  depth: int) -> list[Field]:
        """Fields of alternatives: one row for a field every alternative has alike, else
        one row per alternative that has it, naming the alternatives."""
        per_branch: list[tuple[str, list[Field]]] = []
        for branch in branches:
            resolved, branch_base, _ = self.resolver.resolve(branch, base)
            per_branch.append((_branch_label(resolved),
                               self.fields(resolved, branch_base, prefix, depth)))
        order: dict[tuple[str, str], Field] = {}
        owners: dict[tuple[str, str], list[str]] = {}
        for label, rows in per_branch:
            for row in rows:
                key = (row.path, row.title.zh)
                order.setdefault(key, row)
                owners.setdefault(key, []).append(label)
        return [row if len(owners[key]) == len(per_branch)
                else dataclasses.replace(row, variants=tuple(owners[key]))
                for key, row in order.items()]

    def field(self, node: Mapping[str, Any], base: str, path: str, depth: int,
              required: str) -> Field:
        resolved, _, _ = self.resolver.resolve(node, base)
        words, shared = self.type_words(node, base)
        # A field's own words first; a bare use of a shared definition shows the
        # definition's (the index page explains the definition itself).
        title = node.get("title") or resolved.get("title", "")
        description = node.get("description") or ("" if shared else
                                                    resolved.get("description", ""))
        # A shared definition's own limits (an id's pattern) are on the index page.
        limits = _limits(node if shared else resolved)
        return Field(path, depth, Words.title(title), Words.description(description), words,
                     shared, required, _values(resolved), limits)

    def shared(self, name: str) -> SharedType:
        node, base = self.resolver.target(f"#/$defs/{name}", COMMON)
        resolved, base, _ = self.resolver.resolve(node, base)
        words, shared = self.type_words(resolved, base)
        return SharedType(name, Words.title(node.get("title")),
                          Words.description(node.get("description")), words, shared,
                          _values(resolved), _limits(resolved),
                          self.fields(resolved, base, "", 0))


def _values_raw(node: Mapping[str, Any]) -> Sequence[Any]:
    if "const" in node:
        return [node["const"]]
    values: Sequence[Any] = node.get("enum", [])
    return values


# --- the language -------------------------------------------------------------------------


def location(kind: str) -> tuple[str, bool]:
    """Where files of ``kind`` live in a pack, and whether each file is one element."""
    folder = next((f for f, k in FOLDERS.items() if k == kind), None)
    if folder is not None:
        return f"{folder}/*.yaml", True
    return f"{kind.replace('_', '-')}.yaml", False


def example_yaml(kind: str, example: Any) -> str:
    """The example as a policy file: the editor modeline, then the document."""
    where, _ = location(kind)
    up = "../" * (where.count("/") + 1)
    body = yaml.safe_dump(example, allow_unicode=True, sort_keys=False)
    return f"# yaml-language-server: $schema={up}schemas/{kind}.schema.json\n{body}"


@cache
def describe(schema_dir: Path = SCHEMA_DIR) -> tuple[KindDoc, ...]:
    """Every document kind, in the order of :data:`generator.schema.KINDS`."""
    schemas = load_schemas(schema_dir)
    describer = _Describer(schemas)
    docs = []
    for kind in KINDS:
        schema = schemas.schema(kind)
        where, per_file = location(kind)
        examples = schema.get("examples") or []
        docs.append(KindDoc(
            kind, Words.title(schema.get("title")), Words.description(schema.get("description")),
            where, per_file, describer.fields(schema, f"{kind}.schema.json", "", 0),
            example_yaml(kind, examples[0]) if examples else ""))
    return tuple(docs)


@cache
def shared_types(schema_dir: Path = SCHEMA_DIR) -> tuple[SharedType, ...]:
    """The definitions of ``common.schema.json``, in the order they are written."""
    schemas = load_schemas(schema_dir)
    describer = _Describer(schemas)
    common = schemas.registry.contents(COMMON)
    return tuple(describer.shared(name) for name in common.get("$defs", {}))
