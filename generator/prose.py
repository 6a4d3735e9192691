"""Chinese prose punctuation: text the engines write for the terminal (half-width
``,;:?!``) as a page or a printout shows it. A half-width comma, semicolon, colon,
question or exclamation mark next to a Chinese character becomes full-width; one
between digits (``475,000``), in an id or an English phrase is left alone."""

from __future__ import annotations

import re

_HALF_IN_PROSE = re.compile(
    r"(?<=[\u3400-\u9fff）」》])[,;:?!]|[,;:](?=[\u3400-\u9fff「《（])")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def prose(text: str) -> str:
    return _HALF_IN_PROSE.sub(lambda m: _FULL[m.group()], text)
