"""``policybook audit [PATH] --data DIR | --register NAME=FILE …``: run every control of
a pack over the bank's data (CSV or Parquet) and report each violation with its rule,
citation and parameter values, and a summary per rule. Exit 0 clean, 1 violations,
2 wrong usage or bad data."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

from generator.audit.data import data_files
from generator.audit.engines import MEMORY_LIMIT, open_engine
from generator.audit.report import FORMATS
from generator.audit.run import audit
from generator.commands.common import DEFAULT_POLICIES, add_pack_argument, library
from generator.errors import EXIT_INVALID, EXIT_OK, PoliciesInvalid, UsageError
from generator.files.write import atomic_open, check_file_target
from generator.reporters import Summary

NAME = "audit"
HELP = "按审计控制检查登记簿数据是否遵守规则 / audit the bank's data against the rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_POLICIES,
                        help="政策文件夹(默认 policies/)")
    parser.add_argument("--data", type=Path, metavar="DIR",
                        help="数据文件夹:每个登记簿一个 <登记簿>.csv 或 <登记簿>.parquet")
    parser.add_argument("--register", action="append", default=[], metavar="NAME=FILE",
                        help="某个登记簿的数据文件(可多次给出;优先于 --data)")
    parser.add_argument("--as-of", metavar="DATE", help="审计基准日 YYYY-MM-DD(默认今天)")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                        help="执行引擎:duckdb(默认,单机)或 spark(需安装 policybook[spark])")
    parser.add_argument("--format", "-f", choices=tuple(FORMATS), default="text",
                        help="text(默认)、json、csv、markdown、html")
    parser.add_argument("--output", "-o", type=Path, help="写入文件而不是标准输出")
    parser.add_argument("--memory-limit", metavar="SIZE",
                        help=f"DuckDB 的内存上限(默认 {MEMORY_LIMIT};超出部分写入临时文件夹)")
    parser.add_argument("--threads", type=int, metavar="N",
                        help="DuckDB 的线程数(默认:CPU 核数)")
    parser.add_argument("--temp-dir", type=Path, metavar="DIR",
                        help="临时文件夹(CSV 的列式副本与溢出数据;默认系统临时文件夹)")
    add_pack_argument(parser)


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of {text}:不是日期,请写作 YYYY-MM-DD。") from None


def _named(items: list[str]) -> dict[str, Path]:
    named = {}
    for item in items:
        name, sep, file = item.partition("=")
        if not sep or not name or not file:
            raise UsageError(f"--register {item}:请写作 NAME=FILE,如 clients=data/clients.csv。")
        named[name] = Path(file)
    return named


def run(args: argparse.Namespace) -> int:
    as_of = _as_of(args.as_of)
    named = _named(args.register)
    if args.data is None and not named:
        raise UsageError("请用 --data DIR 或 --register NAME=FILE 给出要审计的数据。")
    if args.output is not None:
        check_file_target(args.output)
    packs = library(args.path, args.pack)
    if not packs.ok:
        raise PoliciesInvalid("政策文件有错误,无法审计。", packs.diagnostics,
                              Summary(packs.files, NAME))
    with_controls = [p for p in packs if p.analysis.model.controls]
    if len(with_controls) != 1:
        names = "、".join(p.id for p in with_controls) or "(无)"
        raise UsageError("请用 --pack 选定一个有审计控制的政策包:" + names + "。"
                         if with_controls else "政策包中没有审计控制(controls/)。")
    model = with_controls[0].analysis.model
    files = data_files(model, args.data, named)
    if args.threads is not None and args.threads < 1:
        raise UsageError(f"--threads {args.threads}:须是正整数。")
    if args.temp_dir is not None and not args.temp_dir.is_dir():
        raise UsageError(f"--temp-dir {args.temp_dir}:不是文件夹。")
    engine = open_engine(args.engine, memory_limit=args.memory_limit, threads=args.threads,
                         temp_directory=args.temp_dir)
    write = FORMATS[args.format]
    try:
        result = audit(model, files, engine, as_of, args.engine)
        # The violations stream from the engine into the report as they come.
        if args.output is None:
            write(model, result, sys.stdout)
        else:
            with atomic_open(args.output) as handle:
                text = io.TextIOWrapper(handle, encoding="utf-8-sig" if args.format == "csv"
                                        else "utf-8", newline="")
                write(model, result, text)
                text.flush()
                text.detach()
    finally:
        engine.close()
    return EXIT_OK if result.clean else EXIT_INVALID
