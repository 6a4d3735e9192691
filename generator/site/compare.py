"""Two builds of the handbook compared as a reader sees them: the same pages, and on
each page the same main text (what is inside ``<article>``, Material's and
Zensical's ``.md-content``), whitespace folded, heading permalinks (``¶``) and
scripts left out. Used to check that mkdocs and Zensical build the same site."""

from __future__ import annotations

import difflib
import re
from html.parser import HTMLParser
from pathlib import Path

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                   "meta", "source", "track", "wbr"})
_SPACE = re.compile(r"\s+")


class _Main(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.depth:
            if tag == "article":
                self.depth = 1
            return
        if tag in _VOID:
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if not self.skip and (tag in ("script", "style") or "headerlink" in classes):
            self.skip = self.depth

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or tag in _VOID:
            return
        if self.skip == self.depth:
            self.skip = 0
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


_ARTICLE = re.compile(r"<article[\s>]", re.I)
_OPENERS = (("<script", "</script"), ("<style", "</style"), ("<!--", "-->"))


def _from_article(page_html: str) -> str:
    """``page_html`` from its first ``<article`` tag: nothing before it is main text, and
    it is most of a page (the navigation lists every page). The whole page when a script,
    style sheet or comment is still open there (the ``<article`` would be its text)."""
    found = _ARTICLE.search(page_html)
    if found is None:
        return ""
    head = page_html[:found.start()].lower()
    if any(head.count(start) != head.count(end) for start, end in _OPENERS):
        return page_html
    return page_html[found.start():]


def main_text(page_html: str) -> str:
    parser = _Main()
    parser.feed(_from_article(page_html))
    return _SPACE.sub(" ", "".join(parser.parts)).strip()


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def differences(first: Path, second: Path, *, names: tuple[str, str] = ("a", "b")
                ) -> list[str]:
    """Every difference between the sites ``first`` and ``second``: a page only one
    has, or a page whose main text differs (with where it first differs)."""
    a, b = pages(first), pages(second)
    found = [f"only in {names[0]}: {p}" for p in sorted(a - b)]
    found += [f"only in {names[1]}: {p}" for p in sorted(b - a)]
    for page in sorted(a & b):
        one = main_text((first / page).read_text(encoding="utf-8"))
        two = main_text((second / page).read_text(encoding="utf-8"))
        if one == two:
            continue
        matcher = difflib.SequenceMatcher(None, one, two, autojunk=False)
        tag, i1, i2, j1, j2 = next(op for op in matcher.get_opcodes() if op[0] != "equal")
        found.append(f"{page}: {tag} {one[max(0, i1 - 30):i2 + 30]!r} → "
                     f"{two[max(0, j1 - 30):j2 + 30]!r}")
    return found
