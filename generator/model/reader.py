"""Read one document for the builders: locations, provenance (stated or inherited
from the document) and the ids it claims in the pack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load import Document
from generator.model.core import Loc, Provenance


class DocumentReader:
    """Reads one document for the builders: where each element is, the provenance
    it states or inherits, and the ids it claims in the pack."""

    def __init__(self, doc: Document, diagnostics: list[Diagnostic],
                 seen: dict[tuple[str, str], Loc]) -> None:
        self.doc = doc
        self.diagnostics = diagnostics
        self._seen = seen
        self.document_provenance = _provenance(doc.data, None)
        """The document's own provenance, which every element without one inherits."""

    def loc(self, pointer: str) -> Loc:
        line, col = self.doc.at(pointer)
        return Loc(self.doc.file, line, col, pointer)

    def provenance(self, data: Mapping[str, Any]) -> Provenance:
        """The provenance ``data`` states, else the document's (marked inherited)."""
        return _provenance(data, self.document_provenance)

    def register(self, kind: str, key: str, loc: Loc, label: str) -> bool:
        """Claim ``key`` for ``kind``; a second claim is reported and refused."""
        first = self._seen.get((kind, key))
        if first is not None:
            self.diagnostics.append(loc.diagnostic(
                "ref.duplicate-id",
                f"{label}标识 “{key}” 重复,已在 {first.file}:{first.line} 定义。",
                "标识在政策包中必须唯一;请改名或删除其中一个。"))
            return False
        self._seen[(kind, key)] = loc
        return True


def _provenance(data: Mapping[str, Any], inherited: Provenance | None) -> Provenance:
    raw = data.get("provenance")
    if isinstance(raw, dict):
        if "sourced" in raw:
            return Provenance(status="sourced", citation=raw["sourced"],
                              quote=raw.get("quote", ""), source=raw.get("source", ""))
        return Provenance(status="drafted", note=raw.get("drafted", ""),
                          based_on=raw.get("based_on", ""), source=raw.get("source", ""))
    if inherited is None:
        return Provenance(status="drafted", note="未注明来源", inherited=True)
    if inherited.inherited:
        return inherited
    return Provenance(status=inherited.status, citation=inherited.citation,
                      quote=inherited.quote, note=inherited.note,
                      based_on=inherited.based_on, inherited=True, source=inherited.source)

