"""``policybook check [PATH]``: validation plus every consistency check of the whole pack."""

from __future__ import annotations

import argparse

from generator.commands.common import add_report_arguments, emit, library
from generator.errors import exit_code_for
from generator.reporters import Summary

NAME = "check"
HELP = "校验并检查流程、决策表、问卷和可追溯性 / validate, then check the pack as a whole"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    packs = library(args.path, args.pack)
    emit(args, packs.diagnostics, Summary(packs.files, NAME))
    return exit_code_for(packs.diagnostics, strict=args.strict)
