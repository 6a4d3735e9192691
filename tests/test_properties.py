"""Property-based tests: whatever bytes a policy file holds, the loader and validator
answer with diagnostics (or success), never with an exception.

Inputs are random text and bytes, line- and byte-level mutations of the example pack's
files (deleted, duplicated and swapped lines, tabs, flipped bytes, changed indentation),
and random JSON-like values put in place of parts of valid documents, dumped as YAML.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, POLICIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic, Severity
from generator.load import discover, load_pack
from generator.pipeline import analyse
from generator.schema import KINDS, load_schemas
from generator.yamlload import load_bytes, parse

MINIMAL = EXAMPLES / "valid" / "minimal"
PACK_FILES = {p.relative_to(MINIMAL).as_posix(): p.read_bytes() for p in discover(MINIMAL)}
# Shipped files too, while they are there: a mutation of real content finds more.
SHIPPED = {p.relative_to(POLICIES).as_posix(): p.read_bytes()
           for p in (discover(POLICIES) if POLICIES.is_dir() else [])}
SOURCES = sorted({**{f"minimal/{k}": v for k, v in PACK_FILES.items()},
                  **{f"policies/{k}": v for k, v in SHIPPED.items()}}.items())

# In CI the examples are the same on every run (a red build should be about the change
# being tested); on a developer's machine they are new each time, to keep finding bugs.
DERANDOMIZE = bool(os.environ.get("CI"))
FAST = settings(max_examples=200, deadline=None, derandomize=DERANDOMIZE,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def well_formed(d: Diagnostic, lines_in: dict[str, int]) -> None:
    """A diagnostic names a place that exists and says what to do."""
    assert d.check and "." in d.check
    assert d.message.strip() and d.hint.strip(), d
    assert d.line >= 1 and d.column >= 1, d
    if d.file in lines_in:
        assert d.line <= lines_in[d.file] + 1, d
    assert d.pointer == "" or d.pointer.startswith("/"), d


def line_count(raw: bytes) -> int:
    return raw.count(b"\n") + 1


# --- the YAML reader ----------------------------------------------------------------------------


@FAST
@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    parsed = parse(text, "t.yaml")
    for d in parsed.diagnostics:
        well_formed(d, {"t.yaml": text.count("\n") + 1})


@FAST
@given(st.binary())
def test_random_bytes_never_raise(raw: bytes) -> None:
    parsed = load_bytes(raw, "t.yaml")
    for d in parsed.diagnostics:
        well_formed(d, {"t.yaml": line_count(raw)})


YAMLISH = st.lists(st.sampled_from(
    ["a", "b", ":", ": ", "-", "- ", " ", "  ", "\t", "\n", "[", "]", "{", "}", ",", "&x ",
     "*x", "!tag ", "!!str ", "?", "'", '"', "#", "|", ">", "---", "...", "{{ p }}", "%",
     "yes", "1.0", "2026-12-01", "中文", "：", "\ufeff", "\r\n", "@", "`", "\\"]),
    max_size=60).map("".join)


@FAST
@given(YAMLISH)
def test_yaml_like_noise_never_raises(text: str) -> None:
    """Random text from YAML's own punctuation finds the parser's corner cases faster."""
    parsed = parse(text, "t.yaml")
    for d in parsed.diagnostics:
        well_formed(d, {"t.yaml": text.count("\n") + 1})
    if not parsed.diagnostics:  # what it accepts is plain JSON-like data
        json.dumps(parsed.data)


# --- mutated files in a whole pack --------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name, raw = draw(st.sampled_from(SOURCES))
    lines = raw.split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "tab", "indent", "dedent",
                                   "flip", "truncate", "shuffle", "insert"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        j = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "tab":
            lines[i] = b"\t" + lines[i]
        elif op == "indent":
            lines[i] = b" " * draw(st.integers(1, 3)) + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][draw(st.integers(1, 4)):]
        elif op == "flip":
            blob = bytearray(b"\n".join(lines))
            if blob:
                k = draw(st.integers(0, len(blob) - 1))
                blob[k] ^= 1 << draw(st.integers(0, 7))
            lines = bytes(blob).split(b"\n")
        elif op == "truncate":
            blob = b"\n".join(lines)
            lines = blob[: draw(st.integers(0, len(blob)))].split(b"\n")
        elif op == "shuffle":
            lo, hi = sorted((i, j))
            block = lines[lo:hi + 1]
            lines[lo:hi + 1] = draw(st.permutations(block))
        elif op == "insert":
            lines.insert(i, draw(YAMLISH).encode())
    return name, b"\n".join(lines)


def pack_with(name: str, raw: bytes) -> list[tuple[Path, bytes]]:
    """The minimal pack with ``name`` replaced (a shipped file is laid over it)."""
    rel = name.split("/", 1)[1]
    files = dict(PACK_FILES)
    if name.startswith("policies/"):
        rel = "shipped-" + rel.replace("/", "-")  # beside the pack's own, not instead
    files[rel] = raw
    return [(Path("pack") / k, v) for k, v in sorted(files.items())]


@FAST
@given(mutated())
def test_mutated_files_give_diagnostics_not_exceptions(case: tuple[str, bytes]) -> None:
    name, raw = case
    files = pack_with(name, raw)
    result = load_pack(Path("pack"), files=files)
    lines_in = {str(p): line_count(b) for p, b in files}
    for d in result.diagnostics:
        well_formed(d, lines_in)


@settings(max_examples=60, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_minimal_pack_survives_the_whole_analysis(case: tuple[str, bytes]) -> None:
    """Model building and every check run on whatever validation let through."""
    name, raw = case
    if not name.startswith("minimal/"):
        return
    files = pack_with(name, raw)
    analysis = analyse(Path("pack"), files=files)
    lines_in = {str(p): line_count(b) for p, b in files}
    for d in analysis.diagnostics:
        assert d.message.strip() and d.line >= 1 and d.column >= 1, d
        if d.severity >= Severity.ERROR and d.file in lines_in:
            assert d.line <= lines_in[d.file] + 1, d


# --- random values inside valid documents ---------------------------------------------------------

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**7) | st.floats(allow_nan=False)
    | st.sampled_from(["", "x", "R-ELIG", "min_assets", "opening", "2026-12-01", "yes",
                       "第二部分 四", "1.0.0", "{{ min_assets }}", "{{ nope }}", "中文"])
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "title", "type", "next", "sourced", "drafted",
                                       "items", "collect", "flow", "x"]), inner, max_size=3),
    max_leaves=8)

DOCUMENTS = sorted((k, yaml.safe_load(v)) for k, v in PACK_FILES.items())


def paths_in(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths_in(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths_in(v, (*prefix, i))
    return out


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[str, Any]:
    name, doc = draw(st.sampled_from(DOCUMENTS))
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in paths_in(doc) if p and p[0] != "kind"]
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(JSONISH)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["titel", "extra", "next", "outcomes", "options"]))] = \
                draw(JSONISH)
        else:
            parent.append(draw(JSONISH))
    return name, doc


@FAST
@given(corrupted())
def test_corrupted_documents_give_diagnostics_and_both_validators_agree(
        case: tuple[str, Any]) -> None:
    name, doc = case
    raw = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    files = [(Path("pack") / k, v) for k, v in sorted({**PACK_FILES, name: raw}.items())]
    result = load_pack(Path("pack"), files=files)
    for d in result.diagnostics:
        well_formed(d, {str(p): line_count(b) for p, b in files})
    # The Rust fast path may only skip documents the pure-Python validator finds valid.
    schemas = load_schemas()
    data = load_bytes(raw, name).data
    if isinstance(data, dict) and data.get("kind") in KINDS and schemas.fast:
        kind = data["kind"]
        python_valid = not any(True for _ in schemas.validators[kind].iter_errors(data))
        assert schemas.fast[kind].is_valid(data) == python_valid


def test_the_fast_path_is_in_use() -> None:
    """jsonschema-rs is a declared dependency; without it validation is several times slower."""
    assert set(load_schemas().fast) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_document_of_each_kind_is_explained(kind: str) -> None:
    result = load_pack(Path("pack"), files=[(Path("pack/x.yaml"), f"kind: {kind}\n".encode())])
    assert result.diagnostics
    assert all(d.check in ("schema.missing-key", "schema.no-variant", "pack.missing-pack")
               for d in result.diagnostics), result.diagnostics


@settings(max_examples=100, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(corrupted())
def test_corrupted_documents_survive_the_whole_analysis(case: tuple[str, Any]) -> None:
    """Whatever validation lets through, the model and every check cope with."""
    name, doc = case
    raw = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    files = [(Path("pack") / k, v) for k, v in sorted({**PACK_FILES, name: raw}.items())]
    for d in analyse(Path("pack"), files=files).diagnostics:
        assert d.message.strip() and d.line >= 1 and d.column >= 1, d
