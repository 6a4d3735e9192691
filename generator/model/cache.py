"""Derived data computed once per model: several checks and views read the same walk
(references, the elements with their titles, table analyses, the trace matrix), and a
run handles one model at a time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from generator.model import tracking
from generator.model.model import Model

T = TypeVar("T")


def per_model(fn: Callable[[Model], T]) -> Callable[[Model], T]:
    """Compute ``fn(model)`` once for the model it last saw. While the reads of the
    model are recorded (:mod:`generator.model.tracking`), a use of the kept value counts
    as the reads that computed it (computed again once, recorded, if they were not)."""
    last: list[tuple[Model, T, set[tracking.Read] | None]] = []

    @functools.wraps(fn)
    def once(model: Model) -> T:
        if not last or last[0][0] is not model:
            if tracking.active():
                with tracking.recording() as reads:
                    last[:] = [(model, fn(model), reads)]
            else:
                last[:] = [(model, fn(model), None)]
        elif tracking.active():
            kept, value, known = last[0]
            if known is None:
                with tracking.recording() as known:
                    fn(model)
                last[:] = [(kept, value, known)]
            tracking.note(known)
        return last[0][1]

    return once
