"""The synthetic packs the benchmarks measure are real packs: N× the elements, valid,
and consistent enough to pass the whole analysis."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, POLICIES, ROOT

from generator.diagnostics import Severity
from generator.pipeline import analyse
from generator.validate import validate

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import make_pack

MINIMAL = EXAMPLES / "valid" / "minimal"


def problems(path: Path) -> list[tuple[str, str, int]]:
    analysis = analyse(path)
    return [(d.check, d.file, d.line) for d in analysis.diagnostics
            if d.severity >= Severity.WARNING and d.check != "provenance.drafted"]


def test_the_minimal_pack_times_three(tmp_path: Path) -> None:
    pack = make_pack(3, tmp_path / "pack", source=MINIMAL)
    assert validate(pack).diagnostics == []
    assert problems(pack) == []
    model = analyse(pack).model
    assert sorted(model.flows) == ["opening", "opening_k1", "opening_k2"]
    assert model.flows["opening_k2"].step("eligibility_k2") is not None
    assert model.steps["eligibility_k1"].decision_table == "eligibility_table_k1"
    assert sorted(model.rules) == ["R-ELIG", "R-ELIG-K1", "R-ELIG-K2",
                                   "R-KYC", "R-KYC-K1", "R-KYC-K2"]
    assert model.rules["R-ELIG-K2"].constraints[0].flow == "opening_k2"
    assert model.steps["collect_info_k1"].rules == ("R-KYC-K1",)
    assert model.steps["collect_info_k1"].stage == "intake"  # shared: not renamed
    assert model.steps["collect_info_k1"].actor == "clerk"
    assert sorted(c.code for c in model.checklists.values()) == [
        "MN-C-01", "MNB-C-01", "MNC-C-01"]
    assert model.cases["eligible_client_opens_k1"].given == {"eligibility_k1": "eligible"}
    assert len(model.terms) == 3
    table = model.decision_tables["eligibility_table_k2"]
    assert [o.id for o in table.outputs] == ["eligibility"]  # a local id keeps its value


def test_scale_one_is_a_copy(tmp_path: Path) -> None:
    pack = make_pack(1, tmp_path / "pack", source=MINIMAL)
    assert sorted(p.relative_to(pack) for p in pack.rglob("*.yaml")) == sorted(
        p.relative_to(MINIMAL) for p in MINIMAL.rglob("*.yaml"))


@pytest.mark.skipif(not (POLICIES / "pack.yaml").is_file(), reason="no shipped pack")
def test_the_shipped_pack_times_two_passes_the_whole_analysis(tmp_path: Path) -> None:
    if validate(POLICIES).diagnostics or problems(POLICIES):
        pytest.skip("the shipped pack itself has findings")
    pack = make_pack(2, tmp_path / "pack")
    assert validate(pack).diagnostics == []
    assert problems(pack) == []
    folders = {"flows", "decisions", "questionnaires", "forms", "checklists", "scripts", "cases"}
    shipped = list(POLICIES.rglob("*.yaml"))
    replicated = sum(1 for p in shipped if p.relative_to(POLICIES).parts[0] in folders)
    # The replicated kinds' documents twice, every other document once.
    assert sum(1 for _ in pack.rglob("*.yaml")) == len(shipped) + replicated
