"""What the plugin keeps between ``mkdocs serve`` rebuilds, beyond its own pages.

A rebuild re-reads mkdocs.yml, so mkdocs makes a new theme environment (Material's
templates are compiled again) and the search plugin segments every page's Chinese
text with jieba again, although almost all of it is unchanged. Both results only
depend on their input, so the plugin keeps them in memory for the next rebuild.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates by name and source checksum (Jinja checks the checksum)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_original_cut: Callable[..., Iterator[str]] | None = None


def memoize_jieba(maxsize: int = 1 << 16) -> bool:
    """Make ``jieba.cut`` remember its answers (the search plugin calls it once per run
    of Han characters, on every page, on every build). Returns whether jieba is there."""
    global _original_cut
    try:
        import jieba
    except ImportError:
        return False
    if _original_cut is not None:
        return True
    original = jieba.cut
    _original_cut = original

    @functools.lru_cache(maxsize=maxsize)
    def cut_tuple(sentence: Any, cut_all: bool, HMM: bool, use_paddle: bool) -> tuple[str, ...]:
        return tuple(original(sentence, cut_all, HMM, use_paddle))

    def cut(sentence: Any, cut_all: bool = False, HMM: bool = True,
            use_paddle: bool = False) -> Iterator[str]:
        try:
            return iter(cut_tuple(sentence, cut_all, HMM, use_paddle))
        except TypeError:  # an unhashable sentence: not what the search plugin passes
            return iter(list(original(sentence, cut_all, HMM, use_paddle)))

    jieba.cut = cut
    return True
