"""``policybook build``: check the policies, then build the PDFs and the handbook site.

Nothing is written when the policies have errors; each output folder is replaced
atomically, so a failed build leaves the previous outputs intact.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands.common import DEFAULT_POLICIES, emit, policy_path, use_colour
from generator.errors import EXIT_INVALID, EXIT_OK, exit_code_for
from generator.pipeline import analyse
from generator.reporters import Summary, render_text

NAME = "build"
HELP = "检查政策并生成 PDF 清单、表单和手册网站 / check, then build PDFs and the site"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_POLICIES,
                        help="政策文件夹(默认 policies/)")
    parser.add_argument("--out", type=Path, default=Path("build"),
                        help="输出文件夹(默认 build/):build/pdf 与 build/site")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                        help="mkdocs 配置文件(默认 mkdocs.yml)")
    parser.add_argument("--only", choices=("pdf", "site"), help="只生成 PDF 或只生成网站")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help="并行生成 PDF 的进程数(默认 CPU 核数)")
    parser.add_argument("--strict", action="store_true", help="警告也视为失败")
    parser.set_defaults(format="text", output=None)


def run(args: argparse.Namespace) -> int:
    analysis = analyse(policy_path(args.path))
    summary = Summary(analysis.files, NAME)
    if exit_code_for(analysis.diagnostics, strict=args.strict) != EXIT_OK:
        emit(args, analysis.diagnostics, summary)
        print("policybook build: 政策有错误,未生成任何输出。", file=sys.stderr)
        return EXIT_INVALID
    if analysis.diagnostics:  # warnings (e.g. drafted content awaiting review): say so
        sys.stderr.write(render_text(analysis.diagnostics, summary,
                                     colour=use_colour(sys.stderr)))
    if args.only in (None, "pdf"):
        from generator.printables import build_printables

        paths = build_printables(analysis.model, args.out / "pdf", jobs=args.jobs,
                                 progress=sys.stderr.isatty(), mkdocs_config=args.config)
        print(f"PDF: {len(paths)} 个文件 → {args.out / 'pdf'}", file=sys.stderr)
    if args.only in (None, "site"):
        from generator.site.build import build_site

        site_dir = build_site(args.config, policies=args.path, pdf_dir=args.out / "pdf",
                              site_dir=args.out / "site")
        print(f"网站 → {site_dir}", file=sys.stderr)
    return EXIT_OK
