"""Parameters (thresholds and caps defined once) and the ``{{ name }}`` text that
refers to them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from generator.load import PLACEHOLDER as PLACEHOLDER  # defined with the loader's check
from generator.model.core import Loc, Provenance


@dataclass(frozen=True, slots=True)
class Parameter:
    id: str
    title: str
    value: float | int
    unit: str
    loc: Loc
    provenance: Provenance
    title_en: str = ""
    comparison: str = ""
    description: str = ""
    rules: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return format_quantity(self.value, self.unit)


def format_quantity(value: float | int, unit: str) -> str:
    """How a bank writes the amount: 1000000 元 → 100万元; 200 名 → 200名."""
    number: float | int = int(value) if float(value).is_integer() else value
    if unit == "元" and isinstance(number, int) and number >= 10000 and number % 10000 == 0:
        return f"{number // 10000}万元"
    if unit == "元" and isinstance(number, int) and number >= 10000:
        return f"{number:,}元"
    return f"{number}{unit}"


def render_text(text: str, parameters: Mapping[str, Parameter]) -> str:
    """Replace every ``{{ name }}`` with the parameter's value and unit."""
    if "{{" not in text:
        return text

    def sub(match: re.Match[str]) -> str:
        param = parameters.get(match.group(1))
        return param.display if param else match.group(0)

    return PLACEHOLDER.sub(sub, text)


def placeholders(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text)]
