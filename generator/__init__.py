"""policybook: staff procedures as YAML policies, checked and rendered.

The pipeline reads top to bottom, one module per stage::

    discover → load (yamlload) → validate (schema) → model → check → render → write

The library returns results; only :mod:`generator.cli` prints.
"""

__version__ = "0.1.0"
