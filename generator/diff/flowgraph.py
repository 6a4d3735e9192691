"""Moved to :mod:`generator.model.graph`; this name stays for the diff's imports."""

from generator.model.graph import (
    contracted_ancestors,
    contracted_predecessors,
    contracted_successors,
    outcome_targets,
)

__all__ = [
    "contracted_ancestors",
    "contracted_predecessors",
    "contracted_successors",
    "outcome_targets",
]
