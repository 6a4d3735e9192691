"""``policybook diff BASE [HEAD]``: what changed in the procedure between two git
revisions or two folders, whether it is material, and which documents change.

    policybook diff main                 # main → the work tree
    policybook diff origin/main HEAD -f json -o diff.json
    policybook diff old-policies/ policies/ --fail-on material
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands.common import DEFAULT_POLICIES, REPORT_FILE
from generator.errors import EXIT_INVALID, EXIT_OK, Exit, PoliciesInvalid
from generator.files.write import check_file_target, write_text

NAME = "diff"
HELP = "比较两个版本的政策:变了什么、是否实质性、哪些文件受影响 / review policy changes"

FORMATS = ("markdown", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE",
                        help="基准:git 版本(分支、标签、提交)或政策文件夹")
    parser.add_argument("head", metavar="HEAD", nargs="?",
                        help="对比:git 版本或政策文件夹(默认:工作区中的 --policies 文件夹)")
    parser.add_argument("--policies", type=Path, default=DEFAULT_POLICIES,
                        help="政策文件夹在仓库中的位置(默认 policies)")
    parser.add_argument("--format", "-f", choices=FORMATS, default="markdown",
                        help="输出格式:markdown(默认,用于 PR 评论)或 json")
    parser.add_argument("--output", "-o", type=Path, help="把报告写入文件而不是标准输出")
    parser.add_argument("--fail-on", choices=("material", "any", "none"), default="none",
                        help="有实质性变更(material)或任何变更(any)时以退出码 1 结束")


def run(args: argparse.Namespace) -> int:
    # Imported here: the diff pulls in the flow diagrams (the site's Mermaid labels),
    # which the other subcommands do not need.
    from generator.diff.jsonreport import render_json
    from generator.diff.markdown import render_markdown
    from generator.diff.report import build_report
    from generator.diff.sources import load_side

    if args.output is not None:
        check_file_target(args.output, what=REPORT_FILE)
    base = load_side(args.base, args.policies)
    head = load_side(args.head, args.policies)
    report = build_report(base, head)
    text = render_json(report) if args.format == "json" else render_markdown(report)
    if args.output is not None:
        write_text(args.output, text, what=REPORT_FILE)
    else:
        sys.stdout.write(text)
    if not report.ok:
        raise PoliciesInvalid("\n".join(
            f"{side.label} 的政策有错误,无法比较(运行 policybook check 查看)。"
            for side in (base, head) if not side.ok))
    if args.fail_on == "material" and report.material:
        raise Exit(EXIT_INVALID, f"{report.material} 项实质性变更(--fail-on material)。")
    if args.fail_on == "any" and (report.material or report.editorial):
        raise Exit(EXIT_INVALID, "政策有变更(--fail-on any)。")
    return EXIT_OK
