"""What the language reference says about the schemas: a kind, its fields, the shared
definitions, and their bilingual words."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TITLE = re.compile(r"^(?P<zh>\S*[^\x00-\x7f]\S*)\s+(?P<en>.+)$")
"""``执行岗位 Actor``: a Chinese half (with at least one non-ASCII character), then English."""


@dataclass(frozen=True, slots=True)
class Words:
    """A bilingual title or description, split into its halves."""

    zh: str
    en: str

    @classmethod
    def title(cls, text: object) -> Words:
        """``执行岗位 Actor`` → 执行岗位 / Actor."""
        s = str(text or "").strip()
        m = _TITLE.match(s)
        return cls(m["zh"], m["en"]) if m else cls(s, "")

    @classmethod
    def description(cls, text: object) -> Words:
        """``中文。 / English.`` → its two halves."""
        zh, _, en = str(text or "").partition(" / ")
        return cls(zh.strip(), en.strip())


@dataclass(frozen=True, slots=True)
class Field:
    path: str
    """The YAML path: ``steps[].actor`` (``[]`` an item of a list, ``*`` any key)."""
    depth: int
    title: Words
    description: Words
    type: str
    """The type in words (``文字``, ``映射列表``); after :attr:`shared` when there is one."""
    shared: str
    """The ``common.schema.json`` definition the field is (``ref``, ``text``…), or ""."""
    required: str
    """``必填``, ``选填`` or when it is required (``type 为 decision 时必填``)."""
    values: tuple[str, ...]
    """The allowed values of an enum or const, as written in YAML."""
    limits: tuple[str, ...]
    """Other constraints in words: pattern, counts, ranges, uniqueness."""
    variants: tuple[str, ...] = ()
    """The alternatives (oneOf) this field belongs to, when not to all of them."""


@dataclass(frozen=True, slots=True)
class SharedType:
    """A definition of ``common.schema.json`` that fields refer to by name."""

    name: str
    title: Words
    description: Words
    type: str
    shared: str
    """Another shared definition this one is made of (``refs`` are ``ref`` items)."""
    values: tuple[str, ...]
    limits: tuple[str, ...]
    fields: list[Field]


@dataclass(frozen=True, slots=True)
class KindDoc:
    """One document kind: its schema's words, where its files live, its fields, an example."""

    kind: str
    title: Words
    description: Words
    location: str
    """Where the files are: ``flows/*.yaml`` or ``pack.yaml``."""
    per_file: bool
    """True when each file is one element (a flow, a form…); False for one file per pack."""
    fields: list[Field]
    example: str
    """The schema's example document as YAML, with the editor modeline."""
