"""The differences between two versions of one YAML document, field by field.

Each difference is a :class:`Leaf` named twice: by its field (``steps[].title``, the
pattern a spec lists) and by its path (``steps[fd_check].title``, what a reviewer
looks for in the file). Lists of items with an ``id`` are paired by id, so moving
an item is an order change of the list (``steps@order``), not a change of every
item after it; other lists are aligned like lines of text.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import join_pointer


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The value on the side where a field is absent."""

IGNORED = frozenset({"kind", "$schema"})
"""Top-level keys that say what a document is, not what it requires."""


@dataclass(frozen=True, slots=True)
class Leaf:
    field: str
    """``steps[].title``; ``steps[]`` is a whole item, ``steps@order`` the order of
    the items (a ``changed`` leaf)."""
    path: str
    """``steps[fd_check].title``, ``steps[fd_check].actions[2]``."""
    pointer: str
    """JSON pointer on the side that has the value (the new one if both do)."""
    old: Any
    new: Any

    @property
    def action(self) -> str:
        if self.old is MISSING:
            return "added"
        return "removed" if self.new is MISSING else "changed"


def leaves(old: Any, new: Any) -> Iterator[Leaf]:
    """Every difference between two documents' data."""
    if isinstance(old, dict) and isinstance(new, dict):
        old = {k: v for k, v in old.items() if k not in IGNORED}
        new = {k: v for k, v in new.items() if k not in IGNORED}
    yield from _walk(old, new, "", "", "")


def _walk(a: Any, b: Any, field: str, path: str, pointer: str) -> Iterator[Leaf]:
    if a == b and type(a) is type(b):
        return
    if _is(a, dict) and _is(b, dict) and not (a is MISSING and b is MISSING):
        x: dict[str, Any] = {} if a is MISSING else a
        y: dict[str, Any] = {} if b is MISSING else b
        for key in (*y, *(k for k in x if k not in y)):
            yield from _walk(x.get(key, MISSING), y.get(key, MISSING),
                             f"{field}.{key}" if field else str(key),
                             f"{path}.{key}" if path else str(key), join_pointer(pointer, key))
    elif _is(a, list) and _is(b, list):
        yield from _walk_list([] if a is MISSING else a, [] if b is MISSING else b,
                              field, path, pointer)
    else:
        yield Leaf(field, path, pointer, a, b)


def _is(value: Any, kind: type) -> bool:
    return value is MISSING or isinstance(value, kind)


def _ids(items: list[Any]) -> list[str] | None:
    """The items' ids, if every item is a mapping with its own id."""
    ids = [item.get("id") for item in items if isinstance(item, dict)]
    if len(ids) != len(items) or not all(isinstance(i, str | int) for i in ids):
        return None
    keys = [str(i) for i in ids]
    return keys if len(set(keys)) == len(keys) else None


def _walk_list(a: list[Any], b: list[Any], field: str, path: str,
               pointer: str) -> Iterator[Leaf]:
    old_ids, new_ids = _ids(a), _ids(b)
    if old_ids is not None and new_ids is not None and (a or b):
        old_at = {k: i for i, k in enumerate(old_ids)}
        new_at = {k: i for i, k in enumerate(new_ids)}
        for key in (*new_ids, *(k for k in old_ids if k not in new_at)):
            i, j = old_at.get(key), new_at.get(key)
            ptr = join_pointer(pointer, j if j is not None else i if i is not None else 0)
            yield from _item(a[i] if i is not None else MISSING,
                             b[j] if j is not None else MISSING,
                             f"{field}[]", f"{path}[{key}]", ptr)
        common_old = [k for k in old_ids if k in new_at]
        common_new = [k for k in new_ids if k in old_at]
        if common_old != common_new:
            yield Leaf(f"{field}@order", f"{path}@order", pointer, common_old, common_new)
        return
    matcher = difflib.SequenceMatcher(None, [_canonical(x) for x in a],
                                      [_canonical(y) for y in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                yield from _item(a[i], b[j], f"{field}[]", f"{path}[{j}]",
                                 join_pointer(pointer, j))
            continue
        for i in range(i1, i2):
            yield Leaf(f"{field}[]", f"{path}[{i}]", join_pointer(pointer, i), a[i], MISSING)
        for j in range(j1, j2):
            yield Leaf(f"{field}[]", f"{path}[{j}]", join_pointer(pointer, j), MISSING, b[j])


def _item(a: Any, b: Any, field: str, path: str, pointer: str) -> Iterator[Leaf]:
    """A list item: added or removed whole, or compared field by field."""
    if a is MISSING or b is MISSING:
        yield Leaf(field, path, pointer, a, b)
    else:
        yield from _walk(a, b, field, path, pointer)


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def covered(leaf: Leaf, fields: Iterable[str]) -> bool:
    """Whether a spec that compares ``fields`` has looked at this difference."""
    appears = leaf.action in ("added", "removed")
    for pattern in fields:
        presence_only = pattern.endswith("?")
        pattern = pattern.rstrip("?")
        if presence_only and not appears:
            continue
        if leaf.field == pattern or (leaf.field.startswith(pattern)
                                     and leaf.field[len(pattern)] in ".[@"):
            return True
        # A spec that compares the fields of X[] reports X[] items added and removed.
        if (leaf.field.endswith("[]") and appears and not presence_only
                and pattern.startswith(leaf.field)):
            return True
    return False


def shown(value: Any) -> str:
    """A raw value as a reviewer reads it."""
    if value is MISSING:
        return ""
    if isinstance(value, str):
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 300 else text[:299] + "…"
