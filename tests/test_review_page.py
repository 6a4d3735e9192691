"""The 待审定内容 page: every drafted element under the decision it belongs to, the
same count sentence as the home page, and new drafted content listed without an edit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.pipeline import analyse
from generator.site.links import Links
from generator.site.pages import render_site
from generator.site.review import decisions, draft_counts
from generator.trace import build_matrix
from tests.conftest import EXAMPLES, POLICIES

PACK = POLICIES


def pages(path: Path) -> dict[str, str]:
    return {p.src: p.markdown for p in render_site(analyse(path).model)}


def test_every_drafted_element_is_in_exactly_one_decision() -> None:
    model = analyse(PACK).model
    found = decisions(model, Links("review.md", model, frozenset(), directory_urls=False),
                      {r.rule: r for r in build_matrix(model)})
    drafted = [(k, key) for k, key, prov, _ in model.elements() if prov.drafted]
    items = [i.where for d in found for i in d.items]
    assert len(items) == len(drafted) == draft_counts(model).drafted
    assert len(found) == draft_counts(model).decisions
    assert [d.number for d in found] == list(range(1, len(found) + 1))
    conduct = next(d for d in found if d.title.startswith("R-CONDUCT "))
    assert any("fd11" in x for x in conduct.implemented_by)  # the rule and what implements it
    assert conduct.tested_by
    # elements that follow their checklist's note are in the checklist's decision
    checklist = next(d for d in found if d.section == "检查清单" and "前台" in d.title)
    assert sum(i.inherited for i in checklist.items) > 10


def test_home_and_review_state_the_counts_in_the_same_words() -> None:
    got = pages(PACK)
    sentence = re.search(r"目前共有 \d+ 项起草内容，归为 \d+ 个待审定事项：[^。]+。",
                         got["review.md"])
    assert sentence and sentence.group(0) in got["index.md"]
    c = draft_counts(analyse(PACK).model)
    assert f"目前共有 {c.drafted} 项起草内容，归为 {c.decisions} 个待审定事项" in sentence.group(0)
    assert "项目" not in got["review.md"].split("关于《")[0]  # no words about the project


def test_a_new_drafted_rule_lands_on_the_page_as_its_own_decision(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES / "valid" / "minimal", pack)
    rules = pack / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + (
        "  - id: R-NEW\n    title: 新起草的要求\n    text: 新的要求。\n"
        "    category: kyc\n    provenance:\n"
        "      drafted: 新起草的要求，请负责部门决定是否采纳。\n"), encoding="utf-8")
    before = pages(EXAMPLES / "valid" / "minimal")["review.md"]
    after = pages(pack)["review.md"]
    assert "新起草的要求，请负责部门决定是否采纳。" not in before
    heading = re.search(r"### 事项 (\d+)：规则 R-NEW 新起草的要求", after)
    assert heading and heading.group(1) == "1"  # rules come first
