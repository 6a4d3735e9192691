"""Derived data computed once per model: several checks and views read the same walk
(references, the elements with their titles, table analyses, the trace matrix), and a
run handles one model at a time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from generator.model.model import Model

T = TypeVar("T")


def per_model(fn: Callable[[Model], T]) -> Callable[[Model], T]:
    """Compute ``fn(model)`` once for the model it last saw."""
    last: list[tuple[Model, T]] = []

    @functools.wraps(fn)
    def once(model: Model) -> T:
        if not last or last[0][0] is not model:
            last[:] = [(model, fn(model))]
        return last[0][1]

    return once
