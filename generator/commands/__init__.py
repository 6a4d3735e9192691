"""Subcommands of the ``policybook`` CLI, one module each."""
