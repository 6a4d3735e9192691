"""The fields of a schema, found by following its ``$ref`` chains, alternatives and
conditions: what :func:`generator.site.language.describe` lists for each kind."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from generator.schema import SchemaSet
from generator.site.language.entries import Field, SharedType, Words
from generator.site.language.words import (
    TYPE_WORDS,
    branch_label,
    either,
    key_conditions,
    limit_words,
    raw_values,
    type_of_values,
    value_words,
)

COMMON = "common.schema.json"
NOT_EXPANDED = frozenset({"provenance"})
"""Shared definitions whose fields are listed only on the index page: provenance is on
every element, and repeating its four keys under each would bury the fields that matter."""


class Resolver:
    """Follows ``$ref`` across the schema files of a :class:`SchemaSet`."""

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


class Describer:
    """Turns a schema into :class:`Field` rows (and shared definitions into
    :class:`SharedType`), following references, alternatives and conditions."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.resolver = Resolver(schemas)
        self._expanding: set[tuple[str, str]] = set()
        """``$ref`` targets being expanded: a recursive definition (an outline's
        subsections) is described once, not forever."""

    def type_words(self, node: Mapping[str, Any], base: str) -> tuple[str, str]:
        """(type in words, shared definition) of a schema."""
        resolved, base, shared = self.resolver.resolve(node, base)
        if shared:
            return "", shared
        if "const" in resolved or "enum" in resolved:
            return type_of_values(list(raw_values(resolved))), ""
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
            return TYPE_WORDS.get(kind, kind), ""
        for key in ("oneOf", "anyOf"):
            if key in resolved:
                words = []
                for branch in resolved[key]:
                    branch_resolved, branch_base, _ = self.resolver.resolve(branch, base)
                    if branch_resolved.get("title"):
                        words.append(Words.title(branch_resolved["title"]).zh)
                    else:
                        words.append(self.type_words(branch_resolved, branch_base)[0])
                return either(list(dict.fromkeys(w for w in words if w))), ""
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
            conditions = key_conditions(resolved)
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
            per_branch.append((branch_label(resolved),
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
        limits = limit_words(node if shared else resolved)
        return Field(path, depth, Words.title(title), Words.description(description), words,
                     shared, required, value_words(resolved), limits)

    def shared(self, name: str) -> SharedType:
        node, base = self.resolver.target(f"#/$defs/{name}", COMMON)
        resolved, base, _ = self.resolver.resolve(node, base)
        words, shared = self.type_words(resolved, base)
        return SharedType(name, Words.title(node.get("title")),
                          Words.description(node.get("description")), words, shared,
                          value_words(resolved), limit_words(resolved),
                          self.fields(resolved, base, "", 0))
