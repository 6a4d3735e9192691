"""Rules and rows with their citations: the section of the source and its title."""

from __future__ import annotations

from collections.abc import Iterable

from generator.evaluate.results import Citation, RuleRef
from generator.model import Model, Provenance


def citation(model: Model, prov: Provenance) -> Citation:
    """The section a provenance cites (for drafted content: the one it is based on),
    with the section's title from the source's outline."""
    section = prov.based_on if prov.drafted else prov.citation
    source = model.meta.source(prov.source) if model.meta else None
    found = source.section(section) if source is not None and section else None
    return Citation(
        status=prov.status, section=found.citation if found else section,
        section_title=found.title if found else "",
        source=source.id if source else prov.source,
        source_title=source.title if source else "",
        quote=prov.quote, note=model.text(prov.note))


def rule_refs(model: Model, rule_ids: Iterable[str]) -> tuple[RuleRef, ...]:
    """The rules that exist, in the order given, each once."""
    out = []
    for rid in dict.fromkeys(rule_ids):
        rule = model.rules.get(rid)
        if rule is not None:
            out.append(RuleRef(rule.id, rule.title, model.text(rule.text),
                               citation(model, rule.provenance)))
    return tuple(out)
