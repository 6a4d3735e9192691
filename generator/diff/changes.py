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
    """The element's id; nested elements use ``parent/child`` (``limits/row_1``)."""
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

KIND_LABELS = {
    "pack": "政策包",
    "governing_document": "遵循制度",
    "principle": "原则",
    "stage": "命名环节",
    "parameter": "参数",
    "permission": "权限",
    "role": "岗位",
    "rule": "规则",
    "category": "规则类别",
    "flow": "流程",
    "step": "环节",
    "outcome": "决策结果",
    "loop": "允许的循环",
    "decision_table": "决策表",
    "decision_input": "决策输入",
    "decision_output": "决策输出",
    "decision_row": "决策规则行",
    "questionnaire": "问卷",
    "question": "问卷题目",
    "answer": "答案",
    "level": "等级分数段",
    "form": "表单",
    "form_section": "表单栏目",
    "form_field": "表单字段",
    "checklist": "检查清单",
    "checklist_item": "检查项",
    "script": "话术",
    "term": "术语",
    "case": "测试案例",
    "target_clients": "目标客户",
    "target_topic": "目标客户条目",
    "document": "政策文件",
}
