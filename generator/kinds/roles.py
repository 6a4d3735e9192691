"""``roles``: the units and roles of a procedure and the permissions each holds
(``roles.yaml``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.diff.specs import roles as spec
from generator.kinds import _walk
from generator.kinds.registry import Kind, Target
from generator.model import Model
from generator.model.builders import BUILDERS
from generator.model.elements import Element
from generator.model.refs import Ref, many

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder


def _elements(model: Model) -> Iterator[Element]:
    yield from _walk.elements("permission", model.permissions, model)
    yield from _walk.elements("role", model.roles, model, "name")


def _refs(model: Model) -> Iterator[Ref]:
    for perm in model.permissions.values():
        yield from many("rule", perm.rules, perm.loc, "rules", f"权限 {perm.id} 的依据规则")
    for role in model.roles.values():
        if role.part_of:
            yield Ref("role", role.part_of, role.loc, ("part_of",), f"岗位 {role.id} 的所属机构")
        yield from many("permission", role.permissions, role.loc, "permissions",
                        f"岗位 {role.id} 的权限")


def _pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    yield site.roles()


KIND = Kind(
    name="roles", label="岗位与权限", label_en="Roles", place="roles.yaml",
    build=BUILDERS["roles"], elements=_elements,
    element_labels={"permission": "权限", "role": "岗位"}, refs=_refs,
    targets=(Target("role", "岗位", "岗位在 roles.yaml 的 roles 中定义。", lambda m: m.roles),
             Target("permission", "权限", "权限在 roles.yaml 的 permissions 中定义。",
                    lambda m: m.permissions)),
    diff=spec.SPEC, pages=_pages, printables=None, shared=True,
)
