"""Arguments and output shared by the subcommands that report diagnostics."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.errors import UsageError
from generator.files.write import write_text
from generator.library import Library, analyse_library
from generator.reporters import FORMATS, Summary, render_text

DEFAULT_POLICIES = Path("policies")
REPORT_FILE = "报告文件"
"""How an error about ``-o FILE`` names the file."""


def add_report_arguments(parser: argparse.ArgumentParser, *, strict: bool = True) -> None:
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_POLICIES,
                        help="政策文件夹或单个文件(默认 policies/)")
    parser.add_argument("--format", "-f", choices=sorted(FORMATS), default="text",
                        help="输出格式:text(默认)、json、github(工作流注释)、sarif")
    parser.add_argument("--output", "-o", type=Path,
                        help="把报告写入文件而不是标准输出")
    if strict:
        parser.add_argument("--strict", action="store_true", help="警告也视为失败")
    add_pack_argument(parser)


def add_pack_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pack", metavar="ID",
                        help="政策文件夹包含多个政策包时,只处理这一个(标识或文件夹名)")


def library(path: Path, pack: str | None, *, checks: bool = True) -> Library:
    """The packs under ``path``, or the one ``--pack`` names (exit 2 if none has it)."""
    found = analyse_library(policy_path(path), checks=checks)
    chosen = found.only(pack)
    if not chosen.packs:
        names = "、".join(p.id for p in found) or "(无)"
        raise UsageError(f"{path} 中没有政策包 “{pack}”。政策包有:{names}。")
    return chosen


def policy_path(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"找不到 {path}。请给出政策文件夹(如 policies/)或一个 .yaml 文件。")
    return path


def use_colour(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def with_site(summary: Summary, policies: Path) -> Summary:
    """``summary`` with the handbook's URL, for the links of a SARIF report: the
    ``site_url`` of the mkdocs.yml at the top of the pack (else of the working
    directory's), unless $POLICYBOOK_SITE_URL names another."""
    from generator.files.siteconfig import read_site_settings
    from generator.load import SITE_CONFIGS
    from generator.printables.links import choose_site_url

    beside = policies / SITE_CONFIGS[0]
    settings = read_site_settings(beside if beside.is_file() else Path(SITE_CONFIGS[0]))
    return replace(summary, site_url=choose_site_url(None, settings.site_url),
                   directory_urls=settings.directory_urls)


def emit(args: argparse.Namespace, diagnostics: Sequence[Diagnostic], summary: Summary) -> None:
    if args.format == "sarif" and isinstance(getattr(args, "path", None), Path):
        summary = with_site(summary, args.path)
    if args.output is not None:
        write_text(args.output, FORMATS[args.format](diagnostics, summary), what=REPORT_FILE)
        return
    if args.format == "text":
        text = render_text(diagnostics, summary, colour=use_colour(sys.stdout))
    else:
        text = FORMATS[args.format](diagnostics, summary)
    sys.stdout.write(text)
