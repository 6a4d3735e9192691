"""Chinese terms in dictionary order: by their Hanyu Pinyin (pypinyin, which reads a word
by its phrase dictionary: 银行 yin hang, not yin xing), and the index letter each is
filed under, as a Chinese glossary or index is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from pypinyin import Style, lazy_pinyin

T = TypeVar("T")


def pinyin(text: str) -> list[str]:
    """The syllables of ``text`` without tones; letters and digits stay as they are."""
    return [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default")]


def sort_key(text: str) -> tuple[list[str], str]:
    """Pinyin syllable by syllable (一级 yi ji before 专项 zhuan xiang); the characters
    themselves break a tie between words that read alike."""
    return pinyin(text), text


def index_letter(text: str) -> str:
    """``A``–``Z`` by the first syllable (客户 → K, KYC → K); ``#`` for anything else."""
    first = "".join(pinyin(text[:1]))[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def by_letter(items: Iterable[T], text: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """``items`` in pinyin order, grouped under their index letters, ``#`` last."""
    groups: dict[str, list[T]] = {}
    for item in sorted(items, key=lambda i: sort_key(text(i))):
        groups.setdefault(index_letter(text(item)), []).append(item)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))
