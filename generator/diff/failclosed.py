"""A diff that fails closed: what no spec compares is still reported, as material.

Two levels, both on the raw documents (``Model.documents``), paired by kind and id
(or by file):

1. a document kind with no spec is compared as it is written, every difference a
   material change;
2. in a kind with a spec, every differing field the spec does not list in
   :attr:`~generator.diff.engine.Spec.fields` is a material change naming the field,
   so a field added to a schema later can never make two versions look the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from generator.diff.changes import Change
from generator.diff.engine import Spec, pairs, title_of
from generator.diff.groups import LABELS
from generator.diff.rawdiff import MISSING, Leaf, covered, leaves, shown
from generator.load import Document
from generator.model import Loc, Model

KIND_NOT_COMPARED = "该类型没有逐项比较规则,按原始内容比较,视为实质性变化"
FIELD_NOT_COMPARED = "该字段没有逐项比较规则,按原始内容比较,视为实质性变化"
FILE_NOT_COMPARED = "整个文件的增删没有逐项比较规则,视为实质性变化"

_ITEM = re.compile(r"^([^.\[@]+)\[([^\]]+)\]")


def compare(old: Model, new: Model, specs: Mapping[str, Spec]) -> Iterator[Change]:
    for _key, a, b in pairs(_documents(old), _documents(new)):
        doc = b or a
        spec = specs.get(doc.kind)
        model = new if b is not None else old
        if a is None or b is None:
            if spec is None or not spec.documents:
                yield _change(spec, model, doc, None, "added" if a is None else "removed")
            continue
        for leaf in leaves(a.data, b.data):
            if spec is None or not covered(leaf, spec.fields):
                side, model = (a, old) if leaf.new is MISSING else (b, new)
                yield _change(spec, model, side, leaf, leaf.action)


def _documents(model: Model) -> dict[str, Document]:
    """Documents by kind and id; a document without an id by its file, unless it is
    the only one of its kind."""
    count: dict[str, int] = {}
    for doc in model.documents.values():
        count[doc.kind] = count.get(doc.kind, 0) + 1
    out: dict[str, Document] = {}
    for doc in model.documents.values():
        ident = doc.data.get("id")
        if ident:
            out[f"{doc.kind}#{ident}"] = doc
        else:
            out[doc.kind if count[doc.kind] == 1 else f"{doc.kind}@{_name(doc.file)}"] = doc
    return out


def _name(file: str) -> str:
    """A file as both sides name it: without the git revision (``HEAD:policies/x.yaml``)."""
    return re.sub(r"^[^/:]+:(?!/)", "", file)


def _change(spec: Spec | None, model: Model, doc: Document, leaf: Leaf | None,
            action: str) -> Change:
    doc_id = str(doc.data.get("id") or "")
    kind, ident, group = _element(spec, doc, doc_id, leaf)
    title = title_of(model, kind, ident)
    if kind == "document":
        title = f"{LABELS.get(doc.kind, doc.kind)}文件"
    elif title == ident:
        title = str(doc.data.get("title") or ident)
    pointer = leaf.pointer if leaf else ""
    line, column = doc.at(pointer)
    if leaf is None:
        reason = KIND_NOT_COMPARED if spec is None else FILE_NOT_COMPARED
        old, new = ("", doc.file) if action == "added" else (doc.file, "")
        aspect = ""
    else:
        reason = KIND_NOT_COMPARED if spec is None else FIELD_NOT_COMPARED
        old, new = shown(leaf.old), shown(leaf.new)
        aspect = leaf.path.replace("@order", "的顺序")
    return Change(group, kind, ident, title, action, material=True, reason=reason,
                  aspect=aspect, old=old, new=new,
                  elements=((kind, ident),) if spec is not None else (),
                  loc=Loc(doc.file, line, column, pointer))


def _element(spec: Spec | None, doc: Document, doc_id: str,
             leaf: Leaf | None) -> tuple[str, str, str]:
    """(kind, id, report group) of what the difference is about."""
    if spec is None:
        return doc.kind, doc_id or doc.file, f"{doc.kind}:{doc_id}" if doc_id else doc.kind
    group = spec.group.format(id=doc_id)
    item = _ITEM.match(leaf.path) if leaf else None
    if item and item.group(1) in spec.items:
        return spec.items[item.group(1)], item.group(2), group
    if spec.element:
        return spec.element, doc_id, group
    return "document", doc.kind, group  # a document that is not itself an element
