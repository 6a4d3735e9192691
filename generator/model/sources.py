"""The documents a pack encodes (``pack.yaml: sources``) and how a citation finds its
section in one of them.

A citation is written in the source's own numbering: ``第二部分 四(六)3`` in a
training deck, ``第十二条第二款`` in a regulation, ``3.2.1`` in an internal rule.
The engine knows none of these schemes: a source declares its outline (sections,
nested), and a citation names a section of that outline. Two spellings of one section
are the same citation when they differ only in width (``(`` / ``(``) or in spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import join_pointer

SOURCE_TYPES = {
    "training_deck": "培训材料",
    "regulation": "监管规定",
    "internal_rule": "内部制度",
    "other": "其他文件",
}
"""The kinds of document a source can be, with the words the handbook shows."""


def canonical(citation: str) -> str:
    """The form two spellings of one citation share: NFKC (full-width brackets and
    digits become ASCII) and no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", citation))


def squash(text: str) -> str:
    """Text as a quote is compared against its source: NFKC, no whitespace."""
    return canonical(text)


@dataclass(frozen=True, slots=True)
class Section:
    citation: str
    """As the outline writes it, e.g. ``第二部分 四(六)3``; shown in the handbook."""
    title: str
    note: str
    depth: int
    """0 for a top-level section of the outline."""
    parents: tuple[str, ...]
    """Canonical citations of the enclosing sections, outermost first."""
    pointer: str = ""
    """Where the section is written in pack.yaml."""
    line: int = 0
    column: int = 0
    covered_by: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return canonical(self.citation)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    type: str
    version: str
    file: str
    """The source's text, relative to the pack folder (optional)."""
    note: str
    sections: tuple[Section, ...]
    """The outline, flattened in document order."""
    text: str | None = None
    """The source's text when the pack has it (``file``), for the quote check."""
    _index: Mapping[str, Section] = field(default_factory=dict, compare=False, repr=False)

    @property
    def type_label(self) -> str:
        return SOURCE_TYPES.get(self.type, self.type)

    def section(self, citation: str) -> Section | None:
        return self._index.get(canonical(citation))

    def below(self, outer: Section) -> Iterator[Section]:
        """Every subsection of ``outer`` (at any depth)."""
        return (s for s in self.sections if outer.key in s.parents)

    def siblings(self, citation: str) -> list[Section]:
        """Sections a mistyped citation was probably meant to be: those that share its
        longest known enclosing section (all top-level ones if none is known)."""
        key = canonical(citation)
        best: Section | None = None
        for s in self.sections:
            if key.startswith(s.key) and key != s.key and (best is None or s.depth > best.depth):
                best = s
        if best is None:
            return [s for s in self.sections if s.depth == 0]
        return [s for s in self.sections if s.parents and s.parents[-1] == best.key]


def build_sources(raw: Sequence[Mapping[str, Any]] | None,
                  at: Callable[[str], tuple[int, int]],
                  texts: Mapping[str, str]) -> tuple[Source, ...]:
    """``pack.yaml: sources`` → sources with their flattened outline; ``at`` gives the
    line and column of a JSON pointer in pack.yaml, ``texts`` the files read with it."""
    sources = []
    for i, s in enumerate(raw or ()):
        sections: list[Section] = []
        _flatten(s.get("outline") or (), f"/sources/{i}/outline", (), sections, at)
        sources.append(Source(
            id=s["id"], title=s["title"], type=s.get("type", "other"),
            version=str(s.get("version", "")), file=s.get("file", ""), note=s.get("note", ""),
            sections=tuple(sections), text=texts.get(s.get("file", "")),
            _index={sec.key: sec for sec in reversed(sections)}))
    return tuple(sources)


def _flatten(items: Sequence[Mapping[str, Any]], pointer: str, parents: tuple[str, ...],
             out: list[Section], at: Callable[[str], tuple[int, int]]) -> None:
    for j, item in enumerate(items):
        ptr = f"{pointer}/{j}"
        line, col = at(join_pointer(ptr, "section"))
        sec = Section(item["section"], item.get("title", ""), item.get("note", ""),
                      len(parents), parents, ptr, line, col, tuple(item.get("covered_by") or ()))
        out.append(sec)
        _flatten(item.get("sections") or (), f"{ptr}/sections", (*parents, sec.key), out, at)
