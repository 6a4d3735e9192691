"""Strict, safe YAML reading that remembers where every value came from.

PyYAML's loaders accept duplicate keys (the last wins), resolve ``yes`` to
``True`` and ``2026-12-01`` to a ``date``, expand aliases without limit and
recurse without limit. Policies need the opposite, so this module builds plain
JSON-like values straight from libyaml's event stream:

* scalars are resolved with the YAML 1.2 core schema: only null, booleans,
  integers and floats are implicit; dates and everything else stay strings, so
  the JSON Schema sees what the author wrote;
* duplicate keys, anchors/aliases, custom tags, non-string keys, several
  documents in one file, nesting deeper than ``MAX_DEPTH``, tabs and bytes that
  are not UTF-8 are diagnostics at their line and column, never exceptions;
* every value's and every key's position is recorded in a :class:`SourceMap`
  keyed by JSON pointer, so later stages can point at the exact line.

The parts: :mod:`.events` (the event-driven parser), :mod:`.scalars` (the core
schema), :mod:`.problems` (the diagnostics about refused input) and
:mod:`.sourcemap` (:class:`SourceMap`, :class:`Parsed`).
"""

from __future__ import annotations

from generator.yamlload.events import parse
from generator.yamlload.problems import MAX_DEPTH, decode, read_policy
from generator.yamlload.scalars import resolve_plain
from generator.yamlload.sourcemap import Parsed, SourceMap

__all__ = ["MAX_DEPTH", "Parsed", "SourceMap", "decode", "load_bytes", "parse", "read_policy",
           "resolve_plain"]


def load_bytes(raw: bytes, file: str) -> Parsed:
    text, problem = decode(raw, file)
    if text is None:
        assert problem is not None
        return Parsed(file, None, SourceMap(), [problem])
    return parse(text, file)
