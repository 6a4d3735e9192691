"""``policybook evaluate decision|questionnaire|flow``: a client's case through the
procedure, with the rule and the source for every answer.

Exit codes: 0 evaluated (also when the walk stops at a missing fact: the output names
it); 1 the facts or answers are invalid (diagnostics with file:line:col), or they
contradict the procedure; 2 wrong usage (unknown table, input or value on the command
line, no such file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands.common import DEFAULT_POLICIES, add_pack_argument, library
from generator.errors import EXIT_INVALID, EXIT_OK, PoliciesInvalid, UsageError
from generator.evaluate import (
    DecisionResult,
    EvaluationError,
    FlowWalk,
    QuestionnaireResult,
    evaluate_decision,
    evaluate_questionnaire,
    read_answers,
    read_facts,
    walk_flow,
)
from generator.evaluate.report import FORMATS, render
from generator.model import DecisionTable, Model
from generator.reporters import Summary

NAME = "evaluate"
HELP = "按政策评估客户的情况:决策表、问卷、流程 / evaluate a case against the policies"
_WHAT = {"decision": ("决策表", "decision_tables"), "questionnaire": ("问卷", "questionnaires"),
         "flow": ("流程", "flows")}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    decision = sub.add_parser("decision", help="评估一张决策表 / evaluate a decision table")
    decision.add_argument("target", metavar="TABLE", help="决策表标识,如 eligibility")
    decision.add_argument("--set", dest="sets", action="append", default=[],
                          metavar="INPUT=VALUE", help="一项输入,可重复:--set approval=granted")
    quiz = sub.add_parser("questionnaire", help="为问卷答案计分 / score a questionnaire")
    quiz.add_argument("target", metavar="ID", help="问卷标识")
    quiz.add_argument("--answers", type=Path, required=True, metavar="FILE",
                      help="答案文件(YAML,题目标识: 答案标识)")
    flow = sub.add_parser("flow", help="按事实走完一个流程 / walk a flow with the facts")
    flow.add_argument("target", metavar="FLOW", help="流程标识")
    flow.add_argument("--facts", type=Path, required=True, metavar="FILE",
                      help="事实文件(YAML:inputs、answers、choices)")
    for p in (decision, quiz, flow):
        p.add_argument("--format", "-f", choices=FORMATS, default="text",
                       help="text(默认)、json、markdown")
        p.add_argument("--policies", type=Path, default=DEFAULT_POLICIES,
                       help="政策文件夹(默认 policies/)")
        add_pack_argument(p)


def run(args: argparse.Namespace) -> int:
    model = _model(args)
    result: DecisionResult | QuestionnaireResult | FlowWalk
    if args.what == "decision":
        table = model.decision_tables[args.target]
        try:
            result = evaluate_decision(model, table.id, _inputs(table, args.sets))
        except EvaluationError as exc:
            raise UsageError(f"{exc.message}{exc.hint}") from None
        code = EXIT_OK if result.decided or result.status == "missing" else EXIT_INVALID
    elif args.what == "questionnaire":
        answers, problems = read_answers(_read(args.answers), str(args.answers), model,
                                         args.target)
        if answers is None:
            raise PoliciesInvalid("答案文件有错误,未能评估。", problems, Summary(1, NAME))
        result = evaluate_questionnaire(model, args.target, answers)
        code = EXIT_OK
    else:
        facts, problems = read_facts(_read(args.facts), str(args.facts), model, args.target)
        if facts is None:
            raise PoliciesInvalid("事实文件有错误,未能评估。", problems, Summary(1, NAME))
        walk = result = walk_flow(model, args.target, facts)
        code = EXIT_INVALID if walk.stop in ("invalid", "loop") else EXIT_OK
    sys.stdout.write(render(result, args.format))
    return code


def _model(args: argparse.Namespace) -> Model:
    """The model of the one pack that has the target (``--pack`` to choose)."""
    packs = library(args.policies, args.pack)
    if not packs.ok:
        raise PoliciesInvalid("政策文件有错误,无法评估。请先运行 policybook check。",
                              packs.diagnostics, Summary(packs.files, NAME))
    word, attr = _WHAT[args.what]
    having = [p for p in packs if args.target in getattr(p.analysis.model, attr)]
    if not having:
        known = sorted({t for p in packs for t in getattr(p.analysis.model, attr)})
        raise UsageError(f"没有{word} “{args.target}”。{word}有:{'、'.join(known) or '(无)'}。")
    if len(having) > 1:
        raise UsageError(f"{'、'.join(p.id for p in having)} 都有{word} “{args.target}”。"
                         "请用 --pack 选择一个。")
    return having[0].analysis.model


def _inputs(table: DecisionTable, sets: list[str]) -> dict[str, object]:
    """``--set name=value`` → inputs; numbers for numeric inputs."""
    specs = {i.id: i for i in table.inputs}
    inputs: dict[str, object] = {}
    for item in sets:
        name, eq, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if not eq or not name:
            raise UsageError(f"--set 应写成 输入=值,实际是 “{item}”。")
        spec = specs.get(name)
        if spec is None:
            raise UsageError(f"决策表 {table.id} 没有输入 “{name}”。输入有:{'、'.join(specs)}。")
        if spec.type == "number":
            try:
                number = float(raw.replace("_", ""))
            except ValueError:
                raise UsageError(f"输入 {name} 应为数字(如 950000),实际是 “{raw}”。") from None
            inputs[name] = int(number) if number.is_integer() else number
        else:
            inputs[name] = raw
    return inputs


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise UsageError(f"找不到文件 {path}。")
    return path.read_bytes()
