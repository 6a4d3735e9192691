"""One comparison spec per built-in document kind, and :func:`compare`, which runs
the spec each kind declares (:attr:`generator.kinds.registry.Kind.diff`).

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

BUILT_IN: dict[str, Spec] = {spec.kind: spec for spec in (
    pack.SPEC, parameters.SPEC, roles.SPEC, rules.SPEC, flows.SPEC, decisions.SPEC,
    questionnaires.SPEC, forms.SPEC, checklists.SPEC, scripts.SPEC, glossary.SPEC,
    cases.SPEC, target_clients.SPEC,
)}
"""Keyed by the document kind as written in ``kind:``, in the order a reviewer
reads the changes; the kinds' declarations name them."""


def specs(model: Model) -> dict[str, Spec]:
    """The comparison each kind of ``model`` declares; a kind without one is compared on
    its raw documents (:mod:`generator.diff.failclosed`)."""
    return {name: kind.diff for name, kind in model.kinds.items() if kind.diff is not None}


def compare(old: Model, new: Model) -> list[Change]:
    """Every change from ``old`` to ``new``, in the order a reviewer reads them."""
    ctx = Context(old, new)
    declared = specs(new)
    changes: list[Change] = []
    for spec in sorted(declared.values(), key=_reading_order):
        changes.extend(spec.compare(ctx))
    changes.extend(provenance.compare(ctx))
    changes.extend(failclosed.compare(old, new, declared))
    return changes


def _reading_order(spec: Spec) -> int:
    order = list(BUILT_IN)
    return order.index(spec.kind) if spec.kind in order else len(order)


__all__ = ["BUILT_IN", "Spec", "compare", "specs"]
