"""``policybook build``: check the policies, then build the PDFs and the handbook site.

The pack is analysed once; the PDFs and the site are rendered from that one
analysis into staging folders, and ``build/pdf`` and ``build/site`` are swapped in
together as the last step. Nothing is written when the policies have errors, and a
failure in either stage leaves both previous outputs intact.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.addresses import BUILD_DIR, PDF_CACHE_DIR, PDF_DIR, PRINT_DIR, SITE_DIR
from generator.commands.common import DEFAULT_POLICIES, emit, policy_path, use_colour
from generator.errors import EXIT_OK, PoliciesInvalid, exit_code_for
from generator.files.write import Staging, check_folder_target
from generator.library import analyse_library
from generator.load import SITE_CONFIGS
from generator.reporters import Summary, render_text
from generator.site.build import require_config, write_site
from generator.site.engines import DEFAULT_ENGINE, ENGINES, zensical_command

NAME = "build"
HELP = "检查政策并生成 PDF 清单、表单和手册网站 / check, then build PDFs and the site"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_POLICIES,
                        help="政策文件夹(默认 policies/)")
    parser.add_argument("--out", type=Path, default=Path(BUILD_DIR),
                        help="输出文件夹(默认 build/):build/pdf 与 build/site")
    parser.add_argument("--config", type=Path, default=None,
                        help="mkdocs 配置文件(默认:政策文件夹中的 mkdocs.yml,"
                             "没有时用当前目录的 mkdocs.yml)")
    parser.add_argument("--only", choices=("pdf", "site"), help="只生成 PDF 或只生成网站")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help="并行生成 PDF 的进程数(默认 CPU 核数)")
    parser.add_argument("--strict", action="store_true", help="警告也视为失败")
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                        help="生成网站的引擎(默认 mkdocs,即 Material for MkDocs;"
                             "zensical 需要可选组件 policybook[zensical])")
    parser.set_defaults(format="text", output=None)


def site_config(policies: Path) -> Path:
    """The mkdocs.yml at the top of the pack (``policybook new`` writes one there, so a
    pack builds from any folder), else the one in the working directory."""
    beside = policies / SITE_CONFIGS[0]
    return beside if beside.is_file() else Path(SITE_CONFIGS[0])


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    check_folder_target(out, what="输出文件夹 --out")
    pdf_wanted, site_wanted = args.only in (None, "pdf"), args.only in (None, "site")
    config: Path = args.config if args.config is not None else site_config(args.path)
    if site_wanted:
        require_config(config)
        if args.engine == "zensical":
            zensical_command()  # installed? (before any PDF is rendered)
    analysis = analyse_library(policy_path(args.path))
    summary = Summary(analysis.files, NAME)
    if exit_code_for(analysis.diagnostics, strict=args.strict) != EXIT_OK:
        emit(args, analysis.diagnostics, summary)
        raise PoliciesInvalid("政策有错误,未生成任何输出。")
    if analysis.diagnostics:  # warnings (e.g. drafted content awaiting review): say so
        sys.stderr.write(render_text(analysis.diagnostics, summary,
                                     colour=use_colour(sys.stderr)))
    # Render everything into staging folders beside build/pdf and build/site, then
    # swap both in as the last step: a failure anywhere leaves both as they were.
    with Staging() as staging:
        pdf_dir, pdfs = out / PDF_DIR, None
        if pdf_wanted:
            found: dict[str, Path] = {}
            from generator.printables import write_printables
            from generator.printables.cache import PdfCache

            pdf_dir = staging.folder(out / PDF_DIR)
            cache = PdfCache(out / PDF_CACHE_DIR)
            for pack in analysis:  # a library's in pdf/<pack>/, published in <pack>/print/
                folder = pdf_dir / pack.prefix
                folder.mkdir(exist_ok=True)
                paths = write_printables(pack.analysis.model, folder, jobs=args.jobs,
                                         progress=sys.stderr.isatty(), mkdocs_config=config,
                                         section=pack.prefix, cache=cache)
                found |= {f"{pack.prefix}{PRINT_DIR}/{p.relative_to(folder).as_posix()}": p
                          for p in paths}
            pdfs = found
            cache.prune()
        if site_wanted:
            write_site(config, staging.folder(out / SITE_DIR), policies=args.path,
                       pdf_dir=pdf_dir, analysis=analysis, pdfs=pdfs, engine=args.engine,
                       on_warning=lambda message: print(message, file=sys.stderr))
        staging.commit()
    if pdf_wanted:
        print(f"PDF: {len(pdfs or ())} 个文件(生成 {cache.rendered} 个,内容未变、沿用缓存 "
              f"{cache.reused} 个)→ {out / PDF_DIR}", file=sys.stderr)
    if site_wanted:
        print(f"网站 → {out / SITE_DIR}", file=sys.stderr)
    return EXIT_OK
