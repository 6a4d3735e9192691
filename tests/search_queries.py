"""What staff type into the handbook's search box, and the page each must find in the top three.

Shared by the browser test (``tests/test_browser_search.py``) and the engine comparison
(``benchmarks/bench_search.py``). Each query names the pages that answer it (paths of the
built site); the first is the page that defines the thing asked for. The queries are the
review's (``100万``, ``200名``, ``12个月``, ``开户申请``, ``R-ELIG``…) and the words of the two
shipped packs: amounts with their units, rule ids, form and checklist codes, role, step,
form and term names, English terms.
"""

from __future__ import annotations

from typing import NamedTuple

W = "wealth-account-opening/"
C = "cash-withdrawal/"


class Query(NamedTuple):
    text: str
    kind: str
    pages: tuple[str, ...]
    """Pages that answer the query (site paths); one of them must be in the top three."""


QUERIES: tuple[Query, ...] = (
    # amounts and thresholds, with and without their units
    Query("100万", "amount", (W + "rules/", W + "decisions/eligibility/", W + "target-clients/")),
    Query("100万元", "amount", (W + "rules/", W + "decisions/eligibility/", W + "target-clients/")),
    Query("200名", "amount", (W + "rules/", W + "steps/capacity_check/")),
    Query("12个月", "amount", (W + "rules/", W + "steps/risk_validity_check/")),
    Query("5万元", "amount", (C + "rules/", C + "decisions/withdrawal_tier/")),
    Query("20万元", "amount", (C + "rules/", C + "decisions/withdrawal_tier/")),
    Query("50万元", "amount", (C + "rules/", C + "decisions/authorisation_level/")),
    # rule ids
    Query("R-ELIG", "rule", (W + "rules/",)),
    Query("R-MAINT-CAP", "rule", (W + "rules/",)),
    Query("R-KYC-BEFORE", "rule", (W + "rules/",)),
    # form and checklist codes
    Query("PB-F-01", "code", (W + "forms/account_application/",)),
    Query("PB-C-01", "code", (W + "checklists/front_desk_checklist/",)),
    Query("CW-F-01", "code", (C + "forms/withdrawal_register/",)),
    # roles
    Query("财富经理", "role", (W + "roles/",)),
    Query("授权人", "role", (C + "roles/",)),
    Query("反洗钱岗", "role", (C + "roles/",)),
    # steps
    Query("进行风险评估", "step", (W + "steps/conduct_risk_assessment/",)),
    Query("一级分行审查", "step", (W + "steps/review_approval/",)),
    Query("核对当日开户", "step", (W + "steps/reconcile_openings/",)),
    Query("双人复核现金", "step", (C + "steps/dual_check/",)),
    # forms and questionnaires
    Query("开户申请", "form", (W + "forms/account_application/", W + "steps/kyc_application/")),
    Query("开户申请表", "form", (W + "forms/account_application/",)),
    Query("预约单", "form", (C + "forms/booking_form/",)),
    Query("异常情况报告单", "form", (C + "forms/exception_report/",)),
    Query("风险评估问卷", "form", (W + "questionnaires/risk_assessment/",
                             W + "forms/risk_questionnaire/")),
    # terms
    Query("双录", "term", (W + "glossary/", W + "rules/")),
    Query("维护率", "term", (W + "glossary/", W + "steps/monitor_maintenance/", W + "rules/")),
    Query("工银财富卡", "term", (W + "glossary/", W + "steps/issue_card/")),
    Query("一级分行", "term", (W + "glossary/", W + "roles/", W + "steps/review_approval/")),
    # English terms
    Query("KYC", "english", (W + "glossary/", W + "rules/")),
    Query("Tier-1 branch", "english", (W + "glossary/", W + "roles/")),
    Query("wealth manager", "english", (W + "glossary/", W + "roles/")),
    Query("due diligence", "english", (W + "glossary/",)),
)
