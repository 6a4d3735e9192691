"""What staff read and say: scripts, the glossary and the target-clients part."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.core import Loc, Provenance


@dataclass(frozen=True, slots=True)
class Objection:
    id: str
    objection: str
    answer: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Script:
    id: str
    title: str
    step: str
    opening: str
    key_messages: tuple[str, ...]
    objections: tuple[Objection, ...]
    closing: str
    never_say: tuple[str, ...]
    provenance: Provenance
    loc: Loc
    rules: tuple[str, ...] = ()
    """The rules staff follow when they say it (ids from rules.yaml)."""


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    term: str
    en: str
    definition: str
    aliases: tuple[str, ...]
    provenance: Provenance
    loc: Loc


@dataclass(frozen=True, slots=True)
class Topic:
    """An entry of the target-clients part: a source, a mining criterion or a channel."""

    id: str
    title: str
    description: str
    provenance: Provenance
    loc: Loc
    signal: str = ""
    criterion: str = ""
    action: str = ""
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TargetClients:
    id: str
    title: str
    standard: str
    standard_rules: tuple[str, ...]
    standard_provenance: Provenance
    sources: tuple[Topic, ...]
    mining: tuple[Topic, ...]
    development: tuple[Topic, ...]
    provenance: Provenance
    loc: Loc
