"""The executable procedure (``policybook evaluate``): the same model that ``check``
proves consistent answers a client's case, with a trace that cites the rule and the
source.

- :func:`evaluate_decision`: a decision table's outputs, the row that decided, each
  input against its condition, the rules with their citations;
- :func:`evaluate_questionnaire`: score per question, total, band, overrides, level;
- :func:`walk_flow`: a flow walked with the :class:`Facts` of a case, step by step,
  stopping where a fact is missing and naming it;
- :func:`run_case`: a shipped test case through the same engine;
- :func:`read_facts` / :func:`read_answers`: YAML files read strictly, problems as
  diagnostics with file, line and column.

The library returns typed results (:mod:`.results`); formatting is :mod:`.report`.
"""

from generator.evaluate.cases import CaseRun, case_facts, run_case
from generator.evaluate.engine import (
    EvaluationError,
    Facts,
    evaluate_decision,
    evaluate_questionnaire,
    walk_flow,
)
from generator.evaluate.facts import read_answers, read_facts
from generator.evaluate.results import (
    Citation,
    ConditionCheck,
    DecisionResult,
    DecisionTaken,
    FlowWalk,
    MissingFact,
    QuestionnaireResult,
    RowCheck,
    RuleRef,
    WalkStep,
)

__all__ = [
    "CaseRun",
    "Citation",
    "ConditionCheck",
    "DecisionResult",
    "DecisionTaken",
    "EvaluationError",
    "Facts",
    "FlowWalk",
    "MissingFact",
    "QuestionnaireResult",
    "RowCheck",
    "RuleRef",
    "WalkStep",
    "case_facts",
    "evaluate_decision",
    "evaluate_questionnaire",
    "read_answers",
    "read_facts",
    "run_case",
    "walk_flow",
]
