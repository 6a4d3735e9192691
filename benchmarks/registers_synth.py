"""Synthetic registers for the shipped pack's controls: ``n`` clean clients plus ``k``
injected violations of each control, written by DuckDB itself (no row passes through
Python), as CSV or Parquet under the registers' own headers.

Clean rows sit on the boundaries where they can (assets exactly at the threshold,
a manager with exactly the cap, a risk assessment on its last valid day, a contact on
its last day, an opening on the last valid day of its approval); each injection breaks
exactly one control, one step past the boundary (assets − 0.01, the cap + 1, validity
+ 1 day, contact on day 8, an opening on day 91 after its approval). ``write_registers``
returns the number of violations each control must report.

    python benchmarks/registers_synth.py 1000000 /tmp/audit-1m parquet
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 12, 1)
PER_MANAGER = 150
CENTRES = 100


def _headers(model_registers: dict[str, dict[str, str]], register: str) -> dict[str, str]:
    return model_registers[register]


def headers_of(pack: Path) -> dict[str, dict[str, str]]:
    """register → column id → header, read from the pack's register files."""
    from generator.pipeline import analyse

    model = analyse(pack, checks=False).model
    return {r.id: {c.id: c.header for c in r.columns} for r in model.registers.values()}


def _copy(con: duckdb.DuckDBPyConnection, table: str, headers: dict[str, str], path: Path,
          fmt: str) -> None:
    cols = ", ".join(f'"{cid}" AS "{head}"' for cid, head in headers.items())
    options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
    con.execute(f"COPY (SELECT {cols} FROM {table}) TO '{path}' ({options})")


def write_registers(out: Path, n: int, k: int, fmt: str = "csv",
                    pack: Path = ROOT / "policies" / "wealth-account-opening",
                    as_of: dt.date = AS_OF) -> dict[str, int]:
    """Write clients, managers and approvals into ``out``; the expected violation count
    of each control. ``k`` (0 to 200) rows or groups break each control."""
    assert 0 <= k <= 200
    headers = headers_of(pack)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    d = f"DATE '{as_of.isoformat()}'"
    managers_n = n // PER_MANAGER + 1
    # Clean clients: manager i // 150 (150 each, under the cap of 200), opened 100-299
    # days ago, assessed when opened, contacted within 0-7 days, reviewed within 0-90.
    con.execute(f"""
    CREATE TABLE clients AS
    SELECT printf('K%010d', i) AS client_id,
           printf('B%03d', (i // {PER_MANAGER}) % {CENTRES}) AS branch_id,
           printf('C%03d', (i // {PER_MANAGER}) % {CENTRES}) AS centre_id,
           CAST(CASE WHEN i % 1000 = 0 THEN 1000000 ELSE 1000000 + i % 4000000 + 0.5 END
                AS DECIMAL(18, 2)) AS financial_assets,
           CAST({d} - INTERVAL (100 + i % 200) DAY AS DATE) AS opened_on,
           printf('M%07d', i // {PER_MANAGER}) AS opened_by,
           printf('M%07d', i // {PER_MANAGER}) AS manager_id,
           CAST(NULL AS VARCHAR) AS reassignment_ref,
           CAST(NULL AS VARCHAR) AS approval_ref,
           CAST(NULL AS DATE) AS approval_decided_on,
           'C' || CAST(1 + i % 5 AS VARCHAR) AS risk_level,
           CAST({d} - INTERVAL (100 + i % 200) DAY AS DATE) AS risk_assessed_on,
           CAST({d} - INTERVAL (100 + i % 200) DAY + INTERVAL (i % 8) DAY AS DATE)
               AS welcome_contact_on,
           CAST({d} - INTERVAL (100 + i % 200) DAY + INTERVAL (i % 91) DAY AS DATE)
               AS first_review_on,
           'active' AS status
    FROM range({n}) t(i)
    """)
    con.execute(f"""
    CREATE TABLE managers AS
    SELECT printf('M%07d', i) AS manager_id, '经理' || CAST(i AS VARCHAR) AS name,
           printf('C%03d', i % {CENTRES}) AS centre_id, 'wealth_manager' AS role,
           true AS qualified, true AS active
    FROM range({managers_n}) t(i)
    """)
    con.execute("""
    CREATE TABLE approvals (approval_ref VARCHAR, client_id VARCHAR, decided_on DATE,
                            decision VARCHAR, approver_level VARCHAR, valid_until DATE)
    """)

    def approvals(prefix: str, client: str, days_ago: int, valid_for: int | None,
                  decision: str = "'approved'", level: str = "'tier1_branch'") -> None:
        """``k`` approvals ``<prefix>…`` of clients ``<client>…``, decided ``days_ago``
        days before the as-of date, valid ``valid_for`` days (``None``: not written)."""
        decided = f"CAST({d} - INTERVAL {days_ago} DAY AS DATE)"
        until = ("NULL" if valid_for is None
                 else f"CAST({d} - INTERVAL {days_ago} DAY + INTERVAL {valid_for} DAY AS DATE)")
        con.execute(f"""INSERT INTO approvals SELECT printf('{prefix}%06d', j),
                        printf('{client}%06d', j), {decided}, {decision}, {level}, {until}
                        FROM range({k}) t(j)""")

    def managers(*rows: str) -> None:
        if rows:
            con.execute("INSERT INTO managers VALUES " + ", ".join(rows))

    managers("('MX0000001', '无资格', 'C000', 'wealth_manager', false, true)",
             "('MY0000001', '已离岗', 'C000', 'wealth_manager', true, false)",
             "('MB0000001', '满额经理', 'C000', 'wealth_manager', true, true)")
    managers(*(f"('MC{j:07d}', '超额经理', 'C000', 'wealth_manager', true, true)"
               for j in range(k)))

    def inject(tag: str, count: int, **changes: str) -> None:
        """``count`` clean-looking clients ``X<tag>…`` of centre C001 with ``changes``,
        opened and maintained by a manager of their own (``MZ<tag>``)."""
        manager = f"'MZ{tag}'"
        managers(f"({manager}, '接手经理', 'C000', 'wealth_manager', true, true)")
        base = {"client_id": f"printf('X{tag}%06d', j)", "branch_id": "'B001'",
                "centre_id": "'C001'", "financial_assets": "2000000",
                "opened_on": f"CAST({d} - INTERVAL 30 DAY AS DATE)",
                "opened_by": manager, "manager_id": manager,
                "reassignment_ref": "NULL", "approval_ref": "NULL",
                "approval_decided_on": "NULL", "risk_level": "'C3'",
                "risk_assessed_on": f"CAST({d} - INTERVAL 30 DAY AS DATE)",
                "welcome_contact_on": f"CAST({d} - INTERVAL 25 DAY AS DATE)",
                "first_review_on": f"CAST({d} - INTERVAL 10 DAY AS DATE)",
                "status": "'active'", **changes}
        con.execute(f"INSERT INTO clients SELECT {', '.join(base.values())} "
                    f"FROM range({count}) t(j)")

    # The clean boundaries: exactly the cap, assets approved below the threshold, a
    # risk assessment on its last valid day, a contact on its last day, a closed client.
    inject("BCAP", 200, manager_id="'MB0000001'", opened_by="'MB0000001'")
    inject("BAPP", k, financial_assets="999999.99", approval_ref="printf('AOK%06d', j)",
           approval_decided_on=f"CAST({d} - INTERVAL 31 DAY AS DATE)")
    approvals("AOK", "XBAPP", 31, 90)
    # Opened on the approval's last valid day (day 90 after it), its validity exactly 90.
    inject("BAPV", k, financial_assets="999999.99", approval_ref="printf('AOV%06d', j)",
           approval_decided_on=f"CAST({d} - INTERVAL 120 DAY AS DATE)")
    approvals("AOV", "XBAPV", 120, 90)
    inject("BRV", k, risk_assessed_on=f"CAST({d} - INTERVAL 12 MONTH AS DATE)")
    inject("BWC", k, welcome_contact_on=f"CAST({d} - INTERVAL 23 DAY AS DATE)",
           first_review_on="NULL")
    inject("BCL", k, status="'closed'", manager_id="NULL", risk_level="NULL")
    # One violation each, k times.
    inject("ELIG", k, financial_assets="999999.99")
    inject("APPR", k, financial_assets="999999.99", approval_ref="printf('ANO%06d', j)")
    approvals("ANO", "XAPPR", 31, 90, "CASE WHEN j % 2 = 0 THEN 'rejected' ELSE 'approved' END",
              "CASE WHEN j % 2 = 0 THEN 'tier1_branch' ELSE 'branch' END")
    # Opened on day 91 after the approval: one day past its validity.
    inject("APVO", k, financial_assets="999999.99", approval_ref="printf('AEX%06d', j)",
           approval_decided_on=f"CAST({d} - INTERVAL 121 DAY AS DATE)")
    approvals("AEX", "XAPVO", 121, 90)
    # Approvals written valid for 91 days, or without the date once 90 days are over.
    approvals("AVL", "XAPVL", 31, 91)
    approvals("AVN", "XAPVN", 91, None)
    # A refusal has no validity: not checked.
    approvals("ARF", "XAPRF", 200, None, "'rejected'")
    inject("STAF", k, opened_by="'MX0000001'", reassignment_ref="'RA1'")
    # Unmaintained clients, all in centre C999: k rows, and one centre under the rate.
    inject("MNT", k, manager_id="NULL", centre_id="'C999'")
    inject("MGR", k, manager_id="'MY0000001'", reassignment_ref="'RA2'")
    inject("OWN", k, opened_by=f"printf('M%07d', j % {managers_n})")
    for j in range(k):  # k managers with the cap + 1
        inject(f"CAP{j:03d}", 201, manager_id=f"'MC{j:07d}'", opened_by=f"'MC{j:07d}'",
               reassignment_ref="NULL")
    inject("RISK", k, risk_level="NULL")
    inject("RVAL", k, risk_assessed_on=f"CAST({d} - INTERVAL 12 MONTH - INTERVAL 1 DAY AS DATE)")
    inject("WELC", k, welcome_contact_on=f"CAST({d} - INTERVAL 22 DAY AS DATE)")
    inject("REV", k, opened_on=f"CAST({d} - INTERVAL 100 DAY AS DATE)",
           risk_assessed_on=f"CAST({d} - INTERVAL 100 DAY AS DATE)",
           welcome_contact_on=f"CAST({d} - INTERVAL 99 DAY AS DATE)",
           first_review_on=f"CAST({d} - INTERVAL 9 DAY AS DATE)")
    suffix = ".csv" if fmt == "csv" else ".parquet"
    for table in ("clients", "managers", "approvals"):
        _copy(con, table, _headers(headers, table), out / f"{table}{suffix}", fmt)
    con.close()
    return {"C-ELIG-STANDARD": k, "C-ELIG-APPROVAL": k, "C-STAFF-OPENER": k,
            "C-MAINT-ASSIGNED": k, "C-MAINT-RATE": min(k, 1), "C-MAINT-MANAGER": k,
            "C-MAINT-OWNER": k, "C-MAINT-CAP": k, "C-RISK-ASSESSED": k, "C-RISK-VALID": k,
            "C-WELCOME": k, "C-FIRST-REVIEW": k, "C-APPROVAL-VALID-UNTIL": 2 * k,
            "C-APPROVAL-AT-OPENING": k}


if __name__ == "__main__":
    rows, folder = int(sys.argv[1]), Path(sys.argv[2])
    fmt = sys.argv[3] if len(sys.argv) > 3 else "csv"
    print(write_registers(folder, rows, 10, fmt))
