"""The audit benchmark's yardstick: the hand-written DuckDB query
(``benchmarks/hand_audit.py``) and ``policybook audit`` find the same violations and the
same figures per control, rule and centre on the synthetic registers, in CSV and
Parquet; and the agreement check covers every control of the pack, so a control the
hand query (or the audit, or the injected violations) lacks fails it by name."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from benchmarks.bench_audit import Disagreement, agree, hand_written, ours, pack_model
from benchmarks.registers_synth import write_registers

K = 3


@pytest.fixture(scope="module", params=["csv", "parquet"])
def found(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[dict[str, Any], dict[str, Any], dict[str, int]]:
    folder = tmp_path_factory.mktemp(f"bench-{request.param}")
    expected = write_registers(folder, 1500, K, request.param)
    return ours(folder)[2], hand_written(folder, request.param)[2], expected


def test_the_hand_query_and_the_audit_agree_on_every_control(
        found: tuple[dict[str, Any], dict[str, Any], dict[str, int]]) -> None:
    mine, hand, expected = found
    agree(mine, hand, expected)
    assert set(hand["controls"]) == set(pack_model().controls)
    assert hand["violations"]["C-APPROVAL-AT-OPENING"] == K
    assert hand["violations"]["C-APPROVAL-VALID-UNTIL"] == 2 * K
    # Each centre's figures are compared, not only the totals.
    assert len(hand["rules"]["R-ELIG"]) > 10


@pytest.mark.parametrize("control", ["C-APPROVAL-AT-OPENING", "C-MAINT-CAP"])
def test_a_control_missing_from_the_hand_query_fails_by_name(
        found: tuple[dict[str, Any], dict[str, Any], dict[str, int]], control: str) -> None:
    mine, hand, expected = found
    lacking = copy.deepcopy(hand)
    del lacking["controls"][control]
    lacking["violations"].pop(control, None)
    with pytest.raises(Disagreement, match=f"missing \\['{control}'\\]"):
        agree(mine, lacking, expected)
    with pytest.raises(Disagreement, match=f"missing \\['{control}'\\]"):
        agree(mine, hand, {k: v for k, v in expected.items() if k != control})


def test_a_different_figure_fails(
        found: tuple[dict[str, Any], dict[str, Any], dict[str, int]]) -> None:
    mine, hand, expected = found
    other = copy.deepcopy(hand)
    units = other["rules"]["R-APPROVAL"]
    unit = next(iter(units))
    units[unit] = (units[unit][0] + 1, units[unit][1])
    with pytest.raises(Disagreement, match="R-APPROVAL"):
        agree(mine, other, expected)
    fewer = copy.deepcopy(hand)
    fewer["violations"]["C-APPROVAL-VALID-UNTIL"] -= 1
    with pytest.raises(Disagreement, match="hand-written query found"):
        agree(mine, fewer, expected)

