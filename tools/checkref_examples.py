"""Write ``generator/checkref/examples.yaml``: for each check id, the smallest example of
the mistake and its corrected form, cut from the test packs.

Each pack under ``tests/examples/check/<id>/`` (and each case under
``tests/examples/invalid/`` that makes exactly one kind of finding) is a mistake laid
over ``tests/examples/valid/minimal``. The example is the lines the mistake changed in
one file, with the keys above them (their YAML parents) so that the snippet reads as the
file does; the corrected form is the same place in the minimal pack (ids and words a
shipped procedure also uses replaced by neutral ones: NEUTRAL). The handbook's check
reference (``generator/checkref``) reads the result, never ``tests/`` itself, and
``tests/test_checkref.py`` fails when the file is not what this script writes.

    python tools/checkref_examples.py          # rewrite the file
    python tools/checkref_examples.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
OUTPUT = ROOT / "generator" / "checkref" / "examples.yaml"
MAX_LINES = 16
"""A longer cut is not a small example: the hand-written one in texts.yaml is used."""
ELIDED = "# …"
NEUTRAL = {
    "financial_assets": "total_assets", "R-ELIG": "R-ADMIT", "risk_level": "rating",
    "walk_in": "second_start", "no_knowledge": "no_basics", "follow_up": "aftercare_call",
    "R-PREMIUM": "R-COURTESY", "开户": "办理", "财富": "贵宾", "理财": "投资",
}
"""The test packs are a miniature of a shipped procedure; the engine holds no procedure's
ids or words (``tests/test_kinds.py``), so the cuts say these instead."""


def neutral(text: str) -> str:
    for word, instead in NEUTRAL.items():
        text = text.replace(word, instead)
    return text


@dataclass(frozen=True)
class Example:
    check: str
    case: str
    """The test pack it is cut from, relative to the repository."""
    file: str
    wrong: str
    right: str
    mistake: str = ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _with_parents(lines: list[str], wanted: set[int]) -> list[int]:
    """``wanted`` (0-based) and, for each, the lines of the keys it is nested in."""
    keep = set()
    for i in wanted:
        if not 0 <= i < len(lines):
            continue
        keep.add(i)
        depth = _indent(lines[i]) if _content(lines[i]) else 0
        for j in range(i - 1, -1, -1):
            if depth == 0:
                break
            if _content(lines[j]) and _indent(lines[j]) < depth:
                keep.add(j)
                depth = _indent(lines[j])
    return sorted(keep)


def _cut(lines: list[str], wanted: set[int]) -> str:
    """The kept lines, ``# …`` (at the next line's indentation) where lines are left out."""
    out: list[str] = []
    previous = -1
    for i in _with_parents(lines, wanted):
        if not lines[i].strip():
            continue
        skipped = [line for line in lines[previous + 1:i] if _content(line)]
        if previous >= 0 and skipped:
            out.append(" " * _indent(lines[i]) + ELIDED)
        out.append(lines[i].rstrip())
        previous = i
    return "\n".join(out) + "\n"


Hunk = tuple[int, int, int, int]


def _hunks(right: list[str], wrong: list[str], at: int | None) -> list[Hunk]:
    """The changed blocks (right i1:i2, wrong j1:j2) that make the mistake: the one
    nearest the finding's line ``at`` (0-based, in ``wrong``) and those within three
    lines of it; every block when the finding is in another file. Blocks of blank
    lines are no change to show."""
    matcher = difflib.SequenceMatcher(None, right, wrong, autojunk=False)
    hunks = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
             if tag != "equal"
             and any(line.strip() for line in right[i1:i2] + wrong[j1:j2])]
    if at is None or not hunks:
        return hunks

    def distance(h: Hunk, line: int) -> int:
        return max(h[2] - line, line - max(h[2], h[3] - 1), 0)

    chosen = [min(hunks, key=lambda h: distance(h, at))]
    for h in hunks:
        if h not in chosen and any(distance(h, c[2]) <= 3 or distance(c, h[2]) <= 3
                                   for c in chosen):
            chosen.append(h)
    return sorted(chosen)


def _map(hunks: list[Hunk], lines: set[int], *, to_right: bool) -> set[int]:
    """Lines outside the changed blocks, at their place on the other side."""
    out = set()
    for n in lines:
        shift = 0
        inside = False
        for i1, i2, j1, j2 in hunks:
            start, end = (j1, j2) if to_right else (i1, i2)
            if n >= end:
                shift += (i2 - i1) - (j2 - j1) if to_right else (j2 - j1) - (i2 - i1)
            elif n >= start:
                inside = True
        if not inside:
            out.add(n + shift)
    return out


def _pair(right: list[str], wrong: list[str], at: int | None) -> tuple[str, str]:
    """The two cuts: the changed lines of each side, the finding's line, and on each
    side the keys that the other side shows, so both read as the same place."""
    matcher = difflib.SequenceMatcher(None, right, wrong, autojunk=False)
    every = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
             if tag != "equal"]
    chosen = _hunks(right, wrong, at)
    in_wrong: set[int] = set() if at is None else {at}
    in_right: set[int] = set()
    for i1, i2, j1, j2 in chosen:
        in_wrong.update(range(j1, j2) if j2 > j1 else [max(j1 - 1, 0)])
        in_right.update(range(i1, i2) if i2 > i1 else [max(i1 - 1, 0)])
    keep_wrong = set(_with_parents(wrong, in_wrong))
    keep_right = set(_with_parents(right, in_right | _map(every, keep_wrong, to_right=True)))
    keep_wrong = set(_with_parents(wrong, keep_wrong | _map(every, keep_right,
                                                            to_right=False)))
    return _cut(wrong, keep_wrong), _cut(right, keep_right)


def _spec(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
    return data


def cut_case(folder: Path, check: str) -> Example | None:
    """The example of ``check`` from the pack ``folder``, or None when it does not make
    one (files removed, a new file, another base, or more than a small change)."""
    spec = _spec(folder)
    if spec.get("base", "minimal") != "minimal" or spec.get("remove"):
        return None
    base = EXAMPLES / "valid" / "minimal"
    changed, added = [], []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "expected.yaml":
            rel = path.relative_to(folder).as_posix()
            old = base / rel
            if not old.is_file():
                added.append(rel)
            elif old.read_bytes() != path.read_bytes():
                changed.append(rel)
    found = [e for e in spec["expect"] if e["check"] == check]
    if not found:
        return None
    file = found[0]["file"]
    if file not in changed:
        if file in added or not changed:
            return None  # a new file has no corrected form to show
        file = changed[0]
    try:
        wrong_lines = (folder / file).read_text("utf-8").splitlines()
        right_lines = (base / file).read_text("utf-8").splitlines()
    except UnicodeDecodeError:
        return None
    if any(ord(ch) < 32 and ch != "\t" for line in wrong_lines for ch in line):
        return None  # invisible characters make no example to read
    at = next((e["line"] - 1 for e in found if e["file"] == file), None)
    wrong, right = _pair(right_lines, wrong_lines, at)
    if max(wrong.count("\n"), right.count("\n")) > MAX_LINES:
        return None
    mistake = spec.get("mistake", "")
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in mistake)
    return Example(check, folder.relative_to(ROOT).as_posix(), file, neutral(wrong),
                   neutral(right), neutral(mistake) if chinese else "")


def examples() -> dict[str, Example]:
    """Check id → its example: from ``check/<id>/``, else the smallest cut from the
    ``invalid/`` cases whose findings are all of that one id."""
    found: dict[str, Example] = {}
    for folder in sorted((EXAMPLES / "check").iterdir()):
        if (folder / "expected.yaml").is_file():
            example = cut_case(folder, folder.name)
            if example is not None:
                found[folder.name] = example
    candidates: dict[str, list[Example]] = {}
    for folder in sorted((EXAMPLES / "invalid").iterdir()):
        if not (folder / "expected.yaml").is_file():
            continue
        ids = {e["check"] for e in _spec(folder)["expect"]}
        if len(ids) == 1:
            (check,) = ids
            example = cut_case(folder, check)
            if example is not None and check not in found:
                candidates.setdefault(check, []).append(example)
    for check, options in candidates.items():
        found[check] = min(options, key=lambda e: (len(e.wrong) + len(e.right), e.case))
    return dict(sorted(found.items()))


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def render() -> str:
    data = {}
    for check, e in examples().items():
        entry = {"case": e.case, "file": e.file, "wrong": e.wrong, "right": e.right}
        if e.mistake:
            entry["mistake"] = e.mistake
        data[check] = entry
    head = ("# Generated by tools/checkref_examples.py from tests/examples/: do not edit.\n"
            "# Each check's example of the mistake (wrong) and its corrected form (right).\n")
    return head + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                            width=1000)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUTPUT.read_text("utf-8") if OUTPUT.is_file() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: "
                  "run python tools/checkref_examples.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {text.count(chr(10) + '  case: ')} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
