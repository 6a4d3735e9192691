"""Build the typed model from schema-valid documents: :func:`build_model` reads each
document with a :class:`DocumentReader` and hands it to its kind's builder
(:mod:`generator.model.builders`)."""

from __future__ import annotations

from generator.diagnostics import Diagnostic
from generator.load import LoadResult
from generator.model.builders import BUILDERS
from generator.model.core import Loc
from generator.model.model import Model
from generator.model.reader import DocumentReader


def build_model(result: LoadResult) -> tuple[Model, list[Diagnostic]]:
    """Build the model from schema-valid documents (invalid ones are skipped).

    Returns the diagnostics found while building: duplicate ids across the pack.
    """
    model = Model()
    diags: list[Diagnostic] = []
    seen: dict[tuple[str, str], Loc] = {}
    # Parameters first: decision-table bounds resolve against them.
    order = {kind: i for i, kind in enumerate(BUILDERS)}
    for doc in sorted(result.documents, key=lambda d: (order[d.kind], d.file)):
        model.files_by_kind.setdefault(doc.kind, []).append(doc.file)
        model.documents[doc.file] = doc
        if not doc.valid:
            continue
        BUILDERS[doc.kind](model, DocumentReader(doc, diags, seen), doc.data)
    return model, diags

