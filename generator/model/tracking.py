"""Which parts of a model a computation reads, and which parts two models differ in.

``policybook serve`` renders again, first, the pages an edit is likely to change. To
know them, it renders each page while :func:`recording` and keeps what the page read:
an element of a collection by its key (``("rules", <the rule's id>)``), or a whole
collection when the page went through all of it (``("rules", ALL)``). After an edit,
:func:`changes` compares the old model with the new one in the same terms, and the
pages whose reads meet the changes are the ones to render first.

This is a forecast, not a proof: what a page reads outside the model's collections
(the model's other fields are taken as read by every page) is not seen, so ``serve``
renders every other page afterwards too and writes those that changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Iterator
from dataclasses import fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.model.model import Model

ALL = "*"
"""The key that stands for a whole collection (its keys, its order, every element)."""
EVERYTHING = ("", ALL)
"""What a change outside the collections (the pack's metadata) reaches: every page."""

Read = tuple[str, Hashable]

_reads: list[set[Read]] = []
"""The open recordings, innermost last: a read is noted in each."""


@contextlib.contextmanager
def recording() -> Iterator[set[Read]]:
    """Note every read of a tracked collection until the block ends."""
    reads: set[Read] = set()
    _reads.append(reads)
    try:
        yield reads
    finally:
        _reads.pop()


def active() -> bool:
    return bool(_reads)


def note(reads: set[Read]) -> None:
    """Count ``reads`` (a computation's, remembered) as read now."""
    for open_ in _reads:
        open_.update(reads)


def _read(name: str, key: Hashable) -> None:
    for open_ in _reads:
        open_.add((name, key))


class TrackingDict(dict[Any, Any]):
    """A model collection that notes which of its elements are read."""

    __slots__ = ("name",)

    def __init__(self, name: str, items: dict[Any, Any]) -> None:
        super().__init__(items)
        self.name = name

    def __getitem__(self, key: Any) -> Any:
        if _reads:
            _read(self.name, key)
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        if _reads:
            _read(self.name, key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        if _reads:
            _read(self.name, key)
        return super().__contains__(key)

    def __iter__(self) -> Iterator[Any]:
        if _reads:
            _read(self.name, ALL)
        return super().__iter__()

    def __len__(self) -> int:
        if _reads:
            _read(self.name, ALL)
        return super().__len__()

    def keys(self) -> Any:
        if _reads:
            _read(self.name, ALL)
        return super().keys()

    def values(self) -> Any:
        if _reads:
            _read(self.name, ALL)
        return super().values()

    def items(self) -> Any:
        if _reads:
            _read(self.name, ALL)
        return super().items()


def _collections(model: Model) -> Iterator[tuple[str, dict[Any, Any]]]:
    for f in fields(model):
        value = getattr(model, f.name)
        if f.name == "extra":
            for kind, elements in value.items():
                yield f"extra.{kind}", elements
        elif isinstance(value, dict) and f.name != "kinds":
            yield f.name, value


def track(model: Model) -> Model:
    """Make ``model``'s collections note their reads (in place; returns ``model``)."""
    for f in fields(model):
        value = getattr(model, f.name)
        if f.name == "extra":
            for kind in list(value):
                if not isinstance(value[kind], TrackingDict):
                    value[kind] = TrackingDict(f"extra.{kind}", value[kind])
        elif isinstance(value, dict) and f.name != "kinds" and not isinstance(value, TrackingDict):
            setattr(model, f.name, TrackingDict(f.name, value))
    return model


def _others(model: Model) -> list[tuple[str, Any]]:
    return [(f.name, getattr(model, f.name)) for f in fields(model)
            if f.name not in ("extra", "kinds") and not isinstance(getattr(model, f.name), dict)]


@contextlib.contextmanager
def _where_ignored() -> Iterator[None]:
    """Every two :class:`Loc` equal: where an element is written is not what it says."""
    from generator.model.core import Loc

    own = Loc.__eq__
    Loc.__eq__ = lambda self, other: isinstance(other, Loc)  # type: ignore[method-assign]
    try:
        yield
    finally:
        Loc.__eq__ = own  # type: ignore[method-assign]


def changes(old: Model, new: Model, *, places: bool = True) -> set[Read]:
    """What differs between two models, as reads: each element added, removed or not
    equal, with its collection as a whole; :data:`EVERYTHING` when anything else
    differs (the metadata, target clients). Without ``places``, elements that differ
    only in where they are written (lines moved) are equal."""
    if not places:
        with _where_ignored():
            return changes(old, new)
    found: set[Read] = set()
    if _others(old) != _others(new):
        found.add(EVERYTHING)
    before = dict(_collections(old))
    after = dict(_collections(new))
    for name in before.keys() | after.keys():
        a, b = before.get(name, {}), after.get(name, {})
        keys = {k for k in dict.keys(a) ^ dict.keys(b)}
        keys |= {k for k in dict.keys(a) & dict.keys(b)
                 if dict.__getitem__(a, k) != dict.__getitem__(b, k)}
        if keys or list(dict.keys(a)) != list(dict.keys(b)):
            found.add((name, ALL))
            found.update((name, k) for k in keys)
    return found


def touched(reads: set[Read], changed: set[Read]) -> bool:
    """Whether something read (``reads``) is among what ``changed``."""
    if EVERYTHING in changed:
        return True
    return not reads.isdisjoint(changed)


_carried: dict[int, tuple[Model, Model, set[Read]]] = {}
"""The last edit (:func:`carry`): by the new model's id, the model before, the model
after, what differs."""


def carry(edits: list[tuple[Model, Model, set[Read]]]) -> None:
    """Say that each new model is its old one with what :func:`changes` found differing
    (``(old, new, changed)``, a pack each): a derivation may keep what it computed from
    the old model that read nothing that changed (:func:`carried_from`). ``policybook
    serve`` says so after each edit; the edit before is forgotten."""
    _carried.clear()
    _carried.update((id(new), (old, new, changed)) for old, new, changed in edits)


def carried_from(new: Model) -> tuple[Model, set[Read]] | None:
    """The model ``new`` was made from by the last edit, and what the edit changed."""
    found = _carried.get(id(new))
    if found is not None and found[1] is new:
        return found[0], found[2]
    return None
