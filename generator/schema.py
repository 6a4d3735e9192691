"""JSON Schema validation of parsed policy documents, with errors a person can act on.

jsonschema reports *what* failed; each failure becomes a :class:`Diagnostic` at the
YAML line that caused it, with a sentence in the policy owner's language
(:mod:`generator.explain`, one explainer per keyword). For ``oneOf``/``anyOf`` the
errors are those of the branch the author evidently meant (the one whose
discriminating key they wrote), not of every alternative (:mod:`generator.alternatives`).
"""

from __future__ import annotations

import difflib
import json
import os
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.alternatives import Leaf, leaves
from generator.diagnostics import Diagnostic
from generator.explain import diagnose, extras, missing_key
from generator.kinds import BUILT_IN
from generator.yamlload import SourceMap

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
if os.environ.get("POLICYBOOK_SCHEMAS"):
    # Another schema folder, e.g. the repository's own when run as a pre-commit hook
    # (generator.hook sets it).
    SCHEMA_DIR = Path(os.environ["POLICYBOOK_SCHEMAS"])
elif not SCHEMA_DIR.is_dir():
    # An installed policybook (pip install ., a pre-commit hook's environment) has no
    # checkout around it: pyproject.toml ships schemas/ as data files.
    SCHEMA_DIR = Path(sysconfig.get_path("data")) / "share" / "policybook" / "schemas"

KINDS = BUILT_IN
"""The built-in document kinds (:mod:`generator.kinds`); each has
``schemas/<kind>.schema.json``."""


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
def load_schemas(schema_dir: Path = SCHEMA_DIR, extra: tuple[Path, ...] = ()) -> SchemaSet:
    """A validator for every ``<kind>.schema.json`` in ``schema_dir`` and in ``extra``
    (the schemas of kinds declared outside it)."""
    resources: list[tuple[str, Resource[Any]]] = []
    raw: dict[str, Any] = {}
    for path in [*sorted(schema_dir.glob("*.schema.json")), *extra]:
        contents = json.loads(path.read_text(encoding="utf-8"))
        raw[path.name] = contents
        resources.append((path.name, Resource.from_contents(contents)))
    registry: Registry[Any] = Registry().with_resources(resources)
    validators = {}
    for kind in _kinds(raw):
        schema = raw[f"{kind}.schema.json"]
        resolver_schema = {**schema, "$id": f"{kind}.schema.json"}
        validators[kind] = Draft202012Validator(
            resolver_schema,
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
    return SchemaSet(registry, validators, _fast_validators(raw))


def _kinds(raw: Mapping[str, Any]) -> list[str]:
    """The document kinds among the schema files (``common`` only holds definitions)."""
    return [name.removesuffix(".schema.json") for name, schema in raw.items()
            if "kind" in schema.get("properties", {})]


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
            for kind in _kinds(raw)
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
    errors = list(leaves(schemas.validators[kind].iter_errors(data), None, schemas))
    typos = _typos(errors)
    found: list[Diagnostic] = []
    for error, branch in errors:
        if error.validator == "required" and (
            tuple(error.absolute_path), missing_key(error)) in typos.values():
            continue  # reported with the unknown key it was misspelt as
        found.extend(diagnose(error, branch, file, source, schemas, typos))
    return _tidy(found)


# --- picking the errors a person should read -------------------------------------------
# (descending into the oneOf/anyOf alternative the author meant: generator.alternatives)


def _typos(errors: list[Leaf]) -> dict[tuple[tuple[Any, ...], str], tuple[tuple[Any, ...], str]]:
    """Unknown keys that are near misses of a missing required key at the same place:
    (path, unknown key) → (path, the required key it was meant to be)."""
    missing: dict[tuple[Any, ...], list[str]] = {}
    for error, _ in errors:
        if error.validator == "required":
            missing.setdefault(tuple(error.absolute_path), []).append(missing_key(error))
    found: dict[tuple[tuple[Any, ...], str], tuple[tuple[Any, ...], str]] = {}
    for error, _ in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and path in missing:
            unknown = extras(error)
            for extra in unknown:
                guess = difflib.get_close_matches(extra, missing[path], n=1, cutoff=0.6)
                if not guess and len(unknown) == 1 and len(missing[path]) == 1:
                    guess = missing[path]  # one key too many, one too few: a rename
                if guess and (path, guess[0]) not in found.values():
                    found[(path, extra)] = (path, guess[0])
    return found


def _tidy(found: list[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per mistake: a bad date is a format problem, not also a pattern one."""
    formats = {(d.file, d.pointer) for d in found if d.check == "schema.format"}
    return [d for d in found
            if not (d.check == "schema.pattern" and (d.file, d.pointer) in formats)]
