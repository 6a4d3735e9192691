"""``policybook diff``: what a reviewer sees for each kind of policy change.

Every test builds a throw-away git repository holding a copy of the trimmed pack
in tests/examples/diff/pack, commits a change as a policy owner would, and reads
the report between the two commits.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, POLICIES, Run, run_cli

PACK = EXAMPLES / "diff" / "pack"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Policy Owner", "GIT_AUTHOR_EMAIL": "owner@example.com",
    "GIT_COMMITTER_NAME": "Policy Owner", "GIT_COMMITTER_EMAIL": "owner@example.com",
    "GIT_AUTHOR_DATE": "2026-11-01T10:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-11-01T10:00:00+08:00",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


class PackRepo:
    """A git repository with the pack in policies/, driven like a policy owner would."""

    def __init__(self, root: Path, pack: Path = PACK) -> None:
        self.root = root
        self.policies = root / "policies"
        shutil.copytree(pack, self.policies)
        self.git("init", "-q", "-b", "main")
        self.commit("基准版本")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True,
                              check=True)
        return done.stdout.strip()

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.policies / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{rel}: expected exactly one {old!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def commit(self, message: str) -> str:
        self.git("add", "-A", ".")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def diff(self, *args: str) -> Run:
        return run_cli("diff", *args)

    def json(self, *args: str) -> dict[str, Any]:
        run = self.diff(*args, "--format", "json")
        assert run.code in (0, 1), run.err
        data: dict[str, Any] = json.loads(run.out)
        return data

    def markdown(self, *args: str) -> list[str]:
        run = self.diff(*args)
        assert run.code in (0, 1), run.err
        return run.out.splitlines()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PackRepo]:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    yield PackRepo(tmp_path)


def summary(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(kind, id, action, significance) of every change, in report order."""
    return [(c["kind"], c["id"], c["action"], c["significance"]) for c in report["changes"]]


def documents(report: dict[str, Any]) -> dict[str, str]:
    return {d["path"]: d["status"] for d in report["documents"]}


# --- the changes a policy owner makes, one commit each ------------------------------------

def lower_threshold(r: PackRepo) -> None:
    r.edit("parameters.yaml", "value: 1000000", "value: 800000")


def remove_approval_request(r: PackRepo) -> None:
    flow = (r.policies / "flows/front-desk.yaml").read_text(encoding="utf-8")
    start = flow.index("  - id: request_approval")
    end = flow.index("  - id: approval_decision")
    flow = flow[:start] + flow[end:]
    flow = flow.replace("        next: request_approval", "        next: approval_decision")
    (r.policies / "flows/front-desk.yaml").write_text(flow, encoding="utf-8")


def assess_risk_before_kyc(r: PackRepo) -> None:
    flow = "flows/front-desk.yaml"
    r.edit(flow, "    next: kyc_application", "    next: conduct_risk_assessment")
    r.edit(flow, "    rules: [R-KYC-BEFORE, R-STAFF]\n    next: conduct_risk_assessment",
           "    rules: [R-KYC-BEFORE, R-STAFF]\n    next: issue_card")
    r.edit(flow, "    rules: [R-KYC-DURING]\n    next: issue_card",
           "    rules: [R-KYC-DURING]\n    next: kyc_application")


def manager_assigns_himself(r: PackRepo) -> None:
    r.edit("flows/front-desk.yaml", "    title: 指定维护财富经理\n    actor: centre_supervisor",
           "    title: 指定维护财富经理\n    actor: wealth_manager")


def reword_kyc_rule(r: PackRepo) -> None:
    r.edit("rules.yaml", "开户前应充分了解客户的资产规模情况和基本信息。",
           "开户前应充分了解客户的资产规模和基本信息。")


def add_form_fields(r: PackRepo) -> None:
    r.edit("forms/account-application.yaml", "        rules: [R-ELIG]\n",
           "        rules: [R-ELIG]\n"
           "      - id: source_of_funds\n"
           "        label: 资金来源\n"
           "        type: textarea\n"
           "        required: true\n"
           "        filled_at: kyc_application\n"
           "      - id: referrer\n"
           "        label: 推荐人\n"
           "        type: text\n"
           "        required: false\n"
           "        filled_at: receive_client\n")


def adopt_approval_decision(r: PackRepo) -> None:
    r.edit("flows/front-desk.yaml",
           "    provenance:\n      drafted: 决策点由项目起草,审批权限引自课件。\n"
           "      based_on: 第二部分 四(二)\n",
           "    provenance:\n      sourced: 第二部分 四(二)\n")


SEQUENCE = [
    ("下调准入门槛", lower_threshold, [
        ("parameter", "min_financial_assets", "changed", "material"),
        ("decision_table", "eligibility", "changed", "material")]),
    ("取消报批环节", remove_approval_request, [
        ("step", "request_approval", "removed", "material")]),
    ("先做风险评估", assess_risk_before_kyc, [
        ("step", "kyc_application", "moved", "material"),
        ("step", "conduct_risk_assessment", "moved", "material")]),
    ("财富经理自行指定维护关系", manager_assigns_himself, [
        ("step", "assign_manager", "reassigned", "material"),
        ("checklist_item", "front_desk_checklist/fdc_manager", "reassigned", "material")]),
    ("规则措辞", reword_kyc_rule, [
        ("rule", "R-KYC-BEFORE", "reworded", "editorial")]),
    ("开户申请表新增字段", add_form_fields, [
        ("form_field", "account_application/source_of_funds", "added", "material"),
        ("form_field", "account_application/referrer", "added", "editorial")]),
    ("采纳起草的审批决策点", adopt_approval_decision, [
        ("step", "approval_decision", "adopted", "material")]),
]


def test_each_commit_of_a_history_is_classified(repo: PackRepo) -> None:
    """A branch of seven commits; the report between each commit and its parent lists
    exactly the change that commit made, with its classification."""
    for message, change, expected in SEQUENCE:
        change(repo)
        repo.commit(message)
        report = repo.json("HEAD~1", "HEAD")
        assert summary(report) == expected, message
    whole = repo.json(f"HEAD~{len(SEQUENCE)}", "HEAD")
    assert {(k, i) for k, i, _, _ in summary(whole)} >= {
        (k, i) for _, _, expected in SEQUENCE for k, i, _, _ in expected}


def test_threshold_change_is_material_and_reaches_every_document_that_cites_it(
        repo: PackRepo) -> None:
    lower_threshold(repo)
    repo.commit("下调准入门槛")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- **【实质】** 参数 **客户准入金融资产标准** `min_financial_assets` "
            "修改取值:100万元 → 80万元 — *门槛降低(放宽)*") in lines
    assert "> **2 项实质性变更**:改变了门槛、准入条件、办理岗位、必经环节或其顺序、决策结果、" \
        "必填字段或内容的采纳状态。合并前须经政策负责人批准。" in lines
    docs = documents(repo.json("HEAD~1", "HEAD"))
    # The form's hint, the checklist item, the decision table and the rule cite it...
    for path in ("build/pdf/forms/account_application.pdf",
                 "build/pdf/checklists/front_desk_checklist.pdf",
                 "build/pdf/checklists/wealth_manager_checklist.pdf",
                 "decisions/eligibility/", "rules/", "steps/issue_card/"):
        assert docs[path] == "changed", path
    # ...the supervisor's checklist has no item that does.
    assert "build/pdf/checklists/supervisor_checklist.pdf" not in docs


def test_threshold_change_shows_whose_eligibility_changes(repo: PackRepo) -> None:
    """The rows are written with the parameter, so no row changed; but clients from
    80万元 up to (not including) 100万元 are now eligible without approval."""
    lower_threshold(repo)
    repo.commit("下调准入门槛")
    changes = repo.json("HEAD~1", "HEAD")["changes"]
    assert {c["kind"] for c in changes} == {"parameter", "decision_table"}
    effect = changes[1]
    assert (effect["aspect"], effect["reason"]) == ("审定结果", "同样的情况得到不同的审定结果")
    assert effect["new"] == (
        "客户在本行的金融资产合计 = 80万元:未达标,须报一级分行审批 → 达标,可以开户;"
        "客户在本行的金融资产合计 介于 80万元 与 100万元 之间:未达标,须报一级分行审批 → "
        "达标,可以开户")


def test_removed_step_says_where_it_was_and_its_neighbours_do_not_move(
        repo: PackRepo) -> None:
    remove_approval_request(repo)
    repo.commit("取消报批环节")
    report = repo.json("HEAD~1", "HEAD")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- **【实质】** 环节 **报一级分行审批** `request_approval` 删除:"
            "原位于 “审定客户准入资格” 之后,由财富中心负责人办理 — *删去了一个环节*") in lines
    assert documents(report)["steps/request_approval/"] == "removed"
    assert documents(report)["build/pdf/flows/front_desk.pdf"] == "changed"
    diagram = report["diagrams"][0]
    assert diagram["flow"] == "front_desk"
    removed_node = next(line.split("[")[0].strip() for line in diagram["mermaid"].splitlines()
                        if "报一级分行审批" in line)
    assert f"  class {removed_node} removed" in diagram["mermaid"].splitlines()
    # The transitions into and out of it are gone: drawn dashed.
    assert re.search(rf'n\d+ -\.->\|"未达标,须报一级分行审批"\| {removed_node}$',
                     diagram["mermaid"], re.M)
    assert re.search(rf"^  {removed_node} -\.-> n\d+$", diagram["mermaid"], re.M)


def test_reordered_steps_are_moved_with_their_old_and_new_predecessors(repo: PackRepo) -> None:
    assess_risk_before_kyc(repo)
    repo.commit("先做风险评估")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- **【实质】** 环节 **了解客户信息,填写开户申请** `kyc_application` 调整位置:"
            "在 “财富管理服务营销推介” 之后 → 在 “进行风险评估” 之后"
            " — *环节的先后顺序改变*") in lines
    assert ("- **【实质】** 环节 **进行风险评估** `conduct_risk_assessment` 调整位置:"
            "在 “了解客户信息,填写开户申请” 之后 → 在 “财富管理服务营销推介” 之后"
            " — *环节的先后顺序改变*") in lines
    # issue_card still comes after both: it did not move.
    assert not any("`issue_card`" in line for line in lines if line.startswith("- "))
    assert "```mermaid" in lines


def test_reassigned_step_moves_its_checklist_items_between_role_checklists(
        repo: PackRepo) -> None:
    manager_assigns_himself(repo)
    repo.commit("财富经理自行指定维护关系")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- **【实质】** 环节 **指定维护财富经理** `assign_manager` 改派执行岗位:"
            "财富中心负责人 → 财富经理 — *由谁办理改变*") in lines
    assert ("- **【实质】** 检查项 **已在系统中建立维护关系。** `front_desk_checklist/fdc_manager` "
            "改派检查岗位:财富中心负责人 → 财富经理 — *随所在环节改派,由谁检查改变*") in lines
    docs = documents(repo.json("HEAD~1", "HEAD"))
    assert docs["build/pdf/checklists/supervisor_checklist.pdf"] == "changed"
    assert docs["build/pdf/checklists/wealth_manager_checklist.pdf"] == "changed"
    # A re-assignment does not change the flow's shape: no diagram.
    assert "```mermaid" not in lines


def test_wording_only_change_is_editorial_with_a_character_diff(repo: PackRepo) -> None:
    reword_kyc_rule(repo)
    repo.commit("规则措辞")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- 【文字】 规则 **开户前了解客户** `R-KYC-BEFORE` 改写正文:"
            "开户前应充分了解客户的资产规模<del>情况</del>和基本信息。"
            " — *措辞修改,未改变数字、参数、单位、否定、义务用语或岗位*") in lines
    assert "> 只有 1 项文字性变更,不改变任何义务。" in lines
    assert repo.diff("HEAD~1", "HEAD", "--fail-on", "material").code == 0
    assert repo.diff("HEAD~1", "HEAD", "--fail-on", "any").code == 1


def test_rewording_that_drops_an_obligation_word_is_material(repo: PackRepo) -> None:
    repo.edit("rules.yaml", "财富管理服务只可由工银财富中心", "财富管理服务可由工银财富中心")
    repo.commit("放宽开户人员要求")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["action"], change["significance"]) == ("reworded", "material")
    assert change["reason"] == "义务用语有变化(删去 “只可”,增加 “可”)"
    assert change["wording"] == [
        {"op": "=", "text": "财富管理服务"}, {"op": "-", "text": "只"},
        {"op": "=",
         "text": "可由工银财富中心的财富经理按开户流程,营销、发展客户并为客户办理开户。"}]


def test_rewording_that_names_another_role_is_material(repo: PackRepo) -> None:
    repo.edit("flows/front-desk.yaml", "      - 财富中心负责人审核申请理由",
              "      - 财富经理审核申请理由")
    repo.commit("改由财富经理审核")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["aspect"], change["significance"]) == ("操作要点", "material")
    assert change["reason"] == "提及的岗位“财富中心负责人”有变化"


def test_new_form_fields_required_is_material_optional_is_editorial(repo: PackRepo) -> None:
    add_form_fields(repo)
    repo.commit("开户申请表新增字段")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- **【实质】** 表单字段 **资金来源** `account_application/source_of_funds` 新增:"
            "必填,在“了解客户信息,填写开户申请”填写 — *必填字段改变*") in lines
    assert ("- 【文字】 表单字段 **推荐人** `account_application/referrer` 新增:"
            "选填,在“接待客户、识别目标客户”填写 — *选填字段,不改变义务*") in lines
    assert documents(repo.json("HEAD~1", "HEAD"))[
        "build/pdf/forms/account_application.pdf"] == "changed"


def test_optional_field_made_required_is_material(repo: PackRepo) -> None:
    repo.edit("forms/account-application.yaml",
              "        type: phone\n        required: false",
              "        type: phone\n        required: true")
    repo.commit("联系电话改为必填")
    assert summary(repo.json("HEAD~1", "HEAD")) == [
        ("form_field", "account_application/phone", "changed", "material")]


def test_adopting_drafted_content_is_material_and_changes_the_review_page(
        repo: PackRepo) -> None:
    adopt_approval_decision(repo)
    repo.commit("采纳起草的审批决策点")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- **【实质】** 环节 **一级分行是否批准** `approval_decision` 采纳(来源):"
            "起草(依据 第二部分 四(二)) → 出处 第二部分 四(二)"
            " — *起草内容被采纳为依据来源文件的正式要求*") in lines
    assert documents(repo.json("HEAD~1", "HEAD"))["review/"] == "changed"


def test_decision_outcome_sent_elsewhere_is_retargeted(repo: PackRepo) -> None:
    repo.edit("flows/front-desk.yaml",
              "        title: 未达标,须报一级分行审批\n        next: request_approval",
              "        title: 未达标,须报一级分行审批\n        next: fd_end_refused")
    repo.commit("未达标直接拒绝")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- **【实质】** 决策结果 **审定客户准入资格:未达标,须报一级分行审批** "
            "`eligibility_check/approval_required` 改变去向:“报一级分行审批” → “不予开户”"
            " — *决策结果之后要做的事改变*") in lines
    assert ("- **【实质】** 环节 **报一级分行审批** `request_approval` 调整位置:"
            "在 “审定客户准入资格” 之后 → 没有前序环节(无法到达) — *环节的先后顺序改变*") in lines


def test_new_decision_outcome_is_material(repo: PackRepo) -> None:
    repo.edit("flows/front-desk.yaml",
              "      - id: refused\n        title: 不批准\n        next: fd_end_refused\n",
              "      - id: refused\n        title: 不批准\n        next: fd_end_refused\n"
              "      - id: more_information\n        title: 补充材料\n"
              "        next: request_approval\n")
    repo.commit("审批可要求补充材料")
    assert summary(repo.json("HEAD~1", "HEAD")) == [
        ("outcome", "approval_decision/more_information", "added", "material")]


def test_decision_table_row_condition_change_is_material(repo: PackRepo) -> None:
    repo.edit("decisions/eligibility.yaml", "{ gte: min_financial_assets }",
              "{ gt: min_financial_assets }")
    repo.edit("decisions/eligibility.yaml", "{ lt: min_financial_assets }",
              "{ lte: min_financial_assets }")
    repo.commit("恰好达标的客户须报批")
    lines = repo.markdown("HEAD~1", "HEAD")
    assert ("- **【实质】** 决策表 **客户准入资格审定** `eligibility` 修改审定结果:"
            "客户在本行的金融资产合计 = 100万元:达标,可以开户 → 未达标,须报一级分行审批"
            " — *同样的情况得到不同的审定结果*") in lines
    assert ("- **【实质】** 决策行 `eligibility/assets_meet_standard` 修改条件与结果:"
            "当 客户在本行的金融资产合计 ≥ 100万元 时:达标,可以开户 → "
            "当 客户在本行的金融资产合计 &gt; 100万元 时:达标,可以开户 — *条件或结果改变*") in lines
    assert ("- **【实质】** 决策行 `eligibility/below_standard` 修改条件与结果:"
            "当 客户在本行的金融资产合计 &lt; 100万元 时:未达标,须报一级分行审批 → "
            "当 客户在本行的金融资产合计 ≤ 100万元 时:未达标,须报一级分行审批"
            " — *条件或结果改变*") in lines


def test_questionnaire_band_change_is_material(repo: PackRepo) -> None:
    repo.edit("questionnaires/risk-assessment.yaml", "min_score: 3, max_score: 5",
              "min_score: 3, max_score: 4")
    repo.edit("questionnaires/risk-assessment.yaml", "min_score: 6, max_score: 8",
              "min_score: 5, max_score: 8")
    repo.commit("进取型分数段下调")
    assert summary(repo.json("HEAD~1", "HEAD")) == [
        ("level", "risk_assessment/C3", "changed", "material"),
        ("level", "risk_assessment/C5", "changed", "material")]
    assert ("- **【实质】** 等级分数段 **C5 进取型** `risk_assessment/C5` 修改分数段:"
            "6–8 分 → 5–8 分 — *等级的分数段改变*") in repo.markdown("HEAD~1", "HEAD")


def test_answer_score_change_is_material(repo: PackRepo) -> None:
    repo.edit("questionnaires/risk-assessment.yaml", "{ id: b, text: 不足5年, score: 2 }",
              "{ id: b, text: 不足5年, score: 1 }")
    repo.commit("调整分值")
    assert summary(repo.json("HEAD~1", "HEAD")) == [
        ("answer", "risk_assessment/q02_experience/b", "changed", "material")]


def test_checklist_items_added_and_reworded(repo: PackRepo) -> None:
    repo.edit("checklists/front-desk.yaml", "    text: 开户申请表已填写完整,客户已签名。",
              "    text: 开户申请表已逐项填写完整,客户已签名。")
    repo.edit("checklists/front-desk.yaml", "  - id: fdc_manager\n",
              "  - id: fdc_card\n    text: 工银财富卡已由客户本人签收。\n    step: issue_card\n"
              "  - id: fdc_manager\n")
    repo.commit("清单")
    assert summary(repo.json("HEAD~1", "HEAD")) == [
        ("checklist_item", "front_desk_checklist/fdc_card", "added", "material"),
        ("checklist_item", "front_desk_checklist/fdc_application", "reworded", "editorial")]


def test_scripts_guidance_is_editorial_but_never_say_is_material(repo: PackRepo) -> None:
    repo.edit("scripts/present-service.yaml", "  - 专属财富经理一对一服务。",
              "  - 专属财富经理为您提供一对一服务。")
    repo.edit("scripts/present-service.yaml", "never_say:\n  - 保证收益。\n",
              "never_say:\n  - 保证收益。\n  - 保本保息。\n")
    repo.commit("话术")
    assert summary(repo.json("HEAD~1", "HEAD")) == [
        ("script", "present_service_script", "added", "material"),
        ("script", "present_service_script", "reworded", "editorial")]


def test_the_rules_a_script_follows_are_compared_and_editorial(repo: PackRepo) -> None:
    repo.edit("scripts/present-service.yaml", "never_say:\n  - 保证收益。\n",
              "never_say:\n  - 保证收益。\nrules: [R-STAFF]\n")
    repo.commit("话术所依据的规则")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["kind"], change["aspect"], change["significance"], change["new"]) == (
        "script", "依据规则", "editorial", "R-STAFF")


def test_rule_constraint_change_is_material(repo: PackRepo) -> None:
    repo.edit("rules.yaml", "              - { step: approval_decision, outcome: granted }\n", "")
    repo.edit("rules.yaml", "          - any_of:\n              - { step: eligibility_check, "
              "outcome: eligible }\n",
              "          - { step: eligibility_check, outcome: eligible }\n")
    repo.commit("只有达标客户可以开户")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["kind"], change["aspect"], change["significance"]) == (
        "rule", "路径约束", "material")
    assert change["new"] == "front_desk 到达 issue_card 前须依次经过 eligibility_check→eligible"


def test_a_renamed_rule_category_is_editorial(repo: PackRepo) -> None:
    repo.edit("rules.yaml", "  - { id: staff, title: 人员资质 }\n",
              "  - { id: staff, title: 办理人员资质 }\n")
    repo.commit("类别改名")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["kind"], change["id"], change["significance"], change["new"]) == (
        "category", "staff", "editorial", "办理人员资质")


def test_role_permission_change_is_material(repo: PackRepo) -> None:
    repo.edit("roles.yaml", "    permissions: [refer_client]\n",
              "    permissions: [refer_client, open_account]\n")
    repo.commit("客户经理也可开户")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["kind"], change["id"], change["significance"], change["new"]) == (
        "role", "client_manager", "material", "营销、发展客户并办理开户")


# --- sides: work tree, folders, revisions without policies, errors ---------------------------


def test_default_head_is_the_work_tree(repo: PackRepo) -> None:
    lower_threshold(repo)  # not committed
    assert summary(repo.json("HEAD"))[0] == (
        "parameter", "min_financial_assets", "changed", "material")
    assert repo.json("HEAD")["head"]["label"] == "工作区"


def test_two_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(PACK, tmp_path / "old")
    shutil.copytree(PACK, tmp_path / "new")
    (tmp_path / "new/parameters.yaml").write_text(
        (tmp_path / "new/parameters.yaml").read_text(encoding="utf-8")
        .replace("value: 200", "value: 150"), encoding="utf-8")
    run = run_cli("diff", "old", "new", "--format", "json")
    assert run.code == 0, run.err
    change, = json.loads(run.out)["changes"]
    assert (change["id"], change["old"], change["new"], change["reason"]) == (
        "max_clients_per_manager", "200名", "150名", "上限降低(收紧)")


def test_fail_on_material_exits_1(repo: PackRepo) -> None:
    lower_threshold(repo)
    repo.commit("下调准入门槛")
    run = repo.diff("HEAD~1", "HEAD", "--fail-on", "material")
    assert run.code == 1
    assert "2 项实质性变更" in run.err  # the threshold, and whom it now admits
    assert run.out.startswith("<!-- policybook-diff -->\n")
    assert repo.diff("HEAD~1", "HEAD").code == 0


def test_identical_revisions(repo: PackRepo) -> None:
    repo.commit("空提交")
    run = repo.diff("HEAD~1", "HEAD", "--fail-on", "any")
    assert run.code == 0
    assert "> 两个版本的政策内容相同(只可能改了格式、注释或顺序)。" in run.out.splitlines()


def test_comment_and_reordered_yaml_are_no_change(repo: PackRepo) -> None:
    repo.edit("parameters.yaml", "    unit: 元\n    comparison: min\n",
              "    comparison: min  # 含本数\n    unit: 元\n")
    repo.commit("格式")
    assert repo.json("HEAD~1", "HEAD")["changes"] == []


def test_revision_before_the_policies_existed_lists_everything_as_added(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q", "-b", "main"], check=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "空仓库"], check=True)
    shutil.copytree(PACK, tmp_path / "policies")
    report = json.loads(run_cli("diff", "HEAD", "--format", "json").out)
    assert report["ok"] and report["base"]["empty"]
    added = {(c["kind"], c["id"]) for c in report["changes"] if c["action"] == "added"}
    assert {("flow", "front_desk"), ("parameter", "min_financial_assets"),
            ("form", "account_application")} <= added
    assert all(c["action"] == "added" for c in report["changes"])


def test_unknown_revision_is_a_usage_error(repo: PackRepo) -> None:
    run = repo.diff("no-such-branch")
    assert run.code == 2
    assert "找不到 git 版本 “no-such-branch”" in run.err
    assert "Traceback" not in run.err


def test_option_like_revision_is_refused(repo: PackRepo) -> None:
    run = repo.diff("--", "--output=/tmp/x")
    assert run.code == 2
    assert "不是 git 版本名" in run.err


def test_outside_a_repository_a_revision_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policies").mkdir()
    run = run_cli("diff", "main")
    assert run.code == 2
    assert "不在 git 仓库中" in run.err


def test_invalid_revision_is_reported_with_file_and_line(repo: PackRepo) -> None:
    repo.edit("parameters.yaml", "value: 1000000", 'value: "100万"')
    repo.commit("写错了")
    run = repo.diff("HEAD~1", "HEAD")
    assert run.code == 1
    lines = run.out.splitlines()
    assert "> [!CAUTION]" in lines
    assert any(line.startswith("- `HEAD:policies/parameters.yaml:9:12` [`schema.wrong-type`]")
               for line in lines), run.out
    assert "HEAD(" in run.err and "的政策有错误" in run.err
    report = repo.json("HEAD~1", "HEAD")
    assert not report["ok"] and report["base"]["ok"] and not report["head"]["ok"]
    assert report["head"]["errors"][0]["file"] == "HEAD:policies/parameters.yaml"


def test_output_file_is_written_whole(repo: PackRepo, tmp_path: Path) -> None:
    lower_threshold(repo)
    repo.commit("下调准入门槛")
    out = tmp_path / "reports" / "diff.json"
    run = repo.diff("HEAD~1", "HEAD", "--format", "json", "-o", str(out))
    assert (run.code, run.out) == (0, "")
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["material"] == 2
    assert [p.name for p in out.parent.iterdir()] == ["diff.json"]  # no temp file left
    assert repo.diff("HEAD~1", "HEAD", "-o", str(tmp_path)).code == 2


def test_policies_option_names_the_folder_inside_the_repository(
        repo: PackRepo) -> None:
    repo.git("mv", "policies", "procedures")
    repo.commit("改名")
    run = repo.diff("HEAD", "--policies", "procedures", "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["changes"] == []


@pytest.mark.skipif(not (POLICIES / "pack.yaml").exists(), reason="no shipped pack")
def test_shipped_pack_threshold_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped pack (whatever it holds today): lowering the asset threshold is one
    material change that reaches the eligibility table's page and the front-desk flow."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    r = PackRepo(tmp_path, POLICIES)
    params = r.policies / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    assert "value: 1000000" in text
    params.write_text(text.replace("value: 1000000", "value: 500000", 1), encoding="utf-8")
    report = r.json("HEAD")
    assert report["ok"], report["head"]["errors"]
    assert summary(report) == [("parameter", "min_financial_assets", "changed", "material"),
                               ("decision_table", "eligibility", "changed", "material")]
    docs = documents(report)
    assert docs["decisions/eligibility/"] == "changed"
    assert docs["build/pdf/flows/front_desk.pdf"] == "changed"


def test_new_version_and_date_reprint_every_pdf(repo: PackRepo) -> None:
    """Every printed page shows the pack's version and effective date."""
    repo.edit("pack.yaml", 'version: "1.0.0"', 'version: "1.1.0"')
    repo.edit("pack.yaml", 'effective_date: "2026-12-01"', 'effective_date: "2027-01-01"')
    repo.commit("1.1.0 版")
    report = repo.json("HEAD~1", "HEAD")
    assert summary(report) == [("pack", "wealth-account-opening", "changed", "material"),
                               ("pack", "wealth-account-opening", "changed", "editorial")]
    assert report["changes"][0]["reason"] == "义务开始执行的日期改变"
    pdfs = {path for path in documents(report) if path.endswith(".pdf")}
    assert pdfs == {"build/pdf/flows/front_desk.pdf", "build/pdf/forms/account_application.pdf",
                    *(f"build/pdf/checklists/{c}.pdf" for c in (
                        "front_desk_checklist", "wealth_manager_checklist",
                        "supervisor_checklist")), "build/pdf/selftest/selftest.pdf"}
    assert "**比较**:`HEAD~1(" in repo.diff("HEAD~1", "HEAD").out
    assert "版本 1.0.0` → `HEAD(" not in repo.diff("HEAD~1", "HEAD").out


def test_the_self_test_and_the_walkthroughs_are_reprinted_when_what_they_teach_changes(
        repo: PackRepo) -> None:
    """The self-test is generated from the tables, parameters, rules and flows: a new
    threshold changes its questions (page and PDF); a glossary definition does not. A
    flow case's walkthrough (案例演练) draws its flow: a step change reaches it."""
    lower_threshold(repo)
    repo.commit("下调准入门槛")
    docs = documents(repo.json("HEAD~1", "HEAD"))
    assert docs["selftest/"] == "changed"
    assert docs["build/pdf/selftest/selftest.pdf"] == "changed"
    repo.edit("scripts/present-service.yaml", "想花几分钟", "想花几分钟时间")
    repo.commit("话术措辞")
    docs = documents(repo.json("HEAD~1", "HEAD"))
    assert docs and "selftest/" not in docs and "build/pdf/selftest/selftest.pdf" not in docs
    from generator.pipeline import analyse

    model = analyse(repo.policies, checks=False).model
    walked = [c for c in model.cases.values() if c.kind == "flow"]
    assert walked
    flow = model.flows[walked[0].target]
    step = next(s for s in flow.steps if s.type == "task")
    repo.edit(f"flows/{Path(flow.loc.file).name}", f"title: {step.title}",
              f"title: {step.title}(改)")
    repo.commit("环节名称")
    docs = documents(repo.json("HEAD~1", "HEAD"))
    for case in walked:
        if case.target == flow.id:
            assert docs[f"cases/{case.id}/"] == "changed", case.id


def test_rule_title_is_reprinted_where_the_rule_is_cited(repo: PackRepo) -> None:
    repo.edit("rules.yaml", "title: 维护客户数上限", "title: 维护客户数量上限")
    repo.commit("规则标题")
    report = repo.json("HEAD~1", "HEAD")
    assert summary(report) == [("rule", "R-MAINT-CAP", "reworded", "editorial")]
    docs = documents(report)
    # Cited by the step assign_manager (flow sheet) and the item fdc_manager (checklists).
    assert {"build/pdf/flows/front_desk.pdf", "build/pdf/checklists/front_desk_checklist.pdf",
            "build/pdf/checklists/supervisor_checklist.pdf"} <= set(docs)
    assert "build/pdf/forms/account_application.pdf" not in docs


@pytest.mark.parametrize("pack", [PACK, POLICIES], ids=["example", "shipped"])
def test_every_page_the_diff_names_is_a_page_of_the_site(pack: Path) -> None:
    """The diff takes page addresses from the site's own link table; if the site
    renames a page, this fails instead of the report naming a page that is not there."""
    from generator.diff.impact import _Documents
    from generator.pipeline import analyse
    from generator.site.links import page_url
    from generator.site.pages import render_site

    if not (pack / "pack.yaml").exists():
        pytest.skip("no shipped pack")
    model = analyse(pack, checks=False).model
    site = {page_url(p.src, directory_urls=True) or "./" for p in render_site(model)}
    docs = _Documents(model)
    named = set()
    for kind, ident, _, _ in model.elements():
        named |= {d.path for d in docs.of(kind, ident) if d.kind == "page"}
    for kind in ("rule", "parameter"):
        for ident in getattr(model, kind + "s"):
            named |= {d.path for d in docs.of(kind, ident) if d.kind == "page"}
    assert len(named) > 10
    assert named <= site, named - site
    assert "review/" in site  # adoption changes the page of content awaiting review


def test_runs_from_a_subfolder_of_the_repository(repo: PackRepo,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    lower_threshold(repo)
    repo.commit("下调准入门槛")
    monkeypatch.chdir(repo.policies / "flows")
    assert summary(repo.json("HEAD~1", "HEAD")) == summary(repo.json("HEAD~1"))
    assert summary(repo.json("HEAD~1"))[0] == (
        "parameter", "min_financial_assets", "changed", "material")


def test_form_that_now_carries_the_questionnaire_is_material(repo: PackRepo) -> None:
    repo.edit("forms/account-application.yaml", "rules: [R-KYC-BEFORE, R-ELIG]\n",
              "rules: [R-KYC-BEFORE, R-ELIG]\nquestionnaire: risk_assessment\n")
    repo.commit("申请表附风险评估问卷")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["aspect"], change["old"], change["new"], change["significance"]) == (
        "问卷", "(无)", "risk_assessment", "material")


def test_reordering_the_yaml_list_only_renumbers(repo: PackRepo) -> None:
    flow = (repo.policies / "flows/front-desk.yaml").read_text(encoding="utf-8")
    start = flow.index("  - id: fd_end_opened")
    end = flow.index("  - id: fd_end_refused")
    block = flow[start:end]
    flow = flow[:start] + flow[end:].rstrip("\n") + "\n\n" + block.rstrip("\n") + "\n"
    (repo.policies / "flows/front-desk.yaml").write_text(flow, encoding="utf-8")
    repo.commit("调换两个结束环节的排列")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["kind"], change["aspect"], change["significance"], change["new"]) == (
        "flow", "环节排列", "editorial", "排列位置改变:“不予开户”")


def test_two_checkouts_compare_their_policies_folders(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("before", "after"):
        shutil.copytree(PACK, tmp_path / name / "policies")
        (tmp_path / name / "README.md").write_text("# 另一份检出\n", encoding="utf-8")
    rules = tmp_path / "after/policies/rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("title: 开户中了解客户",
                                                               "title: 开户过程中了解客户"),
                     encoding="utf-8")
    report = json.loads(run_cli("diff", "before", "after", "--format", "json").out)
    assert report["base"]["label"] == "before/policies"
    assert summary(report) == [("rule", "R-KYC-DURING", "reworded", "editorial")]


def test_inputs_and_outputs(repo: PackRepo) -> None:
    """A form a step must use is an obligation; a renamed record is a rewording."""
    repo.edit("flows/front-desk.yaml", "      - document: 目标客户引荐记录\n",
              "      - document: 目标客户引荐登记表\n")
    repo.edit("flows/front-desk.yaml", "    inputs:\n      - form: account_application\n",
              "    inputs:\n      - form: account_application\n      - document: 风险揭示书\n")
    repo.commit("资料")
    lines = [line for line in repo.markdown("HEAD~1", "HEAD") if line.startswith("- ")]
    assert lines == [
        "- **【实质】** 环节 **办理开户,发放工银财富卡** `issue_card` 新增输入:资料 风险揭示书"
        " — *环节须使用或产出的资料改变*",
        "- 【文字】 环节 **接待客户、识别目标客户** `receive_client` 改写输出:"
        "目标客户引荐<del>记录</del><ins>登记表</ins> — *说明性文字,未改变数字、参数、单位或否定*"]
