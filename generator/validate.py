"""Library entry point of the validation stage: files in, documents and diagnostics out."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import sort_diagnostics
from generator.load import LoadResult, load_pack


def validate(path: Path) -> LoadResult:
    """Load and validate every document under ``path``; diagnostics come back sorted."""
    result = load_pack(path)
    result.diagnostics = sort_diagnostics(result.diagnostics)
    return result
