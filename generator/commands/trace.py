"""``policybook trace [PATH]``: the traceability matrix (citation → rule → steps,
decision rows, form fields, checklist items → test cases) as CSV for auditors, JSON
for the handbook site, or Markdown for the coverage list."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator.commands.common import DEFAULT_POLICIES, add_pack_argument, library
from generator.errors import EXIT_OK, PoliciesInvalid
from generator.files.write import check_file_target, write_text
from generator.model import Model
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
    add_pack_argument(parser)


def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_file_target(args.output)
    # The matrix is what auditors read to find gaps, so consistency findings do not
    # stop it; only a pack that cannot be read does.
    packs = library(args.path, args.pack, checks=False)
    if not packs.ok:
        raise PoliciesInvalid("政策文件有错误,无法生成追溯矩阵。", packs.diagnostics,
                              Summary(packs.files, NAME))
    models = [p.analysis.model for p in packs]
    text = _render(args.format, models) if len(models) == 1 else _render_all(args.format, models)
    if args.output is None:
        sys.stdout.write(text)
    else:
        # Excel reads a UTF-8 CSV as the local code page unless it starts with a BOM.
        write_text(args.output, ("\ufeff" if args.format == "csv" else "") + text)
    return EXIT_OK


def _render(fmt: str, models: list[Model]) -> str:
    (model,) = models
    rows = build_matrix(model)
    if fmt == "csv":
        return to_csv(rows)
    return to_json(model, rows) if fmt == "json" else to_markdown(model, rows)


def _render_all(fmt: str, models: list[Model]) -> str:
    """Several packs: a ``pack`` column (CSV), a list (JSON), one section each (Markdown)."""
    if fmt == "json":
        return json.dumps({"packs": [json.loads(_render(fmt, [m])) for m in models]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return "\n".join(_render(fmt, [m]) for m in models)
    lines: list[str] = []
    for i, model in enumerate(models):
        header, *body = _render(fmt, [model]).splitlines()
        if i == 0:
            lines.append("pack," + header)
        pack = model.meta.id if model.meta else ""
        lines += [f"{pack},{line}" for line in body]
    return "\n".join(lines) + "\n"
