"""The handbook's audit pages: one per register (its columns, headers and types) and
one per control (what is audited, why, which rule and source), and their index."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.site.deferred import deferrable
from generator.audit.words import check_label, control_words
from generator.model.registers import TYPE_LABELS, Control, Register
from generator.site.markup import code, md

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder

AUDIT_DIR = "audit"


def _page(src: str, title: str, markdown: str) -> GeneratedPage:
    from generator.site.pages import GeneratedPage

    return GeneratedPage(src, title, markdown)


def _register_src(register_id: str) -> str:
    return f"{AUDIT_DIR}/registers/{register_id}.md"


def _control_src(control_id: str) -> str:
    return f"{AUDIT_DIR}/controls/{control_id}.md"


def _rel(here: str, there: str) -> str:
    from generator.addresses import relative_path

    return relative_path(here, there)


def register_pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    for reg in site.model.registers.values():
        yield _register_page(site, reg)


@deferrable
def _register_page(site: SiteBuilder, reg: Register) -> GeneratedPage:
    here = _register_src(reg.id)
    base = site.base(here, reg.title)
    lines = [f"# {md(reg.title)}", "", f"{base['badge'](reg.provenance)}", ""]
    if reg.description:
        lines += [md(site.model.text(reg.description)), ""]
    lines += [f"- 标识（audit --register 的名字）：{code(reg.id)}",
              f"- 来源系统：{md(reg.source_system)}",
              f"- 主键：{'、'.join(str(code(k)) for k in reg.key)}"]
    if reg.unit_column:
        lines.append(f"- 机构列（报告按它分列）：{code(reg.unit_column)}")
    lines += ["", "| 列 | 文件表头 | 类型 | 必填 | 取值 | 说明 |",
              "| --- | --- | --- | --- | --- | --- |"]
    for col in reg.columns:
        lines.append(
            f"| {code(col.id)} {md(col.title)} | {code(col.header)} | "
            f"{TYPE_LABELS[col.type]}{md(col.unit) and '(' + md(col.unit) + ')'} | "
            f"{'是' if col.required else ''} | {'、'.join(md(v) for v in col.values)} | "
            f"{md(site.model.text(col.description))} |")
    using = [c for c in site.model.controls.values()
             if c.register == reg.id or (c.reference and c.reference.register == reg.id)]
    if using:
        lines += ["", "## 审计控制", ""]
        lines += [f"- [{md(c.id)} {md(c.title)}]({_rel(here, _control_src(c.id))})"
                  for c in using]
    return _page(here, reg.title, "\n".join(lines) + "\n")


def control_pages(site: SiteBuilder) -> Iterator[GeneratedPage]:
    model = site.model
    if not model.controls:
        return
    here = f"{AUDIT_DIR}/index.md"
    lines = ["# 审计控制", "",
             "每条审计控制以登记簿（银行已有的数据导出）检查规则的执行情况；"
             "`policybook audit --data 文件夹` 对数据逐条执行，报告每一处违规及其规则、出处和所用参数。",
             "", "| 控制 | 审计的规则 | 登记簿 | 方式 |", "| --- | --- | --- | --- |"]
    links = site.base(here, "审计控制")["links"]
    for c in model.controls.values():
        lines.append(f"| [{md(c.id)} {md(c.title)}]({_rel(here, _control_src(c.id))}) | "
                     f"{links.rules(c.rules)} | "
                     f"[{md(c.register)}]({_rel(here, _register_src(c.register))}) | "
                     f"{check_label(c)} |")
    audited = {r for c in model.controls.values() for r in c.rules}
    lines += ["", "## 各规则的审计控制", "", "| 规则 | 控制 |", "| --- | --- |"]
    for rule in model.rules.values():
        if rule.id in audited:
            ids = [c for c in model.controls.values() if rule.id in c.rules]
            lines.append(f"| {links.rule(rule.id, title=True)} | " + " ".join(
                f"[{md(c.id)}]({_rel(here, _control_src(c.id))})" for c in ids) + " |")
    yield _page(here, "审计控制", "\n".join(lines) + "\n")
    for c in model.controls.values():
        yield _control_page(site, c)


@deferrable
def _control_page(site: SiteBuilder, c: Control) -> GeneratedPage:
    model = site.model
    here = _control_src(c.id)
    base = site.base(here, c.title)
    links = base["links"]
    lines = [f"# {md(c.id)} {md(c.title)}", "", f"{base['badge'](c.provenance)}", ""]
    if c.description:
        lines += [md(model.text(c.description)), ""]
    lines += ["## 审计什么", "", md(control_words(model, c)), "",
              f"- 方式：{check_label(c)}",
              f"- 登记簿：[{md(c.register)}]({_rel(here, _register_src(c.register))})"]
    if c.reference:
        lines.append(f"- 被引用的登记簿：[{md(c.reference.register)}]"
                     f"({_rel(here, _register_src(c.reference.register))})")
    if c.parameters:
        lines.append("- 所用参数：" + "、".join(str(links.parameter(p)) for p in c.parameters))
    lines += ["", "## 为什么：审计的规则", ""]
    for rule_id in c.rules:
        rule = model.rules.get(rule_id)
        if rule is None:
            continue
        lines += [f"### {links.rule(rule.id, title=True)}", "",
                  f"{base['badge'](rule.provenance)}", "", md(model.text(rule.text)), ""]
    return _page(here, f"{c.id} {c.title}", "\n".join(lines) + "\n")
