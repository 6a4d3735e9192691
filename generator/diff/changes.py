"""What a diff is made of: one :class:`Change` per thing a reviewer should see.

A change says what happened to which element (``action`` on ``kind``/``id``),
shows the old and new value as a policy owner reads them, and says whether it
is **material** (it changes an obligation) or **editorial**, and why.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import Literal

from generator.model import Loc

Op = Literal["=", "-", "+"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of characters that both texts share (``=``), or only the old (``-``)
    or the new one (``+``) has."""

    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    group: str
    """Where the change is reported: ``parameters``, ``roles``, ``rules``, ``pack``,
    ``flow:<id>``, ``decision_table:<id>``, ``questionnaire:<id>``, ``form:<id>``,
    ``checklist:<id>``, ``script:<id>``, ``glossary``, ``cases``, ``target_clients``."""
    kind: str
    """The element kind, e.g. ``parameter``, ``step``, ``outcome``, ``form_field``."""
    id: str
    """The element's id; nested elements use ``parent/child`` (``eligibility/row_1``)."""
    title: str
    """The element's name as the handbook shows it."""
    action: str
    """``added``, ``removed``, ``changed``, ``reworded``, ``moved``, ``reassigned``,
    ``retargeted``, ``adopted``, ``unadopted``."""
    _: KW_ONLY
    material: bool
    reason: str
    """Why it is material or editorial, in a sentence a policy owner reads."""
    aspect: str = ""
    """The attribute that changed, e.g. ``取值``, ``执行岗位``, ``正文``."""
    old: str = ""
    new: str = ""
    wording: tuple[Segment, ...] = ()
    """A character-level diff for reworded text."""
    elements: tuple[tuple[str, str], ...] = ()
    """(kind, id) of the elements whose printed or published form changes;
    :mod:`generator.diff.impact` maps them to PDFs and pages."""
    loc: Loc | None = None
    """Where the element is defined (in the new pack; the old one if removed)."""
    steps: tuple[str, ...] = field(default=())
    """Flow steps this change touches (for the flow diagram's styling)."""

    @property
    def significance(self) -> str:
        return "material" if self.material else "editorial"


ACTION_LABELS = {
    "added": "新增",
    "removed": "删除",
    "changed": "修改",
    "reworded": "改写",
    "moved": "调整位置",
    "reassigned": "改派",
    "retargeted": "改变去向",
    "adopted": "采纳",
    "unadopted": "改为起草",
}

def kind_label(kind: str) -> str:
    """An element kind in Chinese, as the kinds declare it (:mod:`generator.kinds`)."""
    from generator.kinds import registry

    return "政策文件" if kind == "document" else registry().element_label(kind)
