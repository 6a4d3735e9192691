"""The alternatives of a ``oneOf``/``anyOf``: which one the author meant.

jsonschema reports a failed ``oneOf`` with the errors of every alternative. A person
meant one of them (the one whose discriminating key they wrote); :func:`leaves`
descends into that one, so the diagnostics speak about the alternative in hand
instead of listing every other. When none stands out, or keys of two are mixed,
:func:`explain_variants` says so; :func:`explain_not` words the keys an alternative
(or a ``type``-conditional) forbids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, join_pointer
from generator.schemawords import TYPE_WORDS, quoted, short, title, type_hint

if TYPE_CHECKING:
    from generator.explain import Failure
    from generator.schema import SchemaSet

Leaf = tuple[Any, Any]
"""(jsonschema ValidationError, the oneOf/anyOf error whose branch it is in, or None)."""


def leaves(errors: Iterable[Any], branch: Any, schemas: SchemaSet) -> Iterator[Leaf]:
    for error in errors:
        if (error.validator in ("oneOf", "anyOf") and error.context
                and not mixed(error, schemas)):
            meant = meant_branch(error, schemas)
            if meant is not None:
                yield from leaves(meant, error, schemas)
                continue
        yield error, branch


def _branches(error: Any, schemas: SchemaSet) -> list[tuple[str, set[str]]]:
    """(title, keys it declares) for each alternative of a oneOf/anyOf."""
    out = []
    for sub in error.validator_value:
        resolved = deref(sub, schemas)
        keys = set(resolved.get("properties", {})) | set(resolved.get("required", []))
        out.append((str(resolved.get("title", "")), keys))
    return out


def mixed(error: Any, schemas: SchemaSet) -> list[tuple[str, str]]:
    """For a mapping that uses keys only one alternative has *and* keys only another has:
    (key, title of its alternative) for each such key, in the order written."""
    instance = error.instance
    if not isinstance(instance, dict):
        return []
    branches = _branches(error, schemas)
    owner: dict[str, int] = {}
    for i, (_, keys) in enumerate(branches):
        others = set().union(*(k for j, (_, k) in enumerate(branches) if j != i))
        for key in keys - others:
            owner[key] = i
    used = [(key, owner[key]) for key in instance if key in owner]
    if len({i for _, i in used}) < 2:
        return []
    return [(key, branches[i][0] or _keys_title(error.validator_value[i], schemas))
            for key, i in used]


def _keys_title(subschema: Any, schemas: SchemaSet) -> str:
    """A name for an untitled alternative: the keys it requires (``step 写法``)."""
    resolved = deref(subschema, schemas)
    keys = resolved.get("required") or sorted(resolved.get("properties", {}))
    return "、".join(keys) + " 写法"


def meant_branch(error: Any, schemas: SchemaSet) -> list[Any] | None:
    """The errors of the alternative the author meant, or None when none stands out.

    A branch is meant when the instance has keys that only that branch declares
    (``decision:`` vs ``questionnaire:``), or when the instance is of that branch's type.
    Branches whose root type does not even match are never meant.
    """
    instance = error.instance
    branches: dict[int, list[Any]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.schema_path[0], []).append(sub)

    def root_type_mismatch(errs: list[Any]) -> bool:
        return any(e.validator == "type" and not e.relative_path for e in errs)

    candidates = [i for i, errs in branches.items() if not root_type_mismatch(errs)]
    if isinstance(instance, dict):
        scored = []
        for i in candidates:
            resolved = deref(error.validator_value[i], schemas)
            props = set(resolved.get("properties", {}))
            required = set(resolved.get("required", []))
            hits = len(required & set(instance)) * 2 + len(props & set(instance))
            scored.append((hits, -len(branches[i]), i))
        if scored:
            scored.sort(reverse=True)
            if len(scored) == 1 or scored[0][0] > scored[1][0]:
                return branches[scored[0][2]]
    if len(candidates) == 1:
        return branches[candidates[0]]
    return None


def root_types(error: Any) -> list[str]:
    """The types the alternatives of a oneOf/anyOf want, if every one of them failed
    only because the value is of another type; else []."""
    branches: dict[int, list[Any]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.schema_path[0], []).append(sub)
    if len(branches) < len(error.validator_value):
        return []
    wanted: list[str] = []
    for errs in branches.values():
        roots = [e for e in errs if e.validator == "type" and not e.relative_path]
        if not roots:
            return []
        value = roots[0].validator_value
        wanted += [value] if isinstance(value, str) else list(value)
    return wanted


def branch_title(error: Any, branch: Any) -> str:
    """Title of the alternative of ``branch`` (a oneOf/anyOf error) that ``error`` is in."""
    index = error.schema_path[0] if error.schema_path else None
    alternatives = branch.validator_value
    if isinstance(index, int) and 0 <= index < len(alternatives):
        alt = alternatives[index]
        if isinstance(alt, dict):
            return str(alt.get("title", ""))
    return ""


def deref(schema: Any, schemas: SchemaSet) -> Mapping[str, Any]:
    """``schema`` with the ``$ref`` it has (into another schema file) filled in."""
    if not isinstance(schema, dict):
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and "#" in ref:
        doc, _, fragment = ref.partition("#")
        if doc:
            try:
                target: Any = schemas.registry.contents(doc)
            except Exception:  # an unresolvable ref only costs us the title
                return schema
            for part in fragment.strip("/").split("/"):
                if isinstance(target, dict):
                    target = target.get(part, {})
            if isinstance(target, dict):
                merged = dict(target)
                merged.update({k: v for k, v in schema.items() if k != "$ref"})
                return merged
    return schema


# --- explaining them (explainers of generator.explain.EXPLAIN) ------------------------


def explain_not(f: Failure) -> list[Diagnostic]:
    """A ``not`` says which keys may not be written here; point at the last of them."""
    instance = f.instance
    forbidden = set(_keys_in(f.value))
    keys = [k for k in instance if k in forbidden] if isinstance(instance, dict) else []
    if not keys:
        return f.report("schema.conflict", f"“{f.field}” 的写法与其他键冲突。",
                        "对照 schema 的说明修改。")
    at = join_pointer(f.pointer, keys[-1])
    kind_value = instance.get("type")
    schema_path = f.error.absolute_schema_path
    conditional = "then" in schema_path or "else" in schema_path
    if conditional and isinstance(kind_value, str):
        message = f"type 为 “{kind_value}” 时不能写 {quoted(keys)}。"
        hint = f"删除 {quoted(keys)},或把 type 改为允许它的类型。"
    elif len(keys) > 1:
        message = f"“{f.field}” 中不能同时写 {quoted(keys)}。"
        hint = "只保留其中一个。"
    elif f.branch is not None and branch_title(f.error, f.branch):
        message = f"按「{branch_title(f.error, f.branch)}」的写法不能写 {quoted(keys)}。"
        hint = f"删除 {quoted(keys)}。" + short(f.branch.schema.get("description", ""))
    else:
        message = f"“{f.field}” 中不能写 {quoted(keys)}。"
        hint = f"删除 {quoted(keys)}。"
    return f.report("schema.conflict", message, hint, at=f.source.key(at), ptr=at)


def _keys_in(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        yield from schema.get("required", [])
        for sub in schema.get("anyOf", []):
            yield from _keys_in(sub)


def explain_variants(f: Failure) -> list[Diagnostic]:
    """oneOf and anyOf that :func:`leaves` could not descend into:
    keys of two alternatives mixed, a value of the wrong type, or no alternative close."""
    keys_of = mixed(f.error, f.schemas)
    if keys_of:
        groups: dict[str, list[str]] = {}
        for key, alternative in keys_of:
            groups.setdefault(alternative, []).append(key)
        parts = ",".join(f"{quoted(keys)} 属于「{t}」" for t, keys in groups.items())
        intruder = next(k for k, t in keys_of if t != keys_of[0][1])
        at = join_pointer(f.pointer, intruder)
        return f.report("schema.mixed-variant",
                        f"“{f.field}” 混用了两种写法:{parts};只能选其一。",
                        f"保留一种写法,删除另一种写法的键。{short(f.description)}",
                        at=f.source.key(at), ptr=at)
    wanted = root_types(f.error)
    if wanted:  # every alternative wants another type: that is the whole story
        want = "或".join(dict.fromkeys(TYPE_WORDS.get(n, n) for n in wanted))
        return f.report("schema.wrong-type", f.should_be(want),
                        type_hint(f.instance, wanted, f.description) or short(f.description)
                        or "请按 schema 的说明修改。")
    options = [title(deref(s, f.schemas)).strip("()") for s in f.value]
    shown = ";".join(o for o in options if o) or "见 schema"
    return f.report("schema.no-variant", f"“{f.field}” 不符合任何一种允许的写法({shown})。",
                    short(f.description) or "对照 schema 的示例修改。")
