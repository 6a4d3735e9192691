"""A Markdown extension: every task-list check box is labelled by its item's text.

``pymdownx.tasklist`` draws ``- [ ] text`` as a disabled check box in an empty
``<label>``, so a screen reader announces "check box" with no name (axe-core's
``label`` rule, WCAG 1.3.1 and 4.1.2). This extension runs right after it: the item's
text goes into a ``<span id="pb-task-N">`` and the check box gets
``aria-labelledby`` pointing there, so it is announced with the words beside it.
The page looks the same.

It is a plain Python-Markdown extension, enabled in ``mkdocs.yml``
(``markdown_extensions: - generator.site.tasklabels``), so that any engine that
renders the site's Markdown with Python-Markdown applies it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX, ETX

_PLACEHOLDER = re.compile(rf"^{STX}wzxhzdk:(\d+){ETX}")
_CHECKBOX = '<input type="checkbox"'


class TaskLabels(Treeprocessor):  # type: ignore[misc]  # markdown ships no types
    def run(self, root: etree.Element) -> None:
        count = 0
        for li in root.iter("li"):
            if "task-list-item" not in li.get("class", "").split():
                continue
            holder = li if li.text else next(iter(li), None)
            if holder is None or not holder.text:
                continue
            found = _PLACEHOLDER.match(holder.text)
            if found is None:
                continue
            index = int(found.group(1))
            stash = self.md.htmlStash.rawHtmlBlocks
            if index >= len(stash) or _CHECKBOX not in str(stash[index]):
                continue
            rest = holder.text[found.end():].lstrip(" ")
            if not rest.strip():
                continue
            count += 1
            ident = f"pb-task-{count}"
            text = etree.Element("span", {"class": "task-list-text", "id": ident})
            text.text = rest
            # Before the inline processors: the holder has no inline children yet, only
            # blocks (a nested list), which stay after the text.
            holder.text = found.group(0)
            holder.insert(0, text)
            stash[index] = str(stash[index]).replace(
                _CHECKBOX, f'{_CHECKBOX} aria-labelledby="{ident}"', 1)


class TaskLabelsExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # pymdownx.tasklist runs at 25, the inline processors at 20.
        md.treeprocessors.register(TaskLabels(md), "pb-task-labels", 24)


def makeExtension(**kwargs: Any) -> TaskLabelsExtension:
    return TaskLabelsExtension(**kwargs)
