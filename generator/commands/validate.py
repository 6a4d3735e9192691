"""``policybook validate [PATH]``: YAML and schema errors, every one at once."""

from __future__ import annotations

import argparse

from generator.commands.common import add_report_arguments, emit, policy_path
from generator.errors import exit_code_for
from generator.reporters import Summary
from generator.validate import validate

NAME = "validate"
HELP = "校验政策文件的 YAML 语法和 schema / check YAML syntax and schemas"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    result = validate(policy_path(args.path))
    files = len({d.file for d in result.documents} | {d.file for d in result.diagnostics})
    emit(args, result.diagnostics, Summary(files=files, command=NAME))
    return exit_code_for(result.diagnostics, strict=args.strict)
