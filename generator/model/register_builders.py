"""The builders of the ``register`` and ``controls`` kinds: schema-valid documents
into :mod:`generator.model.registers` dataclasses, their ids claimed in the pack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from generator.model.model import Model
from generator.model.reader import DocumentReader
from generator.model.registers import (
    Bound,
    Column,
    ColumnType,
    Condition,
    Control,
    ControlCheck,
    Reference,
    Register,
    Within,
)

CHECKS: tuple[ControlCheck, ...] = ("each", "count", "rate", "reference", "within")


def build_register(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    loc = b.loc("")
    if not b.register("register", d["id"], loc, "登记簿"):
        return
    columns = []
    for i, c in enumerate(d["columns"]):
        cloc = b.loc(f"/columns/{i}")
        if b.register("column", f"{d['id']}.{c['id']}", cloc, "列"):
            columns.append(Column(
                id=c["id"], title=c["title"], type=cast(ColumnType, c["type"]), loc=cloc,
                header=c.get("header", c["id"]), required=bool(c.get("required", False)),
                values=tuple(c.get("values", ())), unit=c.get("unit", ""),
                description=c.get("description", "")))
    model.registers[d["id"]] = Register(
        id=d["id"], title=d["title"], source_system=d["source_system"],
        key=tuple(d["key"]), columns=tuple(columns), provenance=b.provenance(d), loc=loc,
        title_en=d.get("title_en", ""), description=d.get("description", ""),
        unit_column=d.get("unit_column", ""))


def condition(b: DocumentReader, raw: Mapping[str, Any], pointer: str) -> Condition:
    loc = b.loc(pointer)
    for op in ("all", "any"):
        if op in raw:
            return Condition(op, loc, parts=tuple(
                condition(b, p, f"{pointer}/{op}/{i}") for i, p in enumerate(raw[op])))
    if "not" in raw:
        return Condition("not", loc, parts=(condition(b, raw["not"], f"{pointer}/not"),))
    if "in" in raw:
        return Condition("in", loc, column=raw["column"], values=tuple(raw["in"]))
    if "present" in raw:
        return Condition("present", loc, column=raw["column"], present=bool(raw["present"]))
    return Condition("compare", loc, column=raw["column"], operator=raw["op"],
                     value=raw.get("value"), param=raw.get("param", ""),
                     to_column=raw.get("to_column", ""))


def _maybe(b: DocumentReader, raw: Any, pointer: str) -> Condition | None:
    return condition(b, raw, pointer) if isinstance(raw, Mapping) else None


def _bound(b: DocumentReader, raw: Mapping[str, Any], pointer: str) -> Bound:
    direction = "at_most" if "at_most" in raw else "at_least"
    return Bound(direction, raw[direction], b.loc(f"{pointer}/{direction}"))  # type: ignore[arg-type]


def build_controls(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    for i, c in enumerate(d["controls"]):
        pointer = f"/controls/{i}"
        loc = b.loc(pointer)
        if not b.register("control", c["id"], loc, "审计控制"):
            continue
        check = next(k for k in CHECKS if k in c)
        body = c[check]
        at = f"{pointer}/{check}"
        fields: dict[str, Any] = {}
        if check == "each":
            fields["require"] = condition(b, body, at)
        elif check in ("count", "rate"):
            fields["group_by"] = tuple(body.get("group_by", ()))
            fields["bound"] = _bound(b, body, at)
            if check == "rate":
                fields["require"] = condition(b, body["of"], f"{at}/of")
        elif check == "reference":
            fields["reference"] = Reference(
                column=body["column"], register=body["register"], loc=b.loc(at),
                match=tuple(body.get("match", {}).items()),
                require=_maybe(b, body.get("require"), f"{at}/require"))
        else:
            fields["within"] = Within(after=body["after"], period=body["period"],
                                      loc=b.loc(at), date=body.get("date", ""))
        model.controls[c["id"]] = Control(
            id=c["id"], title=c["title"], check=check, register=c["register"],
            rules=tuple(c["rules"]), provenance=b.provenance(c), loc=loc,
            description=c.get("description", ""),
            where=_maybe(b, c.get("where"), f"{pointer}/where"), **fields)
