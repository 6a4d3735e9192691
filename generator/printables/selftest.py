"""The printable self-test (自测): the questions of
:func:`generator.selftest.self_test` without their answers first, then, from a new
page, the answer key with why each wrong option is wrong and the rules and source
sections each answer rests on. The same test as the handbook's 自测 page.

Declared by the ``pack`` kind (the test spans the pack's tables, questionnaires,
rules and flows); published at ``print/selftest/selftest.pdf``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.printables.documents import Planner, Printable
from generator.printables.views import Header
from generator.selftest import SelfTest, self_test

KIND = "selftest"
ID = "selftest"


@dataclass(frozen=True, slots=True)
class SelfTestDoc:
    header: Header
    test: SelfTest


def code(planner: Planner) -> str:
    """``<prefix>-T-01``, with the prefix the pack's forms and checklists use (as the
    flow sheets' ``<prefix>-P-…``); ``T-01`` without one."""
    model = planner.model
    codes = [f.code for f in model.forms.values() if f.code]
    codes += [c.code for c in model.checklists.values() if c.code]
    return (codes[0].split("-")[0] + "-" if codes else "") + "T-01"


def selftest_printables(planner: Planner) -> Iterator[Printable]:
    test = self_test(planner.model)
    if not test.questions:
        return
    # Marked a draft when any answer rests on drafted content.
    drafted = any(c.cite.startswith("起草") for q in test.questions for c in q.sources)
    header = planner.header("自测", code(planner), "员工自测", "Staff self-test", drafted)
    # A kind and a document type of its own: documents.py keeps the literal and the
    # union of the checklists', forms' and flow sheets'.
    yield Printable(KIND, ID, "selftest.html", SelfTestDoc(header, test),  # type: ignore[arg-type]
                    False)
