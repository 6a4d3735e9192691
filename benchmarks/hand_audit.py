"""The yardstick of ``bench_audit.py``: the shipped pack's audit written by hand as one
DuckDB query, doing the work ``policybook audit`` does: every cell checked (required,
type, values) and every key checked for repeats in the three registers, the violations
of every control (fourteen), each control's figures per centre (rows or groups checked,
violations) and the per-rule figures per centre (rows checked, rows breaking; the
maintenance-rate rule counts the rows of a centre under the rate that no per-row control
already counted; the cap rule counts managers; the approvals register has no centre).
Its rows are ``(part, name, centre, key, n, m)``: ``data`` (name, problems),
``violation`` (control, key), ``control`` (control, centre, checked, violations),
``rule`` (rule, centre, checked, violations). ``bench_audit.py`` checks that it covers
every control and rule of the pack: a control added to the pack and not here fails the
benchmark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def _source(folder: Path, name: str, fmt: str) -> str:
    if fmt == "parquet":
        return f"read_parquet('{folder}/{name}.parquet')"
    return f"read_csv('{folder}/{name}.csv', header = true, all_varchar = true)"


def hand_query(folder: Path, fmt: str, as_of: dt.date) -> str:
    d = f"DATE '{as_of.isoformat()}'"
    clients, managers, approvals = (_source(folder, n, fmt)
                                    for n in ("clients", "managers", "approvals"))
    return f"""
WITH c AS (
  SELECT "客户号" AS client_id, "财富中心号" AS centre_id,
         TRY_CAST("开户时金融资产(元)" AS DECIMAL(18, 2)) AS financial_assets,
         TRY_CAST("开户日期" AS DATE) AS opened_on, "开户经理工号" AS opened_by,
         "维护经理工号" AS manager_id, "维护关系调整单号" AS reassignment_ref,
         "审批单号" AS approval_ref, TRY_CAST("审批日期" AS DATE) AS approval_decided_on,
         "风险等级" AS risk_level,
         TRY_CAST("风险评估日期" AS DATE) AS risk_assessed_on,
         TRY_CAST("欢迎联络日期" AS DATE) AS welcome_contact_on,
         TRY_CAST("首次检视日期" AS DATE) AS first_review_on, "状态" AS status,
         "客户号" IS NULL OR "开户网点号" IS NULL OR "财富中心号" IS NULL
           OR "开户经理工号" IS NULL OR "状态" IS NULL OR "开户时金融资产(元)" IS NULL
           OR "开户日期" IS NULL
           OR TRY_CAST("开户时金融资产(元)" AS DECIMAL(18, 2)) IS NULL
           OR TRY_CAST("开户日期" AS DATE) IS NULL
           OR "状态" NOT IN ('active', 'closed')
           OR ("风险等级" IS NOT NULL AND "风险等级" NOT IN ('C1', 'C2', 'C3', 'C4', 'C5'))
           OR ("审批日期" IS NOT NULL AND TRY_CAST("审批日期" AS DATE) IS NULL)
           OR ("风险评估日期" IS NOT NULL AND TRY_CAST("风险评估日期" AS DATE) IS NULL)
           OR ("欢迎联络日期" IS NOT NULL AND TRY_CAST("欢迎联络日期" AS DATE) IS NULL)
           OR ("首次检视日期" IS NOT NULL AND TRY_CAST("首次检视日期" AS DATE) IS NULL)
           AS bad
  FROM {clients}),
m AS (
  SELECT "工号" AS manager_id, "岗位" AS role, TRY_CAST("资格" AS BOOLEAN) AS qualified,
         TRY_CAST("在岗" AS BOOLEAN) AS active,
         "工号" IS NULL OR "姓名" IS NULL OR "所属中心号" IS NULL OR "岗位" IS NULL
           OR "资格" IS NULL OR "在岗" IS NULL
           OR "岗位" NOT IN ('wealth_manager', 'client_manager', 'centre_supervisor')
           OR TRY_CAST("资格" AS BOOLEAN) IS NULL OR TRY_CAST("在岗" AS BOOLEAN) IS NULL AS bad
  FROM {managers}),
a AS (
  SELECT "审批单号" AS approval_ref, "客户号" AS client_id, "结论" AS decision,
         "审批机构层级" AS approver_level, TRY_CAST("审批日期" AS DATE) AS decided_on,
         TRY_CAST("有效期至" AS DATE) AS valid_until,
         "审批单号" IS NULL OR "客户号" IS NULL OR "审批日期" IS NULL OR "结论" IS NULL
           OR "审批机构层级" IS NULL OR TRY_CAST("审批日期" AS DATE) IS NULL
           OR ("有效期至" IS NOT NULL AND TRY_CAST("有效期至" AS DATE) IS NULL)
           OR "结论" NOT IN ('approved', 'rejected')
           OR "审批机构层级" NOT IN ('tier1_branch', 'branch', 'centre') AS bad
  FROM {approvals}),
f AS (
  SELECT c.client_id, c.centre_id, c.manager_id, act, s_appr, s_mgr, s_rate, s_apo,
         (c.financial_assets IS NULL OR c.financial_assets < 1000000)
           AND c.approval_ref IS NULL AS v_std,
         s_appr AND (a.approval_ref IS NULL OR a.decision IS DISTINCT FROM 'approved'
           OR a.approver_level IS DISTINCT FROM 'tier1_branch') AS v_appr,
         s_apo AND coalesce(c.opened_on, {d}) > c.approval_decided_on + INTERVAL 90 DAY
           AS v_apo,
         c.opened_by IS NOT NULL AS s_open,
         c.opened_by IS NOT NULL AND (o.manager_id IS NULL
           OR o.role IS DISTINCT FROM 'wealth_manager' OR o.qualified IS DISTINCT FROM true)
           AS v_open,
         act AND c.manager_id IS NULL AS v_asg,
         s_mgr AND (k.manager_id IS NULL OR k.role IS DISTINCT FROM 'wealth_manager'
           OR k.active IS DISTINCT FROM true) AS v_mgr,
         s_mgr AND c.manager_id IS DISTINCT FROM c.opened_by
           AND c.reassignment_ref IS NULL AS v_own,
         act AND (c.risk_level IS NULL OR c.risk_assessed_on IS NULL) AS v_rsk,
         act AND c.risk_assessed_on IS NOT NULL AS s_val,
         act AND c.risk_assessed_on IS NOT NULL
           AND {d} > c.risk_assessed_on + INTERVAL 12 MONTH AS v_val,
         c.opened_on IS NOT NULL AS s_wel,
         c.opened_on IS NOT NULL
           AND coalesce(c.welcome_contact_on, {d}) > c.opened_on + INTERVAL 7 DAY AS v_wel,
         c.opened_on IS NOT NULL
           AND coalesce(c.first_review_on, {d}) > c.opened_on + INTERVAL 90 DAY AS v_rev
  FROM (SELECT *, coalesce(status = 'active', false) AS act,
               coalesce(status = 'active', false) AND manager_id IS NOT NULL AS s_mgr,
               coalesce(status = 'active', false) AND centre_id IS NOT NULL AS s_rate,
               coalesce(financial_assets < 1000000, false) AND approval_ref IS NOT NULL
                 AS s_appr,
               approval_decided_on IS NOT NULL AS s_apo
        FROM c) AS c
  LEFT JOIN m AS o ON c.opened_by = o.manager_id
  LEFT JOIN m AS k ON c.manager_id = k.manager_id
  LEFT JOIN a ON c.approval_ref = a.approval_ref AND a.client_id = c.client_id),
av AS (
  SELECT approval_ref, s_auv,
         s_auv AND coalesce(valid_until, {d}) > decided_on + INTERVAL 90 DAY AS v_auv
  FROM (SELECT *, coalesce(decision = 'approved', false) AND decided_on IS NOT NULL AS s_auv
        FROM a)),
s AS (
  SELECT centre_id, count(*) AS all_rows, count(*) FILTER (v_std) AS elig_v,
         count(*) FILTER (s_appr) AS appr_s, count(*) FILTER (v_appr) AS appr_v,
         count(*) FILTER (s_apo) AS apo_s, count(*) FILTER (v_apo) AS apo_v,
         count(*) FILTER (v_std OR v_appr OR v_apo) AS exc_v, count(*) FILTER (s_open) AS staff_s,
         count(*) FILTER (v_open) AS staff_v, count(*) FILTER (act) AS act_n,
         count(*) FILTER (v_asg) AS asg_v, count(*) FILTER (v_mgr) AS mgr_v,
         count(*) FILTER (v_rsk) AS rsk_v, count(*) FILTER (v_asg OR v_mgr) AS maint_v,
         count(*) FILTER (s_rate) AS rate_n,
         count(*) FILTER (s_rate AND manager_id IS NOT NULL) AS rate_m,
         count(*) FILTER (s_rate AND (v_asg OR v_mgr)) AS rate_mr,
         count(*) FILTER (s_mgr) AS own_s, count(*) FILTER (v_own) AS own_v,
         count(*) FILTER (s_val) AS val_s, count(*) FILTER (v_val) AS val_v,
         count(*) FILTER (s_wel) AS wel_s, count(*) FILTER (v_wel) AS wel_v,
         count(*) FILTER (v_rev) AS rev_v, count(*) FILTER (v_wel OR v_rev) AS fol_v
  FROM f GROUP BY centre_id),
g AS (SELECT manager_id, count(*) AS n FROM f WHERE s_mgr GROUP BY manager_id),
t AS (SELECT count(*) FILTER (s_auv) AS auv_s, count(*) FILTER (v_auv) AS auv_v FROM av)
SELECT 'data', 'clients bad cells', NULL, NULL, count(*) FILTER (bad), 0 FROM c
UNION ALL SELECT 'data', 'clients repeated keys', NULL, NULL,
  count(*) - count(DISTINCT client_id), 0 FROM c
UNION ALL SELECT 'data', 'managers bad cells', NULL, NULL, count(*) FILTER (bad), 0 FROM m
UNION ALL SELECT 'data', 'managers repeated keys', NULL, NULL,
  count(*) - count(DISTINCT manager_id), 0 FROM m
UNION ALL SELECT 'data', 'approvals bad cells', NULL, NULL, count(*) FILTER (bad), 0 FROM a
UNION ALL SELECT 'data', 'approvals repeated keys', NULL, NULL,
  count(*) - count(DISTINCT approval_ref), 0 FROM a
UNION ALL SELECT 'violation', 'C-ELIG-STANDARD', centre_id, client_id, 1, 0 FROM f WHERE v_std
UNION ALL SELECT 'violation', 'C-ELIG-APPROVAL', centre_id, client_id, 1, 0 FROM f WHERE v_appr
UNION ALL SELECT 'violation', 'C-APPROVAL-AT-OPENING', centre_id, client_id, 1, 0
  FROM f WHERE v_apo
UNION ALL SELECT 'violation', 'C-STAFF-OPENER', centre_id, client_id, 1, 0 FROM f WHERE v_open
UNION ALL SELECT 'violation', 'C-MAINT-ASSIGNED', centre_id, client_id, 1, 0 FROM f WHERE v_asg
UNION ALL SELECT 'violation', 'C-MAINT-MANAGER', centre_id, client_id, 1, 0 FROM f WHERE v_mgr
UNION ALL SELECT 'violation', 'C-MAINT-OWNER', centre_id, client_id, 1, 0 FROM f WHERE v_own
UNION ALL SELECT 'violation', 'C-RISK-ASSESSED', centre_id, client_id, 1, 0 FROM f WHERE v_rsk
UNION ALL SELECT 'violation', 'C-RISK-VALID', centre_id, client_id, 1, 0 FROM f WHERE v_val
UNION ALL SELECT 'violation', 'C-WELCOME', centre_id, client_id, 1, 0 FROM f WHERE v_wel
UNION ALL SELECT 'violation', 'C-FIRST-REVIEW', centre_id, client_id, 1, 0 FROM f WHERE v_rev
UNION ALL SELECT 'violation', 'C-MAINT-RATE', centre_id, centre_id, 1, 0 FROM s
  WHERE rate_n > 0 AND rate_m * 100 < 100 * rate_n
UNION ALL SELECT 'violation', 'C-MAINT-CAP', NULL, manager_id, 1, 0 FROM g WHERE n > 200
UNION ALL SELECT 'violation', 'C-APPROVAL-VALID-UNTIL', NULL, approval_ref, 1, 0
  FROM av WHERE v_auv
UNION ALL SELECT 'control', 'C-ELIG-STANDARD', centre_id, NULL, all_rows, elig_v FROM s
UNION ALL SELECT 'control', 'C-ELIG-APPROVAL', centre_id, NULL, appr_s, appr_v FROM s
UNION ALL SELECT 'control', 'C-APPROVAL-AT-OPENING', centre_id, NULL, apo_s, apo_v FROM s
UNION ALL SELECT 'control', 'C-STAFF-OPENER', centre_id, NULL, staff_s, staff_v FROM s
UNION ALL SELECT 'control', 'C-MAINT-ASSIGNED', centre_id, NULL, act_n, asg_v FROM s
UNION ALL SELECT 'control', 'C-MAINT-MANAGER', centre_id, NULL, own_s, mgr_v FROM s
UNION ALL SELECT 'control', 'C-MAINT-OWNER', centre_id, NULL, own_s, own_v FROM s
UNION ALL SELECT 'control', 'C-RISK-ASSESSED', centre_id, NULL, act_n, rsk_v FROM s
UNION ALL SELECT 'control', 'C-RISK-VALID', centre_id, NULL, val_s, val_v FROM s
UNION ALL SELECT 'control', 'C-WELCOME', centre_id, NULL, wel_s, wel_v FROM s
UNION ALL SELECT 'control', 'C-FIRST-REVIEW', centre_id, NULL, wel_s, rev_v FROM s
UNION ALL SELECT 'control', 'C-MAINT-RATE', centre_id, NULL, 1,
  CASE WHEN rate_m * 100 < 100 * rate_n THEN 1 ELSE 0 END FROM s WHERE rate_n > 0
UNION ALL SELECT 'control', 'C-MAINT-CAP', NULL, NULL, count(*), count(*) FILTER (n > 200)
  FROM g
UNION ALL SELECT 'control', 'C-APPROVAL-VALID-UNTIL', NULL, NULL, auv_s, auv_v FROM t
UNION ALL SELECT 'rule', 'R-ELIG', centre_id, NULL, all_rows, elig_v FROM s
UNION ALL SELECT 'rule', 'R-ELIG-EXC', centre_id, NULL, all_rows, exc_v FROM s
UNION ALL SELECT 'rule', 'R-APPROVAL', centre_id, NULL, apo_s, apo_v FROM s
UNION ALL SELECT 'rule', 'R-APPROVAL', NULL, NULL, auv_s, auv_v FROM t
UNION ALL SELECT 'rule', 'R-STAFF', centre_id, NULL, staff_s, staff_v FROM s
UNION ALL SELECT 'rule', 'R-KYC-DURING', centre_id, NULL, act_n, rsk_v FROM s
UNION ALL SELECT 'rule', 'R-SUIT', centre_id, NULL, act_n, rsk_v FROM s
UNION ALL SELECT 'rule', 'R-MAINT-100', centre_id, NULL, act_n, maint_v
  + CASE WHEN rate_n > 0 AND rate_m * 100 < 100 * rate_n THEN rate_n - rate_mr ELSE 0 END
  FROM s
UNION ALL SELECT 'rule', 'R-MAINT-OWNER', centre_id, NULL, own_s, own_v FROM s
UNION ALL SELECT 'rule', 'R-RISK-VALID', centre_id, NULL, val_s, val_v FROM s
UNION ALL SELECT 'rule', 'R-FOLLOW-UP', centre_id, NULL, wel_s, fol_v FROM s
UNION ALL SELECT 'rule', 'R-MAINT-CAP', NULL, NULL, count(*), count(*) FILTER (n > 200) FROM g
"""
