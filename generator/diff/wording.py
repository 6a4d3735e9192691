"""Character-level diffs of policy text, and whether a rewording changes an obligation.

Chinese has no spaces between words, so texts are compared character by character
(``{{ parameter }}`` references count as one unit); tiny shared fragments between
two edits are folded into the edit so that the result reads as whole words.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from generator.diff.changes import Op, Segment
from generator.load import PLACEHOLDER

# Words that carry an obligation, a permission, a prohibition or a bound. A rewording
# that adds or drops one of them may change what staff must do: it is material.
_MODALS = (
    "必须", "应当", "不得", "不予", "不可", "不能", "不要", "禁止", "严禁", "只可", "只能",
    "可以", "无须", "无需", "至少", "最多", "以上", "以下", "以内", "超过", "不超过", "未达",
    "达到", "方可", "须", "应", "只", "仅", "可", "不", "含",
)
# Ordinary words that contain a modal character but carry no obligation.
_NEUTRAL = ("对应", "相应", "响应", "适应", "应邀", "应用", "供应", "回应", "不同", "不断",
            "可能", "不仅", "包含", "含义")
_WORD = re.compile("|".join(sorted((*_MODALS, *_NEUTRAL), key=len, reverse=True)))
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*\s*[万亿千百]?"
                     r"|[一二三四五六七八九十百千万亿两]+(?=[级次年个名天周月日份倍层类项])")


# Negations: a question, an answer or a note that gains or loses one says the opposite.
_NEGATIONS = ("没有", "不", "未", "非", "无", "勿", "否", "禁止", "严禁")
_NOT_NEGATIONS = ("不同", "不断", "不仅", "非常", "无论", "并非常", "否则")
_NEGATION = re.compile("|".join(sorted((*_NEGATIONS, *_NOT_NEGATIONS), key=len, reverse=True)))
# A unit after a number: `30岁` → `30周岁`, `100万元` → `100万美元` change the bound.
_UNIT = re.compile(
    r"(?:\d+(?:[.,]\d+)*|[一二三四五六七八九十百千万亿两]+)\s*"
    r"([万亿千百]?(?:美元|港元|欧元|人民币|元|%|％|‰|周岁|岁|个工作日|工作日|个自然日|自然日"
    r"|个月|月|年|周|天|日|小时|分钟|次|倍|分|份|人|户|笔|项|级))")


_CJK = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef{}]"
_SPACE_NEAR_CJK = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")


def normalise(text: str) -> str:
    """Text as a reader sees it: runs of white space are one space, and white space
    next to a Chinese character or a ``{{ }}`` brace is none (folded YAML lines put
    a space where Chinese has none). Changes of white space alone are no change."""
    squeezed = _SPACE_NEAR_CJK.sub("", " ".join(text.split()))
    return PLACEHOLDER.sub(lambda m: f"{{{{ {m.group(1)} }}}}", squeezed)


def tokens(text: str) -> list[str]:
    """Characters, with each ``{{ parameter }}`` reference kept whole."""
    out: list[str] = []
    pos = 0
    for match in PLACEHOLDER.finditer(text):
        out.extend(text[pos:match.start()])
        out.append(match.group(0))
        pos = match.end()
    out.extend(text[pos:])
    return out


def _same(token: str) -> str:
    return token


def char_diff(old: str, new: str, *, show_old: Callable[[str], str] = _same,
              show_new: Callable[[str], str] = _same, fold: int = 1) -> tuple[Segment, ...]:
    """Segments that turn ``old`` into ``new``. ``show_old``/``show_new`` render a
    token of each side for display (e.g. a parameter reference as that version's
    value); shared runs of at most ``fold`` characters between two edits are folded
    into the edits."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # (is an edit, old tokens, new tokens)
    raw = [(op != "equal", a[i1:i2], b[j1:j2])
           for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    # Fold short equal runs that sit between two edits.
    folded: list[tuple[bool, list[str], list[str]]] = []
    for i, (edit, x, y) in enumerate(raw):
        between = 0 < i < len(raw) - 1 and raw[i - 1][0] and raw[i + 1][0]
        if not edit and between and len(x) <= fold:
            edit = True
        if folded and folded[-1][0] and edit:
            folded[-1] = (True, folded[-1][1] + x, folded[-1][2] + y)
        else:
            folded.append((edit, list(x), list(y)))
    segments: list[Segment] = []

    def emit(op: Op, toks: list[str], show: Callable[[str], str]) -> None:
        if toks:
            segments.append(Segment(op, "".join(show(t) for t in toks)))

    for edit, x, y in folded:
        if not edit:
            emit("=", y, show_new)
        else:
            emit("-", x, show_old)
            emit("+", y, show_new)
    return tuple(segments)


def parameter_display(parameters: Mapping[str, object]) -> Callable[[str], str]:
    """A ``show`` for :func:`char_diff` that renders references with their values."""

    def show(token: str) -> str:
        match = PLACEHOLDER.fullmatch(token)
        if not match:
            return token
        param = parameters.get(match.group(1))
        display = getattr(param, "display", None)
        return str(display) if display else token

    return show


def _words(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text) if w not in _NEUTRAL)


def _negations(text: str) -> Counter[str]:
    return Counter(w for w in _NEGATION.findall(text) if w not in _NOT_NEGATIONS)


def substance_change(old: str, new: str) -> str:
    """Why a rewording of any text, even one that states no obligation (a question, an
    answer, a note), changes what it says, or ``""``: a number, a parameter reference,
    a unit or a negation was added, removed or changed (``18至30岁`` → ``18至35岁``)."""
    if Counter(PLACEHOLDER.findall(old)) != Counter(PLACEHOLDER.findall(new)):
        return "引用的参数有变化"
    old_plain, new_plain = PLACEHOLDER.sub("", old), PLACEHOLDER.sub("", new)
    if Counter(_NUMBER.findall(old_plain)) != Counter(_NUMBER.findall(new_plain)):
        return "文中的数字有变化"
    if Counter(_UNIT.findall(old_plain)) != Counter(_UNIT.findall(new_plain)):
        return "文中的单位有变化"
    old_neg, new_neg = _negations(old_plain), _negations(new_plain)
    if old_neg != new_neg:
        gone = sorted((old_neg - new_neg).elements())
        came = sorted((new_neg - old_neg).elements())
        parts = ([("删去 " + "、".join(f"“{w}”" for w in gone))] if gone else []) + (
            [("增加 " + "、".join(f"“{w}”" for w in came))] if came else [])
        return "否定用语有变化(" + ",".join(parts) + ")"
    return ""


def obligation_change(old: str, new: str, names: Iterable[str] = ()) -> str:
    """Why a rewording changes an obligation, or ``""`` if it reads as editorial:
    a number, a parameter reference, an obligation word or one of ``names`` (the
    roles, who may act) was added or removed."""
    old_params, new_params = Counter(PLACEHOLDER.findall(old)), Counter(PLACEHOLDER.findall(new))
    if old_params != new_params:
        return "引用的参数有变化"
    old_plain, new_plain = PLACEHOLDER.sub("", old), PLACEHOLDER.sub("", new)
    if Counter(_NUMBER.findall(old_plain)) != Counter(_NUMBER.findall(new_plain)):
        return "文中的数字有变化"
    if Counter(_UNIT.findall(old_plain)) != Counter(_UNIT.findall(new_plain)):
        return "文中的单位有变化"
    old_words, new_words = _words(old_plain), _words(new_plain)
    if old_words != new_words:
        gone = sorted((old_words - new_words).elements())
        came = sorted((new_words - old_words).elements())
        parts = []
        if gone:
            parts.append("删去 " + "、".join(f"“{w}”" for w in gone))
        if came:
            parts.append("增加 " + "、".join(f"“{w}”" for w in came))
        return "义务用语有变化(" + ",".join(parts) + ")"
    for name in sorted(set(names), key=lambda n: (-len(n), n)):
        if name and old_plain.count(name) != new_plain.count(name):
            return f"提及的岗位“{name}”有变化"
    return ""


def similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()
