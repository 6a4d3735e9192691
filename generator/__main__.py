"""``python -m generator`` is the same as the ``policybook`` command."""

from generator.cli import main

raise SystemExit(main())
