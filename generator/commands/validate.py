"""``policybook validate [PATH]``: YAML and schema errors, every one at once."""

from __future__ import annotations

import argparse

from generator.commands.common import add_report_arguments, emit, policy_path
from generator.diagnostics import sort_diagnostics, with_ends
from generator.errors import UsageError, exit_code_for
from generator.library import layout
from generator.load import load_pack
from generator.reporters import Summary

NAME = "validate"
HELP = "校验政策文件的 YAML 语法和 schema / check YAML syntax and schemas"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    found = layout(policy_path(args.path))
    folders = [f for f in found.packs if args.pack in (None, f.name)]
    if not folders:
        raise UsageError(f"{args.path} 中没有政策包文件夹 “{args.pack}”。")
    results = [load_pack(f, shared=found.shared) for f in folders]
    maps = {doc.file: doc.source for r in results for doc in r.documents}
    diagnostics = with_ends(sort_diagnostics([d for r in results for d in r.diagnostics]), maps)
    files = len({d.file for r in results for d in r.documents} | {d.file for d in diagnostics})
    emit(args, diagnostics, Summary(files=files, command=NAME))
    return exit_code_for(diagnostics, strict=args.strict)
