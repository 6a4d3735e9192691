"""``policybook trace [PATH]``: the traceability matrix (citation → rule → steps,
decision rows, form fields, checklist items → test cases) as CSV for auditors, JSON
for the handbook site, or Markdown for the coverage list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands.common import DEFAULT_POLICIES, policy_path
from generator.errors import EXIT_OK, PoliciesInvalid
from generator.files.write import check_file_target, write_text
from generator.pipeline import analyse
from generator.reporters import Summary
from generator.trace import build_matrix, to_csv, to_json, to_markdown

NAME = "trace"
HELP = "输出规则追溯矩阵和来源文件覆盖清单 / write the traceability matrix"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_POLICIES,
                        help="政策文件夹(默认 policies/)")
    parser.add_argument("--format", "-f", choices=("csv", "json", "markdown"), default="csv",
                        help="csv(默认,供审计)、json(供手册网站)、markdown(覆盖清单)")
    parser.add_argument("--output", "-o", type=Path, help="写入文件而不是标准输出")


def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_file_target(args.output)
    # The matrix is what auditors read to find gaps, so consistency findings do not
    # stop it; only a pack that cannot be read does.
    analysis = analyse(policy_path(args.path), checks=False)
    if not analysis.ok:
        raise PoliciesInvalid("政策文件有错误,无法生成追溯矩阵。", analysis.diagnostics,
                              Summary(analysis.files, NAME))
    model = analysis.model
    rows = build_matrix(model)
    if args.format == "csv":
        text = to_csv(rows)
    elif args.format == "json":
        text = to_json(model, rows)
    else:
        text = to_markdown(model, rows)
    if args.output is None:
        sys.stdout.write(text)
    else:
        # Excel reads a UTF-8 CSV as the local code page unless it starts with a BOM.
        write_text(args.output, ("\ufeff" if args.format == "csv" else "") + text)
    return EXIT_OK
