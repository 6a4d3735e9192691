"""``policybook check [PATH]``: validation plus every consistency check of the whole pack."""

from __future__ import annotations

import argparse

from generator.commands.common import add_report_arguments, emit, policy_path
from generator.errors import exit_code_for
from generator.pipeline import analyse
from generator.reporters import Summary

NAME = "check"
HELP = "校验并检查流程、决策表、问卷和可追溯性 / validate, then check the pack as a whole"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    analysis = analyse(policy_path(args.path))
    emit(args, analysis.diagnostics, Summary(analysis.files, NAME))
    return exit_code_for(analysis.diagnostics, strict=args.strict)
