"""The policy language as the schemas describe it: one entry per document kind, with
every field's YAML path, type, requirement, allowed values and bilingual words.

The handbook's 政策语言参考 pages are rendered from this, so they show the same titles
and descriptions that editors show on hover: the schemas are the one source of truth.
Shared definitions of ``common.schema.json`` are described once (:func:`shared_types`)
and referred to by name from the fields that use them.

The parts: :mod:`.entries` (what an entry holds), :mod:`.describer` (walking a schema's
``$ref`` chains and alternatives to its fields) and :mod:`.words` (constraints in words).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.kinds import registry
from generator.schema import KINDS, SCHEMA_DIR, load_schemas
from generator.site.language.describer import COMMON, NOT_EXPANDED, Describer
from generator.site.language.entries import Field, KindDoc, SharedType, Words
from generator.site.language.words import PATTERN_WORDS

__all__ = [
    "COMMON", "NOT_EXPANDED", "PATTERN_WORDS", "Field", "KindDoc", "SharedType", "Words",
    "describe", "example_yaml", "location", "shared_types",
]  # fmt: skip


def location(kind: str) -> tuple[str, bool]:
    """Where files of ``kind`` live in a pack, and whether each file is one element."""
    declared = registry().get(kind)
    if declared is None or declared.folder is None:
        return declared.place if declared else f"{kind.replace('_', '-')}.yaml", False
    return f"{declared.folder}/*.yaml", True


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
    describer = Describer(schemas)
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
    describer = Describer(schemas)
    common = schemas.registry.contents(COMMON)
    return tuple(describer.shared(name) for name in common.get("$defs", {}))
