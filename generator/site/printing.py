"""What a page printed from the browser carries besides its content.

Every page of a pack gets, under its title, an empty marker whose ``data-edition``
holds the pack's title, version and effective date. ``policybook.css`` shows it only
when the page is printed (``content: attr(data-edition)``), so a printout says which
edition of the procedure it is, while the screen and the search index (which reads
text, not attributes) stay as they were. The print stylesheet does the rest: A4, no
navigation, header or search, diagrams whole on one page.
"""

from __future__ import annotations

from generator.model import Model
from generator.site.markup import attr


def edition(model: Model) -> str:
    """The marker for the pack's pages ("" for a model without a pack)."""
    meta = model.meta
    if meta is None:
        return ""
    words = (f"{model.text(meta.title)} · 版本 {meta.version} · "
             f"生效日期 {meta.effective_date.isoformat()}")
    return f'<div class="pb-edition" data-edition="{attr(words)}" aria-hidden="true"></div>'


def edition_marked(markdown: str, marker: str) -> str:
    """The page's Markdown with ``marker`` under its first line (the title), after its
    front matter if it has one (inside it, the marker would break the metadata)."""
    if not marker:
        return markdown
    front, body = "", markdown
    if body.startswith("---\n") and "\n---\n" in body[4:]:
        end = body.index("\n---\n", 4) + 5
        front, body = body[:end], body[end:].lstrip("\n")
    head, _, rest = body.partition("\n")
    return f"{front}{head}\n\n{marker}\n\n{rest.lstrip(chr(10))}"
