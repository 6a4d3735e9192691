"""The diff report as GitHub-flavoured Markdown, for a pull-request comment and
the job summary. Policy text is escaped so that no title can break a table or
start markup; character edits are shown with ``<del>``/``<ins>``, which (unlike
``~~``/``**``) work between Chinese characters and punctuation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator import escape as escaping
from generator.diagnostics import Diagnostic
from generator.diff.changes import ACTION_LABELS, Change, Segment, kind_label
from generator.diff.impact import DOCUMENT_STATUS, Impact
from generator.diff.printed import LINK_MARKER, STATUS_LABELS
from generator.diff.report import MARKER, DiffReport
from generator.diff.sources import Side

MAX_ERRORS = 20
MAX_BECAUSE = 6
"""Changes named per document in the table of affected documents."""
FOLD_EDITORIAL = 12
"""A section with more editorial changes than this shows them folded."""


def escape(text: str) -> str:
    """Plain text for GitHub Markdown (inline or a table cell): HTML-escaped, Markdown
    punctuation escaped, line breaks folded, no autolink, mention or issue reference
    (:func:`generator.escape.github_markdown`)."""
    return escaping.github_markdown(text)


def code(text: str) -> str:
    """An id or path as a code span (:func:`generator.escape.markdown_code`)."""
    return escaping.markdown_code(text)


def wording(segments: Sequence[Segment]) -> str:
    out = []
    for s in segments:
        text = escape(s.text)
        out.append(text if s.op == "=" else f"<del>{text}</del>" if s.op == "-"
                   else f"<ins>{text}</ins>")
    return "".join(out)


def badge(change: Change) -> str:
    return "**【实质】**" if change.material else "【文字】"


def change_line(change: Change) -> str:
    """One bullet: badge, what, which element, the old and new value, why."""
    kind = kind_label(change.kind)
    shown = change.title and change.title not in (change.id, change.id.rsplit("/", 1)[-1])
    name = f"**{escape(change.title)}**" if shown else ""
    ident = code(change.id)
    what = ACTION_LABELS.get(change.action, change.action)
    if change.aspect and change.action not in ("moved", "retargeted", "adopted", "unadopted"):
        what += escape(change.aspect)
    elif change.aspect and change.action in ("adopted", "unadopted"):
        what += "(" + escape(change.aspect) + ")"
    if change.wording:
        detail = ":" + wording(change.wording)
    elif change.old and change.new:
        detail = f":{escape(change.old)} → {escape(change.new)}"
    elif change.new or change.old:
        detail = ":" + escape(change.new or change.old)
    else:
        detail = ""
    subject = f"{kind} {name} {ident}" if name else f"{kind} {ident}"
    return f"- {badge(change)} {subject} {what}{detail} — *{escape(change.reason)}*"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]],
           align: Sequence[str] = ()) -> list[str]:
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join(align[i] if i < len(align) else "---"
                              for i in range(len(header))) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _side(side: Side) -> str:
    meta = side.model.meta
    version = f" 版本 {escape(meta.version)}" if meta else ""
    return f"{code(side.label)}{version}"


def _errors(side: Side, errors: Sequence[Diagnostic]) -> list[str]:
    lines = [f"> **{escape(side.label)} 的政策有 {len(errors)} 个错误,无法按内容比较。**"
             "请先修正(`policybook check` 列出全部问题,并给出修改提示):", ""]
    for d in errors[:MAX_ERRORS]:
        lines.append(f"- {code(f'{d.file}:{d.line}:{d.column}')} "
                     f"[{code(d.check)}] {escape(d.message)}")
    if len(errors) > MAX_ERRORS:
        lines.append(f"- ……另有 {len(errors) - MAX_ERRORS} 个错误")
    return [*lines, ""]


def _impacts(impacts: Sequence[Impact], kind: str) -> list[str]:
    def because(ids: Sequence[str]) -> str:
        shown = "、".join(code(b) for b in ids[:MAX_BECAUSE])
        return shown + (f" 等 {len(ids)} 项" if len(ids) > MAX_BECAUSE else "")

    rows = [(code(i.document.path), escape(i.document.title), DOCUMENT_STATUS[i.status],
             because(i.because)) for i in impacts if i.document.kind == kind]
    if not rows:
        return []
    header = ("文件", "名称", "状态", "涉及的变更") if kind == "pdf" else \
        ("页面", "名称", "状态", "涉及的变更")
    return [*_table(header, rows), ""]


def _printed(report: DiffReport) -> list[str]:
    """The printables whose pages look different, with the pages, and where the
    before/after images are (the workflow writes the artifact's link at the marker)."""
    if report.printed is None:
        return []
    if not report.printed:
        return ["### 打印件的页面", "", "重新生成的打印件(PDF)与原来逐像素相同。", ""]
    rows = []
    for p in report.printed:
        pages = "、".join(str(g.page) for g in p.pages)
        rows.append((code(p.pdf), STATUS_LABELS[p.status], f"第 {pages} 页",
                     f"{p.page_counts[0]} → {p.page_counts[1]}"))
    return ["### 打印件的页面", "",
            f"{len(report.printed)} 份打印件(PDF)的页面有变化。每页的修改前、修改后对比图"
            f"(修改后的图上红框标出变化之处)在本次运行的工件 `policybook-pdf-review` 中"
            f"{LINK_MARKER}:", "",
            *_table(("打印件", "状态", "变化的页", "页数"), rows), ""]


def render_markdown(report: DiffReport) -> str:
    head_meta = report.head.model.meta or report.base.model.meta
    title = head_meta.title if head_meta else "政策包"
    lines = [MARKER, f"## 政策变更评审:{escape(title)}", "",
             f"**比较**:{_side(report.base)} → {_side(report.head)}", ""]
    if not report.ok:
        lines += ["> [!CAUTION]", "> 无法比较:至少一方的政策未通过校验。", ""]
        for side in (report.base, report.head):
            errors = report.errors(side)
            if errors and not side.ok:
                lines += _errors(side, errors)
        return "\n".join(lines).rstrip() + "\n"
    if report.base.empty:
        lines += [f"> {code(report.base.label)} 中还没有政策文件,所有内容按新增列出。", ""]
    material, editorial = report.material, report.editorial
    if material:
        lines += ["> [!WARNING]",
                  f"> **{material} 项实质性变更**:改变了门槛、准入条件、办理岗位、"
                  "必经环节或其顺序、决策结果、必填字段或内容的采纳状态。合并前须经政策负责人批准。"
                  + (f"另有 {editorial} 项文字性变更。" if editorial else ""), ""]
    elif editorial:
        lines += ["> [!NOTE]", f"> 只有 {editorial} 项文字性变更,不改变任何义务。", ""]
    else:
        lines += ["> [!NOTE]", "> 两个版本的政策内容相同(只可能改了格式、注释或顺序)。", ""]
        return "\n".join([*lines, *_printed(report)]).rstrip() + "\n"
    lines += _table(("范围", "实质性", "文字性"),
                    [(escape(g.title), str(g.material), str(g.editorial))
                     for g in report.groups] + [("**合计**", f"**{material}**",
                                                 f"**{editorial}**")],
                    ("---", "---:", "---:"))
    lines.append("")
    diagrams = {d.flow: d for d in report.diagrams}
    for group in report.groups:
        lines += [f"### {escape(group.title)}", ""]
        material_lines = [change_line(c) for c in group.changes if c.material]
        editorial_lines = [change_line(c) for c in group.changes if not c.material]
        if len(editorial_lines) > FOLD_EDITORIAL:
            # Keep long lists of editorial changes out of the way of the material ones.
            if material_lines:
                lines += [*material_lines, ""]
            lines += [f"<details><summary>{len(editorial_lines)} 项文字性变更</summary>", "",
                      *editorial_lines, "", "</details>"]
        else:
            lines += [*material_lines, *editorial_lines]
        lines.append("")
        kind, _, ident = group.key.partition(":")
        if kind == "flow" and ident in diagrams:
            lines += ["<details open><summary>新流程图:绿色为新增环节,黄色为修改的环节,"
                      "红色虚线框为删除的环节;粗箭头为新的去向,红色虚线箭头为取消的去向"
                      "</summary>",
                      "", "```mermaid", diagrams[ident].mermaid, "```", "", "</details>", ""]
    if report.impacts:
        lines += ["### 受影响的打印文件和网页", ""]
        pdfs = _impacts(report.impacts, "pdf")
        pages = _impacts(report.impacts, "page")
        if pdfs:
            lines += ["**打印文件**(`make build` 重新生成)", "", *pdfs]
        if pages:
            lines += ["**手册网页**", "", *pages]
    lines += _printed(report)
    lines += ["<sub>由 `policybook diff` 生成。实质性 = 改变义务;文字性 = 不改变义务;"
              "每项后面的斜体字是分类理由,审阅人可以不同意。</sub>"]
    return "\n".join(lines).rstrip() + "\n"
