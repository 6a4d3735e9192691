"""Build the typed model from schema-valid documents: :func:`build_model` reads each
document with a :class:`DocumentReader` and hands it to its kind's builder
(:mod:`generator.model.builders`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic
from generator.load import LoadResult
from generator.model.core import Loc
from generator.model.model import Model
from generator.model.reader import DocumentReader

if TYPE_CHECKING:
    from generator.kinds.registry import Registry


def build_model(result: LoadResult, kinds: Registry | None = None
                ) -> tuple[Model, list[Diagnostic]]:
    """Build the model from schema-valid documents (invalid ones are skipped), each by
    its kind's builder, in the registry's order (``kinds``: the built-in kinds).

    Returns the diagnostics found while building: duplicate ids across the pack.
    """
    kinds = kinds if kinds is not None else result.kinds
    model = Model(kinds=kinds)
    diags: list[Diagnostic] = []
    seen: dict[tuple[str, str], Loc] = {}
    # Parameters first: decision-table bounds resolve against them.
    order = {kind: i for i, kind in enumerate(kinds)}
    for doc in sorted(result.documents, key=lambda d: (order.get(d.kind, len(order)), d.file)):
        model.files_by_kind.setdefault(doc.kind, []).append(doc.file)
        model.documents[doc.file] = doc
        if not doc.valid:
            continue
        if doc.kind in kinds:
            kinds[doc.kind].build(model, DocumentReader(doc, diags, seen), doc.data)
    return model, diags

