"""The structure of the source deck (财富管理服务开户流程与营销话术), section by section.

Citations in the policies (``provenance: {sourced: 第二部分 四(六)3}``) must name a
section listed here; the coverage list shows, for each section, what in the pack
encodes it. The outline is transcribed from the deck's text layer: headings whose
body the deck lost are marked so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PART_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4}
NUMERAL_OF = {v: k for k, v in PART_NUMERALS.items()}


@dataclass(frozen=True, slots=True)
class Section:
    part: int
    key: str
    """The section within its part as citations write it: ``""`` for the part itself,
    ``四``, ``四(六)``, ``四(六)3``, ``(一)``."""
    heading: str
    note: str = ""
    """What survives of the body, when not everything does."""

    @property
    def citation(self) -> str:
        head = f"第{NUMERAL_OF[self.part]}部分"
        return f"{head} {self.key}" if self.key else head

    @property
    def depth(self) -> int:
        """0 for a part, 1 for 四 or (一), 2 for 四(六) or (一)3, 3 for 四(六)3."""
        key = self.key
        if not key:
            return 0
        return (not key.startswith("(")) + key.count("(") + key[-1].isdigit()


def _s(part: int, key: str, heading: str, note: str = "") -> Section:
    return Section(part, key, heading, note)


SECTIONS: tuple[Section, ...] = (
    _s(1, "", "财富管理服务目标客户标准与来源"),
    _s(1, "一", "财富管理服务目标客户"),
    _s(1, "一(一)", "财富管理服务目标客户来源", "仅存标题,正文缺失"),
    _s(1, "一(二)", "财富管理服务目标客户的挖掘与营销"),
    _s(1, "一(二)1", "存量客户数据挖掘", "仅存标题"),
    _s(1, "一(二)2", "新客户开发途径", "课件注明“略”"),
    _s(2, "", "财富管理服务开户基本规定"),
    _s(2, "一", "开户定义"),
    _s(2, "二", "财富管理服务开户工作要求"),
    _s(2, "三", "财富管理服务开户各环节名称定义"),
    _s(2, "四", "开户流程中须执行的基本制度与要求"),
    _s(2, "四(一)", "制度与要求"),
    _s(2, "四(二)", "严格执行客户准入资格审定"),
    _s(2, "四(三)", "明确规定开户人员资质"),
    _s(2, "四(四)", "了解客户"),
    _s(2, "四(五)", "实施流程管理"),
    _s(2, "四(六)", "全面维护已开户工银财富客户"),
    _s(2, "四(六)1", "配备财富经理维护,维护率100%"),
    _s(2, "四(六)2", "以开立财富卡为维护关系的基本依据"),
    _s(2, "四(六)3", "每名财富经理维护客户不超过200名"),
    _s(2, "四(七)", "给客户以尊贵体验"),
    _s(3, "", "财富管理服务开户流程概述"),
    _s(3, "(一)", "前台营销开户流程(财富中心、客户经理)", "流程图为图片,仅存标题"),
    _s(3, "(二)", "日终处理流程(财富中心、客户经理)", "流程图为图片,仅存标题"),
    _s(3, "(三)", "开户后续客户服务跟进(分行)", "流程图为图片,仅存标题"),
    _s(4, "", "财富管理服务开户详细流程及要求", "仅存标题"),
    _s(4, "(一)", "前台营销开户流程", "仅存标题"),
    _s(4, "(一)3", "前台营销开户流程", "仅存标题(共十页)"),
)

_BY_CITATION = {s.citation: s for s in SECTIONS}
_CITATION = re.compile(r"^第([一二三四])部分\s*(.*)$")


def normalise(citation: str) -> str:
    """``第二部分  四(六)3`` → ``第二部分 四(六)3`` (full-width brackets, one space)."""
    text = citation.strip().replace("(", "(").replace(")", ")").replace("、", "")
    match = _CITATION.match(text)
    if not match:
        return text
    key = re.sub(r"\s+", "", match.group(2) or "")
    return f"第{match.group(1)}部分" + (f" {key}" if key else "")


def is_below(inner: Section, outer: Section) -> bool:
    """Whether ``inner`` is a subsection of ``outer`` (四(六)3 is below 四(六) and 四)."""
    return (inner.part == outer.part and inner.key != outer.key
            and inner.key.startswith(outer.key))


def section(citation: str) -> Section | None:
    """The deck section a citation names, or ``None`` if the deck has no such section."""
    return _BY_CITATION.get(normalise(citation))


def part_of(citation: str) -> int | None:
    match = _CITATION.match(normalise(citation))
    return PART_NUMERALS[match.group(1)] if match else None
