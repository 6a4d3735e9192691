"""Permissions and roles: who may act."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.changes import Change
from generator.diff.engine import (
    At,
    Context,
    Field,
    Spec,
    Text,
    aspects,
    listed,
    pairs,
    presence,
)
from generator.diff.specs.provenance import provenance_at

_PERMISSION = (Text("名称", lambda p: p.title), Text("说明", lambda p: p.description))
_ROLE = (
    Field("隶属", lambda r: r.part_of, False, "组织归属"),
    Text("名称", lambda r: r.name),
    Text("说明", lambda r: r.description),
)


def compare(ctx: Context) -> Iterator[Change]:
    for pid, a, b in pairs(ctx.old.permissions, ctx.new.permissions):
        el = b or a
        at = At("roles", "permission", pid, el.title, el.loc)
        if a is None or b is None:
            yield presence(at, a, material=True, reason="谁可以办理的权限改变")
            continue
        yield from aspects(ctx, at, a, b, _PERMISSION)
    titles = {p.id: p.title for m in (ctx.old, ctx.new) for p in m.permissions.values()}
    for rid, a, b in pairs(ctx.old.roles, ctx.new.roles):
        el = b or a
        at = At("roles", "role", rid, el.name, el.loc)
        if a is None or b is None:
            yield presence(at, a, material=True, reason="谁可以办理改变")
            continue
        gained = [p for p in b.permissions if p not in a.permissions]
        lost = [p for p in a.permissions if p not in b.permissions]
        if gained or lost:
            yield at.change("changed", material=True, reason="岗位可以办理的事项改变",
                            aspect="权限", old=listed(titles.get(p, p) for p in lost),
                            new=listed(titles.get(p, p) for p in gained))
        yield from aspects(ctx, at, a, b, _ROLE)


SPEC = Spec(
    "roles", compare, group="roles", items={"permissions": "permission", "roles": "role"},
    fields=("permissions[].title", "permissions[].description", "roles[].permissions",
            "roles[].part_of", "roles[].name", "roles[].description",
            *provenance_at("permissions[]", "roles[]")),
)
