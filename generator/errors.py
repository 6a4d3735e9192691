"""The one place that maps outcomes to exit codes (0 fine, 1 policies wrong, 2 usage)."""

from __future__ import annotations

from collections.abc import Iterable

from generator.diagnostics import Diagnostic, Severity

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class UsageError(Exception):
    """The command was used wrongly (bad path, bad option). Exit code 2."""

    exit_code = EXIT_USAGE


class BuildError(Exception):
    """A build step failed for a reason that is not a policy diagnostic (e.g. missing font).

    Carries a message saying what to do. Exit code 1.
    """

    exit_code = EXIT_INVALID


def exit_code_for(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> int:
    threshold = Severity.WARNING if strict else Severity.ERROR
    return EXIT_INVALID if any(d.severity >= threshold for d in diagnostics) else EXIT_OK
