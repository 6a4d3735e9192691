"""Forms: which fields must be filled in, where, and with which options."""

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
    by_id,
    listed,
    or_none,
    pairs,
    presence,
)
from generator.diff.specs.provenance import provenance_at
from generator.model import Form, FormField, Model


def _step(model: Model, step_id: str) -> str:
    step = model.steps.get(step_id)
    return step.title if step else step_id


def _required(_model: Model, required: bool) -> str:
    return "必填" if required else "选填"


def _condition(model: Model, key: tuple[str, str, object]) -> str:
    form = model.forms.get(key[0])
    fld = form.field(key[1]) if form else None
    return (form.condition_text(fld) if form and fld else "") or "无条件"


_FORM = (
    Text("编号", lambda f: f.code),
    Text("名称", lambda f: f.title),
    Text("用途", lambda f: f.purpose),
    Text("续页栏目", lambda f: "、".join(f.page_fields)),
    Field("问卷", lambda f: f.questionnaire, True, "客户须填写的问卷改变", show=or_none),
)
_FIELD = (
    Field("是否必填", lambda f: f.required, True, "必填要求改变", show=_required),
    Field("必填条件", lambda f: (f.form, f.id, f.required_when), True, "必填要求改变",
          show=_condition),
    Field("填写环节", lambda f: f.filled_at, True, "填写字段的环节改变", show=_step),
)
_FIELD_TAIL = (
    Field("类型", lambda f: f.type, False, "填写格式", show=or_none),
    Field("单位", lambda f: f.unit, False, "填写格式", show=or_none),
    Text("名称", lambda f: f.label),
    Text("填写提示", lambda f: f.hint),
)


def compare(ctx: Context) -> Iterator[Change]:
    for fid, a, b in pairs(ctx.old.forms, ctx.new.forms):
        if a is None or b is None:
            el = b or a
            yield presence(At(f"form:{fid}", "form", fid, el.title, el.loc), a, material=True,
                           reason="须填写的表单改变")
            continue
        yield from _compare_form(ctx, a, b)


def _compare_form(ctx: Context, a: Form, b: Form) -> Iterator[Change]:
    g, fid = f"form:{b.id}", b.id
    yield from aspects(ctx, At(g, "form", fid, b.title, b.loc), a, b, _FORM)
    for field_id, x, y in pairs(by_id(a.fields), by_id(b.fields)):
        f = y or x
        ident = f"{fid}/{field_id}"
        at = At(g, "form_field", ident, f.label, f.loc, (("form_field", ident),))
        if x is None or y is None:
            model = ctx.new if x is None else ctx.old
            yield presence(at, x, material=f.required,
                           reason="必填字段改变" if f.required else "选填字段,不改变义务",
                           shown=_required(model, f.required)
                           + f",在“{_step(model, f.filled_at)}”填写")
            continue
        yield from aspects(ctx, at, x, y, _FIELD)
        yield from _options(at, x, y)
        yield from aspects(ctx, at, x, y, _FIELD_TAIL)
    old_sections = {s.id: s for s in a.sections}
    for s in b.sections:
        if s.id in old_sections:
            at = At(g, "form_section", f"{fid}/{s.id}", s.title, s.loc, (("form", fid),))
            yield from ctx.reword(at, "名称", old_sections[s.id].title, s.title, judge=False)


def _options(at: At, x: FormField, y: FormField) -> Iterator[Change]:
    old_opts = [o.label for o in x.options]
    new_opts = [o.label for o in y.options]
    if [o.id for o in x.options] != [o.id for o in y.options]:
        yield at.change("changed", material=True, reason="可以选择的选项改变", aspect="选项",
                        old=listed(old_opts), new=listed(new_opts))
    elif old_opts != new_opts:
        yield at.change("reworded", material=False, reason="选项的文字", aspect="选项",
                        old=listed(old_opts), new=listed(new_opts))


SPEC = Spec(
    "form", compare, group="form:{id}", element="form",
    fields=("code", "title", "purpose", "page_fields", "questionnaire", "sections[].title",
            *(f"sections[].fields[].{name}" for name in (
                "required", "required_when", "filled_at", "options", "type", "unit", "label",
                "hint")),
            *provenance_at("", "sections[].fields[]")),
)
