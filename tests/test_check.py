"""How the consistency checks decide, beyond the one-mistake examples: the shipped pack,
path order on flows with more paths than could ever be listed, decision tables against
brute force, literal values that are and are not parameters, and the deck's outline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, POLICIES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.decisions import analyse_table
from generator.checks.order import violations
from generator.checks.questionnaires import answers_for
from generator.diagnostics import Severity
from generator.model import (
    Answer,
    Bound,
    DecisionInput,
    DecisionOutput,
    DecisionTable,
    EnumSet,
    EnumValue,
    Interval,
    Loc,
    Provenance,
    Question,
    Questionnaire,
    Row,
)
from generator.model.sources import Source, build_sources
from generator.pipeline import Analysis, analyse

MINIMAL = EXAMPLES / "valid" / "minimal"
HERE = Loc("x.yaml", 1, 1, "")
DRAFT = Provenance("drafted")


def test_shipped_pack_has_no_errors() -> None:
    analysis = analyse(POLICIES)
    errors = [d for d in analysis.diagnostics if d.severity >= Severity.ERROR]
    assert errors == [], "\n".join(f"{d.file}:{d.line} [{d.check}] {d.message}" for d in errors)


# --- path order on every path -------------------------------------------------------------


def diamonds(n: int, *, loop: bool) -> str:
    """A flow of ``n`` decisions in a row, each choosing between two tasks: 2**n paths."""
    steps = ["  - {id: s, type: start, title: 开始, next: d0}"]
    for i in range(n):
        after = f"d{i + 1}" if i + 1 < n else "last"
        steps.append(
            f"  - id: d{i}\n    type: decision\n    title: 决策 {i}\n    actor: clerk\n"
            f"    permission: serve_client\n    question: 选哪条?\n    outcomes:\n"
            f"      - {{id: left, title: 左, next: x{i}}}\n"
            f"      - {{id: right, title: 右, next: y{i}}}")
        for side in "xy":
            steps.append(
                f"  - id: {side}{i}\n    type: task\n    title: 任务 {side}{i}\n    actor: clerk\n"
                f"    permission: serve_client\n    purpose: 处理。\n    actions: [处理。]\n"
                f"    next: {after}")
    last = ("  - id: last\n    type: decision\n    title: 是否重来\n    actor: clerk\n"
            "    permission: serve_client\n    question: 重来吗?\n    outcomes:\n"
            "      - {id: again, title: 重来, next: d0}\n      - {id: done, title: 完成, next: end}"
            if loop else
            "  - {id: last, type: task, title: 收尾, actor: clerk, permission: serve_client,"
            " purpose: 收尾。, actions: [收尾。], next: end}")
    steps.append(last)
    steps.append("  - {id: end, type: end, title: 结束, result: done}")
    loops = "loops:\n  - {from: last, to: d0, reason: 可以重来。}\n" if loop else ""
    return (f"kind: flow\nid: big\ntitle: 大流程\nactors: [clerk]\norder: 2\n"
            f"provenance: {{drafted: 测试。}}\n{loops}steps:\n" + "\n".join(steps) + "\n")


def big_pack(tmp_path: Path, in_order: str, *, loop: bool = False) -> Analysis:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    (pack / "flows" / "big.yaml").write_text(diamonds(40, loop=loop), encoding="utf-8")
    rules = (pack / "rules.yaml").read_text(encoding="utf-8")
    rules += ("  - id: R-BIG\n    title: 大流程的顺序\n    text: 按顺序。\n    category: process\n"
              "    provenance: {sourced: 第二部分 四(五)}\n    constraints:\n"
              f"      - flow: big\n        to: [end]\n        in_order: {in_order}\n")
    (pack / "rules.yaml").write_text(rules, encoding="utf-8")
    return analyse(pack)


def order_findings(analysis: Analysis) -> list[str]:
    return [d.message for d in analysis.diagnostics if d.check == "order.path-violates"]


def test_order_holds_on_all_of_2_to_the_40_paths(tmp_path: Path) -> None:
    # every path passes d3, then x7 or y7, then d39's "right" outcome or d39's "left"
    in_order = ("[{step: d3}, {any_of: [{step: x7}, {step: y7}]},"
                " {any_of: [{step: d39, outcome: left}, {step: d39, outcome: right}]},"
                " {step: last}]")
    assert order_findings(big_pack(tmp_path, in_order)) == []


def test_order_violation_comes_with_one_shortest_counterexample(tmp_path: Path) -> None:
    analysis = big_pack(tmp_path, "[{step: d3}, {step: x17}, {step: last}]")
    (finding,) = [d for d in analysis.diagnostics if d.check == "order.path-violates"]
    assert "x17" in finding.message and "end" in finding.message
    rule = analysis.model.rules["R-BIG"]
    ((target, missed, path),) = list(violations(analysis.model, rule.constraints[0]))
    assert (target, missed) == ("end", 1)
    visited = [e.target for e in path]
    assert "y17" in visited and "x17" not in visited
    assert visited[-1] == "end" and len(visited) == 2 * 40 + 2
    assert len(finding.related) == len(path) + 2  # "路径:" and the start, then one per step


def test_order_is_checked_around_declared_loops(tmp_path: Path) -> None:
    # going round the loop, d0 comes after last: "last before d0" fails on the path
    # that does not loop, "d0 before last" holds on every path, looping or not
    holds = big_pack(tmp_path, "[{step: d0}, {step: last}]", loop=True)
    assert order_findings(holds) == []
    assert not [d for d in holds.diagnostics if d.check == "flow.undeclared-loop"]
    shutil.rmtree(tmp_path / "pack")
    fails = big_pack(tmp_path, "[{step: last}, {step: d0}]", loop=True)
    assert len(order_findings(fails)) == 1


# --- decision tables against brute force -------------------------------------------------

BOUND = st.integers(min_value=-1, max_value=11)


@st.composite
def rows(draw: st.DrawFn) -> list[Row]:
    out = []
    for j in range(draw(st.integers(min_value=1, max_value=4))):
        when: dict[str, Interval | EnumSet] = {}
        if draw(st.booleans()):
            low, high = draw(st.one_of(st.none(), BOUND)), draw(st.one_of(st.none(), BOUND))
            if low is not None or high is not None:
                when["n"] = Interval(Bound(low) if low is not None else None, draw(st.booleans()),
                                     Bound(high) if high is not None else None,
                                     draw(st.booleans()), HERE)
        if draw(st.booleans()):
            when["e"] = EnumSet(tuple(draw(st.sets(st.sampled_from("pq"), min_size=1))), HERE)
        out.append(Row(f"r{j}", when, {"o": draw(st.sampled_from(["yes", "no"]))}, "", (),
                       DRAFT, HERE))
    return out


def table(table_rows: list[Row]) -> DecisionTable:
    inputs = (DecisionInput("n", "人数", "number", "名", 0, 10, (), HERE),
              DecisionInput("e", "类别", "enum", "", None, None,
                            (EnumValue("p", "p"), EnumValue("q", "q")), HERE))
    outputs = (DecisionOutput("o", "结果", (EnumValue("yes", "是"), EnumValue("no", "否")), HERE),)
    return DecisionTable("t", "表", "", "", "unique", inputs, outputs, tuple(table_rows), (),
                         DRAFT, HERE)


@settings(max_examples=300, deadline=None)
@given(rows())
def test_decision_analysis_agrees_with_brute_force(table_rows: list[Row]) -> None:
    t = table(table_rows)
    points = [{"n": n, "e": e} for n in range(0, 11) for e in "pq"]  # 名 are whole numbers
    hits = [[j for j, row in enumerate(t.rows) if row.matches(p)] for p in points]
    result = analyse_table(t)
    assert (result.gap_count > 0) == any(not h for h in hits)
    assert set(result.pairs) == {(a, b) for h in hits for i, a in enumerate(h) for b in h[i + 1:]}
    assert result.matched == {j for h in hits for j in h}
    assert result.first == {h[0] for h in hits if h}
    for point, _described in result.gaps:
        sample = {spec.id: cell.value for spec, cell in zip(t.inputs, point, strict=True)}
        assert t.evaluate(sample) == [], "a gap's counterexample matches no row"
    for (a, b), point in result.pairs.items():
        sample = {spec.id: cell.value for spec, cell in zip(t.inputs, point, strict=True)}
        assert {a, b} <= {t.rows.index(r) for r in t.evaluate(sample)}


def test_gap_regions_are_merged_and_named_with_units() -> None:
    from generator.checks.decisions import describe

    t = table([Row("few", {"n": Interval(None, False, Bound(3), False, HERE)}, {"o": "no"}, "",
                   (), DRAFT, HERE),
               Row("many", {"n": Interval(Bound(8), True, None, False, HERE)}, {"o": "yes"}, "",
                   (), DRAFT, HERE)])
    result = analyse_table(t)
    assert result.gap_count == 1  # 3..7 is one gap, not five cells
    (point, described), = result.gaps
    assert described == 1
    assert describe(t.inputs[0], point[0]) == "n ≥ 3名 且 < 8名"
    assert point[0].value == 3


# --- questionnaires --------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=4),
                min_size=1, max_size=5))
def test_answers_for_reaches_exactly_the_reachable_scores(scores: list[list[int]]) -> None:
    quiz = Questionnaire(
        "q", "问卷", "", "", "", (), "",
        tuple(Question(f"q{i}", "?", "", tuple(Answer(f"a{j}", "答", s, HERE)
                                             for j, s in enumerate(answers)), HERE)
              for i, answers in enumerate(scores)), (), DRAFT, HERE)
    reachable = {0}
    for answers in scores:
        reachable = {t + s for t in reachable for s in answers}
    for total in range(quiz.min_score - 1, quiz.max_score + 2):
        chosen = answers_for(quiz, total)
        if total in reachable:
            assert chosen is not None and quiz.score(chosen) == total
        else:
            assert chosen is None


# --- literal parameter values ------------------------------------------------------------------


def test_literals_are_flagged_where_they_mean_the_parameter_only(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    params = (pack / "parameters.yaml").read_text(encoding="utf-8")
    params += ("  - id: coverage_rate\n    title: 覆盖率\n    value: 100\n    unit: \"%\"\n"
               "    rules: [R-KYC]\n")
    (pack / "parameters.yaml").write_text(params, encoding="utf-8")
    flow = (pack / "flows" / "opening.yaml").read_text(encoding="utf-8")
    flow = flow.replace("      - 请客户本人完成风险评估问卷。\n",
                        "      - 请客户本人完成风险评估问卷。\n"
                        "      - 资料覆盖率达到100%。\n"           # R-KYC step: the parameter
                        "      - 资产1000万元以上的客户另行安排。\n"  # not 100万元
                        "      - 资产100万以上的客户可以开户。\n")   # 100万 = min_assets
    (pack / "flows" / "opening.yaml").write_text(flow, encoding="utf-8")
    script = (pack / "scripts" / "opening.yaml").read_text(encoding="utf-8")
    script = script.replace("  - 保本保收益。", "  - 保本保收益。\n  - 100%保本。")  # unrelated %
    (pack / "scripts" / "opening.yaml").write_text(script, encoding="utf-8")
    found = [(d.yaml_path, d.message.split("”")[0].lstrip("“"))
             for d in analyse(pack).diagnostics if d.check == "param.literal"]
    assert found == [("steps[1].actions[2]", "100%"), ("steps[1].actions[4]", "100万")]


def test_a_year_literal_is_flagged_only_where_its_rule_is(tmp_path: Path) -> None:
    """Years, like percentages, recur in unrelated senses (a client's years of investment
    experience beside a retention period): only an element tied to the parameter's rules
    is told to write the parameter."""
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    params = (pack / "parameters.yaml").read_text(encoding="utf-8")
    params += ("  - id: retention_years\n    title: 保存期限\n    value: 10\n    unit: 年\n"
               "    rules: [R-KYC]\n")
    (pack / "parameters.yaml").write_text(params, encoding="utf-8")
    flow = (pack / "flows" / "opening.yaml").read_text(encoding="utf-8")
    flow = flow.replace("      - 请客户本人完成风险评估问卷。\n",
                        "      - 请客户本人完成风险评估问卷。\n"
                        "      - 资料至少保存10年。\n")          # R-KYC step: the parameter
    (pack / "flows" / "opening.yaml").write_text(flow, encoding="utf-8")
    script = (pack / "scripts" / "opening.yaml").read_text(encoding="utf-8")
    # An unrelated sense of the same figure, in a script (which names no rule).
    script = script.replace("  - 保本保收益。", "  - 保本保收益。\n  - 我做理财10年了。")
    (pack / "scripts" / "opening.yaml").write_text(script, encoding="utf-8")
    found = [(d.yaml_path, d.message.split("”")[0].lstrip("“"))
             for d in analyse(pack).diagnostics if d.check == "param.literal"]
    assert found == [("steps[1].actions[2]", "10年")]


# --- sources and their outlines ------------------------------------------------------------------


def _deck() -> Source:
    meta = analyse(POLICIES, checks=False).model.meta
    assert meta is not None
    source = meta.source("")
    assert source is not None
    return source


def test_citations_resolve_against_the_outline_the_pack_declares() -> None:
    deck = _deck()
    assert deck.id == "deck" and deck.type_label == "培训材料"
    found = deck.section("第二部分 四(六)3")
    assert found is not None and found.title.startswith("每名财富经理")
    assert deck.section("第二部分 四(六)4") is None
    # Width and spaces do not make another citation.
    assert deck.section("第三部分(一)") is deck.section("第三部分 (一)") is not None
    assert deck.section("第二部分  四(六)3") is found
    assert [s.depth for s in deck.sections[:6]] == [0, 1, 2, 2, 3, 3]
    assert [s.citation for s in deck.siblings("第二部分 四(六)9")] == [
        "第二部分 四(六)1", "第二部分 四(六)2", "第二部分 四(六)3"]
    assert deck.text is not None and "每名财富经理维护的客户" in deck.text


def test_a_citation_scheme_the_engine_never_saw_works_the_same() -> None:
    """A regulation numbered by articles and paragraphs: nothing in the engine knows it."""
    outline = [{"section": "第十二条", "title": "大额",
                "sections": [{"section": "第十二条第二款", "title": "预约"}]},
               {"section": "3.2.1", "title": "点分编号"}]
    (source,) = build_sources([{"id": "rule", "title": "规程", "type": "internal_rule",
                                "outline": outline}], lambda pointer: (1, 1), {})
    assert source.section("第十二条 第二款") is not None
    assert source.section("第十二条第三款") is None
    assert [s.citation for s in source.siblings("第十二条第三款")] == ["第十二条第二款"]
    assert source.section("3.2.1") is not None and source.section("3.2") is None


def test_every_citation_in_the_shipped_pack_names_a_section_of_its_source() -> None:
    analysis = analyse(POLICIES)
    assert [d for d in analysis.diagnostics if d.check in {
        "provenance.unknown-section", "provenance.unknown-source",
        "provenance.quote-mismatch"}] == []


# --- the command ------------------------------------------------------------------------------


def test_drafted_content_is_a_warning_that_strict_turns_into_failure(in_root: Path) -> None:
    plain = run_cli("check", "tests/examples/valid/minimal")
    assert plain.code == 0
    assert "[provenance.drafted] 政策包中有 37 项起草内容" in plain.out
    assert run_cli("check", "tests/examples/valid/minimal", "--strict").code == 1


def test_github_annotation_sits_on_the_waypoint_with_the_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(MINIMAL, tmp_path / "pack")
    shutil.copyfile(EXAMPLES / "check" / "order.path-violates" / "rules.yaml",
                    tmp_path / "pack" / "rules.yaml")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "pack", "--format", "github")
    assert result.code == 1
    (line,) = [x for x in result.out.splitlines() if "order.path-violates" in x]
    assert line.startswith("::error file=pack/rules.yaml,line=41,col=13,")
    assert "%0A路径:%0A  1. start" in line


def test_an_output_value_no_row_gives_is_a_warning(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    table = pack / "decisions" / "eligibility.yaml"
    text = table.read_text(encoding="utf-8").replace(
        "        title: 未达标\n",
        "        title: 未达标\n      - id: pending\n        title: 待定\n")
    table.write_text(text, encoding="utf-8")
    found = [(d.check, d.severity, d.line, d.yaml_path) for d in analyse(pack).diagnostics
             if d.severity >= Severity.WARNING and d.check != "provenance.drafted"]
    assert found == [("decision.bad-output", Severity.WARNING, 23, "outputs[0].values[2]")]


def test_a_file_wide_citation_is_checked_too(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    rules = pack / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "  sourced: 第二部分 四\n", "  sourced: 第二部分 五\n", 1), encoding="utf-8")
    found = [(d.check, d.line, d.column, d.yaml_path) for d in analyse(pack).diagnostics
             if d.check == "provenance.unknown-section"]
    assert found == [("provenance.unknown-section", 4, 12, "provenance.sourced")]


def test_a_script_names_the_rules_it_follows_and_an_unknown_one_is_found(
        tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    script = pack / "scripts" / "opening.yaml"
    (rule,) = analyse(pack).model.scripts["opening_script"].rules
    script.write_text(script.read_text(encoding="utf-8").replace(
        f"rules: [{rule}]\n", f"rules: [{rule}, R-NOWHERE]\n"), encoding="utf-8")
    analysis = analyse(pack)
    assert analysis.model.scripts["opening_script"].rules == (rule, "R-NOWHERE")
    found = [(d.check, d.line, d.column, d.yaml_path) for d in analysis.diagnostics
             if d.severity >= Severity.WARNING and d.check != "provenance.drafted"]
    column = len(f"rules: [{rule}, ") + 1
    assert found == [("ref.unknown-rule", 24, column, "rules[1]")]
