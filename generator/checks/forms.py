"""Conditionally required form fields (``required_when``): the condition reads fields
and options the form has, and it can both hold and fail."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at, suggest
from generator.diagnostics import Diagnostic
from generator.model import Form, FormField, Model


@check("form.required-when-unknown",
       "字段的必填条件(required_when)所读的字段在本表单中存在,所列选项是该字段的选项。")
def required_when_unknown(model: Model) -> Iterator[Diagnostic]:
    for form in model.forms.values():
        ids = [f.id for f in form.fields]
        for fld in form.fields:
            rw = fld.required_when
            if rw is None:
                continue
            of = f"表单 {form.id} 的字段 {fld.id} 的必填条件"
            for key, name in (("field", rw.field), ("not_equal_field", rw.not_equal_field)):
                if name and name not in ids:
                    yield at(model, fld.loc, "required_when", key).diagnostic(
                        "form.required-when-unknown",
                        f"{of}读字段 {name},本表单没有这个字段。",
                        " ".join(x for x in (suggest(name, ids),
                                             "条件只能读同一表单中的字段。") if x))
            other = form.field(rw.field)
            if other is None or not rw.in_:
                continue
            options = [o.id for o in other.options]
            if not options:
                yield at(model, fld.loc, "required_when", "in").diagnostic(
                    "form.required-when-unknown",
                    f"{of}按选项判断(in),但字段 {other.id} 是{other.type}字段,没有选项。",
                    "in 只用于单选或多选字段;按两个字段是否相同判断的,用 not_equal_field。")
                continue
            for i, option in enumerate(rw.in_):
                if option not in options:
                    yield at(model, fld.loc, "required_when", "in", i).diagnostic(
                        "form.required-when-unknown",
                        f"{of}列出的选项 {option} 不是字段 {other.id} 的选项"
                        f"({'、'.join(options)})。",
                        suggest(option, options) or f"改为字段 {other.id} 的选项标识。")


@check("form.required-when-constant",
       "字段的必填条件(required_when)既可能成立也可能不成立:不是恒为必填,也不是永不必填。")
def required_when_constant(model: Model) -> Iterator[Diagnostic]:
    for form in model.forms.values():
        for fld in form.fields:
            if fld.required_when is not None:
                problem = _constant(form, fld)
                if problem:
                    what, fix, key = problem
                    yield at(model, fld.loc, *key).diagnostic(
                        "form.required-when-constant",
                        f"表单 {form.id} 的字段 {fld.id} 的必填条件{what}", fix)


def _constant(form: Form, fld: FormField) -> tuple[str, str, tuple[str, ...]] | None:
    """(what is wrong, the fix, where) when the condition cannot vary."""
    rw = fld.required_when
    assert rw is not None
    if fld.required:
        return ("不起作用:该字段已是必填(required: true),条件恒成立。",
                "去掉 required_when,或把 required 改为 false。", ("required",))
    if fld.id in rw.fields:
        return ("读的是该字段自身:字段未填时条件不成立,永远不会要求填写。",
                "让条件读表单中的另一个字段。", ("required_when",))
    if rw.not_equal_field and rw.not_equal_field == rw.field:
        return (f"永不成立:字段 {rw.field} 不会与自身不同。",
                "not_equal_field 须是与 field 不同的字段。", ("required_when", "not_equal_field"))
    other = form.field(rw.field)
    if (rw.in_ and other is not None and other.required and other.options
            and {o.id for o in other.options} <= set(rw.in_)):
        return (f"恒成立:字段 {other.id} 必填,而所列选项包含它的全部选项,"
                "无论选哪一项该字段都必填。",
                "把该字段改为 required: true 并去掉 required_when,或只列出需要填写的选项。",
                ("required_when", "in"))
    return None
