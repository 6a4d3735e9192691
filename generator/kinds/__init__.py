"""The document kinds of the policy language, one module each, and the registry
that every layer reads (:mod:`generator.kinds.registry` says what a kind declares).

Add a kind by writing one module here (a ``KIND = Kind(...)`` declaration with its
builder, walkers, references, comparison and pages) and its schema in ``schemas/``,
and listing it in :data:`BUILT_IN`; ``tests/test_kinds.py`` names any layer it lacks.
"""

from __future__ import annotations

from functools import cache

from generator.kinds.registry import Kind, Registry, Target, missing_layers

BUILT_IN = (
    "pack", "parameters", "roles", "rules", "flow", "decision_table", "questionnaire",
    "form", "checklist", "script", "glossary", "target_clients", "cases", "register", "controls",
)  # fmt: skip
"""The built-in kinds in build order (the pack and the parameters first: stages and
decision-table bounds refer to them) and reading order."""


@cache
def registry() -> Registry:
    """The built-in kinds. Loaded on first use: the declarations import the layers
    they describe, which read the registry only at run time (through the model)."""
    from generator.kinds import (
        cases,
        checklist,
        controls,
        decision_table,
        flow,
        form,
        glossary,
        pack,
        parameters,
        questionnaire,
        register,
        roles,
        rules,
        script,
        target_clients,
    )

    kinds = Registry((pack.KIND, parameters.KIND, roles.KIND, rules.KIND, flow.KIND,
                      decision_table.KIND, questionnaire.KIND, form.KIND, checklist.KIND,
                      script.KIND, glossary.KIND, target_clients.KIND, cases.KIND,
                      register.KIND, controls.KIND))
    assert kinds.names == BUILT_IN
    return kinds


__all__ = ["BUILT_IN", "Kind", "Registry", "Target", "missing_layers", "registry"]
