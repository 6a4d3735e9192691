"""Consistency checks over the whole model (``policybook check``).

Each check is a small generator function registered with :func:`check`; it
receives the model and yields diagnostics. Checks never print and never stop at
the first problem. Their ids are stable: reports, tests and suppressions use them.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from generator.diagnostics import Diagnostic
from generator.model import Model

CheckFunction = Callable[[Model], Iterable[Diagnostic]]


@dataclass(frozen=True)
class CheckInfo:
    id: str
    summary: str
    """One sentence for the catalogue, SARIF rule descriptions and the handbook."""
    function: CheckFunction


REGISTRY: dict[str, CheckInfo] = {}


def check(check_id: str, summary: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(fn: CheckFunction) -> CheckFunction:
        if check_id in REGISTRY:
            raise ValueError(f"check id {check_id} registered twice")
        REGISTRY[check_id] = CheckInfo(check_id, summary, fn)
        return fn

    return register


def run_checks(model: Model) -> list[Diagnostic]:
    _load_check_modules()
    from generator.checks.refs import register_targets

    register_targets(model.kinds.targets().values())
    found: list[Diagnostic] = []
    with long_lived_heap():
        for info in REGISTRY.values():
            found.extend(info.function(model))
    return found


@contextlib.contextmanager
def long_lived_heap() -> Iterator[None]:
    """Keep the garbage collector off the objects that exist now.

    The parsed documents and the model are millions of long-lived objects on a large
    pack; otherwise every collection that building or checking triggers walks them
    all again, and the time grows faster than the pack. Nested use is harmless."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def catalog() -> dict[str, str]:
    """Check id → one-sentence summary, for every id policybook emits: the registered
    consistency checks and those of reading and validating files
    (:data:`generator.catalogue.LOADER`)."""
    _load_check_modules()
    from generator.catalogue import LOADER
    from generator.checks.refs import register_targets
    from generator.kinds import registry

    register_targets(registry().targets().values())
    found = {check_id: text.summary for check_id, text in LOADER.items()}
    found.update((info.id, info.summary) for info in REGISTRY.values())
    return found


def _load_check_modules() -> None:
    """Importing the modules registers their checks."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
