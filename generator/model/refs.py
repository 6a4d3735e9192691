"""References between elements: an id one element writes that another defines.

Each kind declares the references its elements make (:class:`Ref`, with the place
it is written) and the id spaces it defines; the reference check resolves every
reference against them (``ref.unknown-<target>``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.diagnostics import join_pointer
from generator.model.core import Loc
from generator.model.model import Model


def at(model: Model, loc: Loc, *tokens: str | int, key: bool = False) -> Loc:
    """The location of a field inside the element at ``loc`` (e.g. its ``next``);
    with ``key``, of the field's key rather than its value.

    Falls back to the nearest ancestor the source map knows, so a finding never
    loses its line."""
    pointer = join_pointer(loc.pointer, *tokens)
    doc = model.documents.get(loc.file)
    if doc is None:
        return loc
    line, column = doc.at(pointer, key=key)
    return Loc(loc.file, line, column, pointer)


@dataclass(frozen=True, slots=True)
class Ref:
    kind: str
    """The id space the target belongs to (a :class:`~generator.kinds.registry.Target`)."""
    target: str
    base: Loc
    """The element the reference is written in; ``tokens`` lead to the field."""
    tokens: tuple[str | int, ...]
    what: str
    """The referring field, as the sentence names it (e.g. ``环节 x 的执行岗位``)."""
    flow: str = ""
    """For steps that must belong to one flow."""
    step: str = ""
    """For outcomes: the decision step that must have it."""
    key: bool = False
    """Point at the mapping key (a case's choice is keyed by step id)."""

    def loc(self, model: Model) -> Loc:
        """Resolved only for references that are reported: most resolve fine."""
        return at(model, self.base, *self.tokens, key=self.key)


def many(kind: str, ids: tuple[str, ...], loc: Loc, field: str, what: str,
         flow: str = "") -> Iterator[Ref]:
    """One reference per id of a list field."""
    for i, target in enumerate(ids):
        yield Ref(kind, target, loc, (field, i), what, flow=flow)
