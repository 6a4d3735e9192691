"""The typed model of a policy pack: what every check, page, checklist, form and
diff reads. Built from schema-valid documents by :func:`build_model`.

Every element keeps its :class:`Loc` (file, line, column, JSON pointer), so a
finding about it can point at the YAML line that defines it.

One module per concern: ``core`` (locations, provenance); one module per kind of
document (``parameters``, ``pack``, ``roles``, ``rules``, ``flows``, ``decisions``,
``questionnaires``, ``forms``, ``texts``, ``cases``, ``registers``); the :class:`Model` container
(``model``); the one walk over its elements (``elements``); flow-graph algorithms
(``graph``); and building: ``build`` (:func:`build_model`), ``reader`` (one
document's locations, provenance and ids) and ``builders`` (one per kind). Every
public name is re-exported here, so ``from generator.model import Flow`` is the way
to import.
"""

from generator.model.build import build_model
from generator.model.cases import Case
from generator.model.core import Loc, Provenance
from generator.model.decisions import (
    Bound,
    Condition,
    DecisionInput,
    DecisionOutput,
    DecisionTable,
    EnumSet,
    EnumValue,
    Interval,
    Row,
)
from generator.model.elements import Element, iter_elements
from generator.model.flows import IO, Flow, Loop, Outcome, Step, StepType
from generator.model.forms import (
    Checklist,
    ChecklistItem,
    FieldOption,
    Form,
    FormField,
    FormSection,
    RequiredWhen,
)
from generator.model.graph import (
    back_edges,
    contracted_ancestors,
    contracted_predecessors,
    contracted_successors,
    outcome_targets,
)
from generator.model.model import Model
from generator.model.pack import GoverningDocument, PackMeta, Principle, Stage
from generator.model.parameters import (
    PLACEHOLDER,
    Parameter,
    format_quantity,
    placeholders,
    render_text,
)
from generator.model.questionnaires import (
    Answer,
    Evaluation,
    Level,
    Override,
    Question,
    Questionnaire,
)
from generator.model.registers import (
    Bound as ControlBound,
)
from generator.model.registers import (
    Column,
    Control,
    Reference,
    Register,
    Within,
)
from generator.model.registers import (
    Condition as ControlCondition,
)
from generator.model.roles import Permission, Role
from generator.model.rules import Constraint, Rule, RuleCategory, Waypoint
from generator.model.sources import Section, Source, build_sources
from generator.model.texts import Objection, Script, TargetClients, Term, Topic

__all__ = [
    "IO",
    "PLACEHOLDER",
    "Answer",
    "Bound",
    "Case",
    "Checklist",
    "ChecklistItem",
    "Column",
    "Condition",
    "Constraint",
    "Control",
    "ControlBound",
    "ControlCondition",
    "DecisionInput",
    "DecisionOutput",
    "DecisionTable",
    "Element",
    "EnumSet",
    "EnumValue",
    "Evaluation",
    "FieldOption",
    "Flow",
    "Form",
    "FormField",
    "FormSection",
    "GoverningDocument",
    "Interval",
    "Level",
    "Loc",
    "Loop",
    "Model",
    "Objection",
    "Outcome",
    "Override",
    "PackMeta",
    "Parameter",
    "Permission",
    "Principle",
    "Provenance",
    "Question",
    "Questionnaire",
    "Reference",
    "Register",
    "RequiredWhen",
    "Role",
    "Row",
    "Rule",
    "RuleCategory",
    "Script",
    "Section",
    "Source",
    "Stage",
    "Step",
    "StepType",
    "TargetClients",
    "Term",
    "Topic",
    "Waypoint",
    "Within",
    "back_edges",
    "build_model",
    "build_sources",
    "contracted_ancestors",
    "contracted_predecessors",
    "contracted_successors",
    "format_quantity",
    "iter_elements",
    "outcome_targets",
    "placeholders",
    "render_text",
]
