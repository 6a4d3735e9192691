"""``policybook-hook``: the pre-commit hooks' entry point (``.pre-commit-hooks.yaml``).

pre-commit installs policybook into an environment of its own, where the schemas are
the copies bundled with that release (``<prefix>/share/policybook/schemas``). A
repository that keeps its own ``schemas/`` (a fork of policybook, a pack whose schemas
moved on) must be validated against those, as ``make test`` in it would: when the
working directory (pre-commit runs hooks at the repository's top) has
``schemas/pack.schema.json``, this points ``POLICYBOOK_SCHEMAS`` there, then runs
``policybook`` with the same arguments.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

REPOSITORY_SCHEMAS = Path("schemas")


def repository_schemas(top: Path) -> Path | None:
    """The repository's own schema folder, when it has one."""
    folder = top / REPOSITORY_SCHEMAS
    return folder.resolve() if (folder / "pack.schema.json").is_file() else None


def main(argv: Sequence[str] | None = None) -> int:
    folder = repository_schemas(Path.cwd())
    if folder is not None and "POLICYBOOK_SCHEMAS" not in os.environ:
        os.environ["POLICYBOOK_SCHEMAS"] = str(folder)
    # Imported only now: generator.schema reads POLICYBOOK_SCHEMAS when it is imported.
    from generator.cli import main as policybook

    return policybook(argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
