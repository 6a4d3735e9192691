"""The in-browser tools on a decision table's and a questionnaire's page: a host
element and the model's data as a non-executable JSON block, read by
``assets/policybook/tools.js`` (served by the site; no inline script or handler)."""

from __future__ import annotations

from typing import Any

from generator.evaluate.export import decision_data, questionnaire_data, script_json
from generator.model import DecisionTable, Model, Questionnaire
from generator.site.markup import Markup

TOOLS_URI = "assets/policybook/tools.js"


def _block(name: str, data: dict[str, Any]) -> Markup:
    block_id = f"pb-data-{name}"
    return Markup(
        f'<div class="pb-tool" data-pb-tool="{block_id}">'
        "<p>此工具在浏览器中运行，需要启用 JavaScript；无须联网。</p></div>\n\n"
        f'<script type="application/json" class="pb-tool-data" id="{block_id}">'
        f"{script_json(data)}</script>\n")


def decision_tool(model: Model, table: DecisionTable) -> Markup:
    return _block(f"decision-{table.id}", decision_data(model, table))


def questionnaire_tool(model: Model, quiz: Questionnaire) -> Markup:
    return _block(f"questionnaire-{quiz.id}", questionnaire_data(model, quiz))
