"""The schemas themselves: their examples are real, valid documents, and every field
describes itself in Chinese and English (editors' hover text and the handbook's
language reference both show these words)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.load import load_pack
from generator.pipeline import analyse
from generator.schema import KINDS, SCHEMA_DIR, load_schemas
from generator.yamlload import load_bytes
from tests.conftest import EXAMPLES

MINIMAL = EXAMPLES / "valid" / "minimal"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def schema_of(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8"))
    return data


def minimal_files() -> dict[str, list[tuple[str, Any]]]:
    """kind → [(path inside the minimal pack, parsed document)]."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for path in sorted(MINIMAL.rglob("*.yaml")):
        data = load_bytes(path.read_bytes(), str(path)).data
        found.setdefault(data["kind"], []).append((path.relative_to(MINIMAL).as_posix(), data))
    return found


def bilingual(text: object) -> bool:
    return isinstance(text, str) and bool(CJK.search(text)) and bool(LATIN.search(text))


def properties(node: Any, where: str = "") -> Iterator[tuple[str, str, Any]]:
    """(JSON pointer of the property, its name, its schema) for every property under any
    ``properties``, except the discriminators inside ``if`` (they restate a property)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("if", "examples"):
                continue
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    yield f"{where}/properties/{name}", name, sub
                    yield from properties(sub, f"{where}/properties/{name}")
            else:
                yield from properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from properties(value, f"{where}/{i}")


# --- examples -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_example_is_the_minimal_packs_document(kind: str) -> None:
    """The example an editor shows on hover is the document of tests/examples/valid/minimal.
    To fix a failure, make both say the same: copy the YAML file's data into the schema's
    ``examples`` (as JSON, indent 2, ensure_ascii=False) or the other way round."""
    examples = schema_of(kind).get("examples")
    assert examples, f"schemas/{kind}.schema.json has no top-level examples"
    files = minimal_files().get(kind, [])
    assert [data for _, data in files] == examples, (
        f"schemas/{kind}.schema.json examples differ from "
        f"{', '.join(name for name, _ in files) or '(no file of this kind)'} in {MINIMAL}")


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_example_validates_against_its_schema(kind: str) -> None:
    validator = load_schemas().validators[kind]
    for example in schema_of(kind)["examples"]:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(example)]
        assert errors == []


def test_the_examples_written_out_make_a_pack_without_any_diagnostic(tmp_path: Path) -> None:
    written = 0
    for kind, files in minimal_files().items():
        for (name, _), example in zip(files, schema_of(kind)["examples"], strict=True):
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(example, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
            written += 1
    assert written >= len(KINDS)
    loaded = load_pack(tmp_path)
    assert [d.check for d in loaded.diagnostics] == []
    assert {d.kind for d in loaded.documents} == set(KINDS)
    # ... and the consistency checks agree: the examples fit together as one procedure
    # (only the reminder that drafted content awaits review remains).
    found = [d.check for d in analyse(tmp_path).diagnostics]
    assert found == ["provenance.drafted"]


# --- words ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_schema_file_has_a_bilingual_title_and_description(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert bilingual(schema.get("title")), schema.get("title")
    assert bilingual(schema.get("description")), schema.get("description")
    assert " / " in schema["description"], "description: '中文。 / English.'"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_its_own_bilingual_title(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    untitled = [pointer for pointer, name, sub in properties(schema)
                if name != "$schema" and not bilingual(sub.get("title"))]
    assert untitled == [], f"give these a title like '执行岗位 Actor' in {path.name}"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_description_has_a_chinese_and_an_english_half(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    found = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            text = node.get("description")
            if isinstance(text, str):
                found.append((where, text))
            for key, value in node.items():
                if key != "examples":
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(schema, "")
    assert found
    bad = [where for where, text in found
           if not (" / " in text and CJK.search(text.split(" / ")[0])
                   and LATIN.search(text.split(" / ", 1)[1]))]
    assert bad == [], "descriptions are '中文。 / English.'"


def test_the_walk_sees_nested_and_conditional_properties() -> None:
    """The property walk reaches into $defs, items, oneOf and additionalProperties."""
    pointers = {p for path in SCHEMA_FILES
                for p, _, _ in properties(json.loads(path.read_text(encoding="utf-8")))}
    assert "/$defs/step/properties/actor" in pointers
    assert "/properties/cases/items/oneOf/1/properties/expect/properties/level" in pointers
    assert ("/properties/cases/items/oneOf/0/properties/input/additionalProperties/oneOf/2"
            "/properties/param") in pointers
    assert not any("/if/" in p for p in pointers)
    assert len(pointers) > 250
