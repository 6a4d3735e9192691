"""How reworded Chinese policy text is compared and judged."""

from __future__ import annotations

import pytest

from generator.diff.changes import Segment
from generator.diff.wording import char_diff, normalise, obligation_change


def ops(segments: tuple[Segment, ...]) -> list[tuple[str, str]]:
    return [(s.op, s.text) for s in segments]


def test_a_deleted_word_is_one_segment() -> None:
    assert ops(char_diff("了解客户的资产规模情况和基本信息", "了解客户的资产规模和基本信息")) == [
        ("=", "了解客户的资产规模"), ("-", "情况"), ("=", "和基本信息")]


def test_a_single_shared_character_between_two_edits_is_folded() -> None:
    # "一级分行审批" → "二级支行审批": 级 alone between 一→二 and 分→支 reads as noise.
    assert ops(char_diff("报一级分行审批", "报二级支行审批")) == [
        ("=", "报"), ("-", "一级分"), ("+", "二级支"), ("=", "行审批")]


def test_a_parameter_reference_is_one_unit_shown_with_each_sides_value() -> None:
    segments = char_diff("达到 {{ a }} 以上", "达到 {{ b }} 以上",
                         show_old=lambda t: "100万元" if "a" in t else t,
                         show_new=lambda t: "80万元" if "b" in t else t)
    assert ops(segments) == [("=", "达到 "), ("-", "100万元"), ("+", "80万元"),
                             ("=", " 以上")]


def test_white_space_from_folded_lines_is_not_a_change() -> None:
    assert normalise("开户前、开户中、开户后分别了解客户的资产规模与基本信息、\n  风险属性") == \
        "开户前、开户中、开户后分别了解客户的资产规模与基本信息、风险属性"
    assert normalise("达到 {{ min_financial_assets }} 的客户") == \
        "达到{{ min_financial_assets }}的客户"
    assert normalise("see  the   QA") == "see the QA"


@pytest.mark.parametrize(("old", "new", "reason"), [
    ("开户前应了解客户", "开户前应充分了解客户", ""),
    ("每名财富经理维护的客户不得超过200名", "每名财富经理维护的客户不得超过150名",
     "文中的数字有变化"),
    ("须报一级分行审批", "须报二级分行审批", "文中的数字有变化"),
    ("达到 {{ a }} 以上", "达到 {{ b }} 以上", "引用的参数有变化"),
    ("只可由财富经理办理", "可由财富经理办理", "义务用语有变化(删去 “只可”,增加 “可”)"),
    ("应当核对签名", "可以核对签名", "义务用语有变化(删去 “应当”,增加 “可以”)"),
    ("应邀到店的客户", "受邀到店的客户", ""),  # 应邀 is not 应 (shall)
    ("由财富经理核对", "由客户经理核对", "提及的岗位“客户经理”有变化"),
])
def test_obligation_change(old: str, new: str, reason: str) -> None:
    assert obligation_change(old, new, ["财富经理", "客户经理", "一级分行"]) == reason
