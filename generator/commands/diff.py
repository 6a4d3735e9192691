"""``policybook diff BASE [HEAD]``: what changed in the procedure between two git
revisions or two folders, whether it is material, and which documents change.

    policybook diff main                 # main → the work tree
    policybook diff origin/main HEAD -f json -o diff.json
    policybook diff old-policies/ policies/ --fail-on material
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.commands.common import DEFAULT_POLICIES, REPORT_FILE, add_pack_argument
from generator.errors import EXIT_INVALID, EXIT_OK, Exit, PoliciesInvalid, UsageError
from generator.files.write import check_file_target, write_text

if TYPE_CHECKING:
    from generator.diff.report import DiffReport
    from generator.diff.sources import Side

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
    parser.add_argument("--pdf-review", metavar="DIR", type=Path,
                        help="生成两个版本的打印件,把有变化的页的修改前后对比图(PNG)写入 DIR,"
                             "并在报告中列出")
    add_pack_argument(parser)


def run(args: argparse.Namespace) -> int:
    # Imported here: the diff pulls in the flow diagrams (the site's Mermaid labels),
    # which the other subcommands do not need.
    from generator.diff.jsonreport import render_json
    from generator.diff.markdown import render_markdown
    from generator.diff.report import MARKER, build_report
    from generator.diff.sources import empty_side, load_sides

    if args.output is not None:
        check_file_target(args.output, what=REPORT_FILE)
    bases = load_sides(args.base, args.policies)
    heads = load_sides(args.head, args.policies)
    names = [n for n in sorted(set(bases) | set(heads)) if args.pack in (None, n)]
    if not names:
        raise UsageError(f"两个版本中都没有政策包 “{args.pack}”。")
    label = {"base": next(iter(bases.values())).label, "head": next(iter(heads.values())).label}
    pairs = [(bases.get(n) or empty_side(label["base"], n),
              heads.get(n) or empty_side(label["head"], n)) for n in names]
    reports = [build_report(base, head) for base, head in pairs]
    if args.pdf_review is not None:
        _review_printables(args.pdf_review, names, pairs, reports)
    if len(reports) == 1:
        (report,) = reports
        text = render_json(report) if args.format == "json" else render_markdown(report)
    elif args.format == "json":
        text = json.dumps({"packs": [json.loads(render_json(r)) for r in reports]},
                          ensure_ascii=False, indent=2) + "\n"
    else:  # one marker at the top: the pull-request comment is found by it
        first, *rest = (render_markdown(r) for r in reports)
        text = "\n".join([first, *(t.replace(MARKER + "\n", "", 1) for t in rest)])
    if args.output is not None:
        write_text(args.output, text, what=REPORT_FILE)
    else:
        sys.stdout.write(text)
    broken = [side for base, head in pairs for side in (base, head) if not side.ok]
    if broken:
        raise PoliciesInvalid("\n".join(
            f"{side.label} 的政策有错误,无法比较(运行 policybook check 查看)。"
            for side in broken))
    material = sum(r.material for r in reports)
    if args.fail_on == "material" and material:
        raise Exit(EXIT_INVALID, f"{material} 项实质性变更(--fail-on material)。")
    if args.fail_on == "any" and any(r.material or r.editorial for r in reports):
        raise Exit(EXIT_INVALID, "政策有变更(--fail-on any)。")
    return EXIT_OK


def _review_printables(out: Path, names: list[str], pairs: list[tuple[Side, Side]],
                       reports: list[DiffReport]) -> None:
    """Before/after images of the changed pages of every pack's printables, into ``out``
    (replaced as a whole), each pack's under its folder name in a library."""
    from generator.diff.printed import review_printables
    from generator.files.write import Staging

    with Staging() as staging:
        folder = staging.folder(out, what="对比图文件夹")
        for name, (base, head), report in zip(names, pairs, reports, strict=True):
            if report.ok:
                report.printed = review_printables(base, head, folder,
                                                   f"{name}/" if name else "")
        staging.commit()
