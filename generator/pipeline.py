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
    if track:
        tracking.track(model)
    maps = {doc.file: doc.source for doc in load.documents}
    analysis = Analysis(load, model, with_ends(sort_diagnostics(diagnostics), maps))
    return with_checks(analysis, track=track) if checks else analysis


def with_checks(analysis: Analysis, *, track: bool = False) -> Analysis:
    """``analysis``, made without checks, with every consistency check run on its model
    (none when its files did not validate: the model is incomplete). ``policybook
    serve`` shows an edit first and checks it after. ``track``: as :func:`analyse`."""
    if not analysis.ok:
        return analysis
    with tracking.recording() if track else contextlib.nullcontext():
        found = run_checks(analysis.model)
    maps = {doc.file: doc.source for doc in analysis.load.documents}
    return Analysis(analysis.load, analysis.model,
                    with_ends(sort_diagnostics([*analysis.diagnostics, *found]), maps))
