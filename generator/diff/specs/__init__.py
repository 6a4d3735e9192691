"""One comparison spec per document kind, and :func:`compare`, which runs them all.

Material means the change alters an obligation: a threshold, eligibility, who
may act, a required step or its order, a decision outcome, a required field or
check, or whether content is adopted policy (drafted → sourced). Everything else
is editorial. Each change carries the reason, so a reviewer can disagree.

The diff fails closed (:mod:`generator.diff.failclosed`): a kind with no spec here,
and any field a spec does not list, are still compared on the raw documents and
reported as material.
"""

from __future__ import annotations

from generator.diff import failclosed
from generator.diff.changes import Change
from generator.diff.engine import Context, Spec
from generator.diff.specs import (
    cases,
    checklists,
    decisions,
    flows,
    forms,
    glossary,
    pack,
    parameters,
    provenance,
    questionnaires,
    roles,
    rules,
    scripts,
    target_clients,
)
from generator.model import Model

SPECS: dict[str, Spec] = {spec.kind: spec for spec in (
    pack.SPEC, parameters.SPEC, roles.SPEC, rules.SPEC, flows.SPEC, decisions.SPEC,
    questionnaires.SPEC, forms.SPEC, checklists.SPEC, scripts.SPEC, glossary.SPEC,
    cases.SPEC, target_clients.SPEC,
)}
"""Keyed by the document kind as written in ``kind:``, in the order a reviewer
reads the changes."""


def compare(old: Model, new: Model) -> list[Change]:
    """Every change from ``old`` to ``new``, in the order a reviewer reads them."""
    ctx = Context(old, new)
    changes: list[Change] = []
    for spec in SPECS.values():
        changes.extend(spec.compare(ctx))
    changes.extend(provenance.compare(ctx))
    changes.extend(failclosed.compare(old, new, SPECS))
    return changes


__all__ = ["SPECS", "Spec", "compare"]
