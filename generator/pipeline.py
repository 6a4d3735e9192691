"""load → validate → model → check, as one call for every consumer
(the CLI, the mkdocs plugin, the PDF build, the diff)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.checks import long_lived_heap, run_checks
from generator.diagnostics import Diagnostic, Severity, sort_diagnostics, with_ends
from generator.kinds import Registry
from generator.load import LoadResult, ParseCache, load_pack
from generator.model import Model, build_model, tracking


@dataclass(slots=True)
class Analysis:
    load: LoadResult
    model: Model
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not any(d.severity >= Severity.ERROR for d in self.diagnostics)

    @property
    def files(self) -> int:
        return len({d.file for d in self.load.documents} | {d.file for d in self.diagnostics})


def analyse(path: Path, *, checks: bool = True,
            files: Sequence[tuple[Path, bytes]] | None = None,
            kinds: Registry | None = None, shared: Sequence[Path] = (),
            cache: ParseCache | None = None, track: bool = False) -> Analysis:
    """Validate the pack under ``path``; if it is well formed, build the model and
    (with ``checks``) run every consistency check. Diagnostics come back sorted.
    ``kinds``: the document kinds of the language (default: the built-in ones).
    ``cache``: the files' parsing kept from an earlier analysis (``policybook serve``).
    ``track``: the model notes what reads it (:mod:`generator.model.tracking`), the
    checks' shared derivations included."""
    load = load_pack(path, files=files, kinds=kinds, shared=shared, cache=cache)
    diagnostics = list(load.diagnostics)
    with long_lived_heap():
        model, build_diags = build_model(load)
    diagnostics.extend(build_diags)
    schema_ok = not any(d.severity >= Severity.ERROR for d in diagnostics)
    if track:
        tracking.track(model)
    if checks and schema_ok:
        with tracking.recording() if track else contextlib.nullcontext():
            diagnostics.extend(run_checks(model))
    maps = {doc.file: doc.source for doc in load.documents}
    return Analysis(load, model, with_ends(sort_diagnostics(diagnostics), maps))
