"""Pages a branch reads: the scoring on the step that scores, participants as the steps
show them, the scripts index for training, long rule texts folded on step pages."""

from __future__ import annotations

import functools
import re

from generator.pipeline import analyse
from generator.printables.build import plan
from generator.site.pages import LONG_RULE, render_site
from tests.conftest import POLICIES


@functools.cache
def pages() -> dict[str, str]:
    return {p.src: p.markdown for p in render_site(analyse(POLICIES).model)}


def test_the_scoring_step_shows_the_bands_and_the_overrides_from_the_questionnaire() -> None:
    model = analyse(POLICIES).model
    step = next(s for s in model.steps.values() if s.questionnaire)
    quiz = model.questionnaires[step.questionnaire]
    page = pages()[f"steps/{step.id}.md"]
    scoring = page[page.index("## 计分与定级"):]
    for lv in quiz.levels:
        assert f"**{lv.id}** | {lv.title}" in scoring
        assert f"| {lv.min_score}–{lv.max_score} |" in scoring
    for o in quiz.overrides:
        assert f'id="override-{o.id}"' in scoring
    assert f"总分 {quiz.min_score}–{quiz.max_score} 分" in scoring


def test_participants_are_the_steps_actors_and_the_source_wording_is_kept() -> None:
    model = analyse(POLICIES).model
    flow = model.flows["follow_up"]
    assert "wealth_manager" in flow.performers and flow.actors == ("branch",)
    page = pages()["flows/follow_up.md"]
    line = next(x for x in page.splitlines() if x.startswith("参与机构和岗位"))
    derived, declared = line.split("来源所列：")
    # The follow-up's steps are all the wealth manager's (the branch's monthly monitoring
    # is a flow of its own), while the deck names the branch: derived ≠ declared.
    assert set(flow.performers) == {"wealth_manager"}
    for role in flow.performers:
        assert f"role-{role}" in derived
    assert "role-branch" not in derived
    assert "role-branch" in declared and "pb-sourced" in declared
    sheet = next(p for p in plan(model) if p.id == "follow_up").doc
    assert model.roles["wealth_manager"].name in sheet.actors  # type: ignore[union-attr]
    assert sheet.declared == (model.roles["branch"].name,)  # type: ignore[union-attr]


def test_the_scripts_index_has_every_script_in_step_order_and_every_never_say() -> None:
    model = analyse(POLICIES).model
    page = pages()["scripts.md"]
    positions = [page.index(f"{{#script-{sc.id}}}") for f in model.flows.values()
                 for s in f.steps for sc in model.scripts_for(s.id)]
    assert len(positions) == len(model.scripts) and positions == sorted(positions)
    table = page[page.index("## 禁用语汇总"):]
    lines = [n for sc in model.scripts.values() for n in sc.never_say]
    assert table.count("\n| ") - 2 == len(lines)  # less the header and the rule


def test_long_rule_texts_are_folded_on_step_pages() -> None:
    model = analyse(POLICIES).model
    long_rule = next(r for r in model.rules.values() if len(r.text) > LONG_RULE)
    step = next(s for s in model.steps.values() if long_rule.id in s.rules)
    page = pages()[f"steps/{step.id}.md"]
    folds = [part.split("</details>")[0].split("</summary>")
             for part in page.split('<details class="pb-rule-text"')[1:]]
    # The rule is named in the summary and linked under it: a <summary> holds no link
    # (axe's nested-interactive, serious).
    (summary, body), = [f for f in folds if f"{long_rule.id} " in f[0]]
    assert "](" not in summary and "<a " not in summary
    assert f"#{long_rule.id})" in body
    short = next(r for r in model.rules.values()
                 if len(r.text) <= LONG_RULE and any(r.id in s.rules for s in model.steps.values()))
    step = next(s for s in model.steps.values() if short.id in s.rules)
    assert f"#{short.id})</span>：" in pages()[f"steps/{step.id}.md"]


def _script_section(page: str, script_id: str) -> str:
    start = page.index(f"{{#script-{script_id}}}")
    end = page.find("\n## ", start)
    section = page[start:end if end > 0 else None]
    nxt = section.find("\n### ", 1)
    return section[:nxt] if nxt > 0 else section


def test_scripts_show_the_rules_they_follow_on_the_index_and_the_step_page() -> None:
    model = analyse(POLICIES).model
    with_rules = [sc for sc in model.scripts.values() if sc.rules]
    assert len(with_rules) >= 15
    for sc in with_rules:
        for page in (pages()["scripts.md"], pages()[f"steps/{sc.step}.md"]):
            section = _script_section(page, sc.id)
            line = next(x for x in section.splitlines() if x.startswith("**遵守的规则：**"))
            for r in sc.rules:
                assert f"#{r})" in line and model.rules[r].title in line, (sc.id, r)


def test_a_checklist_of_several_roles_has_a_sign_off_line_per_role() -> None:
    from generator.printables.render import render_html

    model = analyse(POLICIES).model
    sheets = {p.id: p for p in plan(model)}
    front = model.checklists["front_desk_checklist"]
    roles = list(dict.fromkeys(model.roles[model.item_role(i)].name
                               for i in model.checklist_items(front)))
    assert len(roles) >= 4  # 客户经理, 财富经理, 财富中心负责人, 一级分行…
    signoff = render_html(sheets[front.id], None).split('<table class="signoff">')[1]
    lines = re.findall(r'<th>执行人<div class="signer-role">([^<]+)</div></th>', signoff)
    assert lines == roles
    one = next(c for c in model.checklists.values() if c.collect_role)
    signoff = render_html(sheets[one.id], None).split('<table class="signoff">')[1]
    assert "<th>执行人</th>" in signoff and "signer-role" not in signoff
