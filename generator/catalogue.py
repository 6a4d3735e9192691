"""Every check id policybook can emit, with what it means and what to do about it.

The consistency checks describe themselves when they register
(:mod:`generator.checks`); the ids that reading and validating a file produce (the
YAML loader, the JSON Schema explainers, the pack's layout) are described here. The
SARIF reporter turns each into a rule with ``shortDescription``, ``fullDescription``
and ``help`` (GitHub code scanning shows the help beside every alert), and
``tests/test_catalogue.py`` fails when an id is emitted anywhere in ``generator/``
without a description.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CheckText:
    summary: str
    """One sentence: what the check requires."""
    help: str = ""
    """What to do when it fails (a paragraph, plain text)."""


_YAML_HELP = "policybook 严格读取 YAML:同一内容只有一种写法,任何含糊之处都是错误而不是猜测。"

LOADER: dict[str, CheckText] = {
    # --- reading the file -------------------------------------------------------------
    "file.unreadable": CheckText(
        "政策文件必须能被读取。",
        "文件不存在、没有读取权限、是一个文件夹或读取时出现 I/O 错误。检查文件权限"
        "(例如 `chmod a+r`)、磁盘和网络盘,或把不是政策的文件移出政策包文件夹。"),
    "pack.unread-file": CheckText(
        "政策文件夹中看似政策文件的都被读取。",
        "扩展名写成 .YAML/.Yml、指向不存在文件的链接、管道或名为 x.yaml 的文件夹不会被读取;"
        "改名为小写 .yaml、修复或删除链接,或把它移出政策文件夹。"),
    "text.bad-character": CheckText(
        "政策文本中不能有控制字符、私用区字符、孤立代理项或双向控制符。",
        "这些字符看不见,却会改变文本的显示顺序或破坏打印;删除诊断所指行列上的字符"
        "(常见于从其他文档复制粘贴的文字)。"),
    "yaml.encoding": CheckText(
        "政策文件必须是 UTF-8 编码(可以带 BOM)。",
        "用编辑器把文件另存为 UTF-8;GBK/GB2312 文件可用 `iconv -f GBK -t UTF-8` 转换。"),
    "yaml.control-character": CheckText(
        "政策文件中不能有控制字符(如 NUL)。",
        "控制字符通常来自复制粘贴或二进制文件;删除诊断所指行列上的字符。"
        "需要换行时直接换行,不要写控制字符。"),
    "yaml.syntax": CheckText(
        "政策文件必须是语法正确的 YAML。",
        "检查诊断所指行及其上一行的缩进、冒号后的空格、引号和括号是否配对。"),
    "yaml.tab": CheckText(
        "缩进只能用空格,不能用制表符(Tab)。",
        "把制表符替换为空格(每级两个空格),并在编辑器中开启“用空格代替 Tab”。"),
    "yaml.empty": CheckText(
        "政策文件不能是空的(只有注释或只有 null 也算空)。",
        "写入政策内容,或删除这个文件。"),
    "yaml.multiple-documents": CheckText(
        "一个文件只能包含一个 YAML 文档。",
        "把 `---` 之后的内容移到单独的文件中。"),
    "yaml.directive": CheckText(
        "政策文件中不能有 %YAML 或 %TAG 指令。",
        _YAML_HELP + "删除以 % 开头的指令行(以及其后的 `---`)。"),
    "yaml.tag": CheckText(
        "政策文件中不能有 YAML 标签(以 ! 开头,如 !!str、!ruby/object)。",
        _YAML_HELP + "删除标签;需要文字时给值加引号。"),
    "yaml.alias": CheckText(
        "政策文件中不能有 YAML 锚点(&)和别名(*)。",
        "锚点和别名让同一内容出现在多处,改一处时另一处悄悄跟着变,也可被用来制造"
        "“别名炸弹”。请把内容直接写出来;需要共用的数值定义为参数。"),
    "yaml.duplicate-key": CheckText(
        "同一映射中的键不能重复。",
        "YAML 会悄悄丢弃重复键的一个值。删除或合并两处重复的键,只保留一个。"),
    "yaml.complex-key": CheckText(
        "映射的键必须是简单文字,不能是列表或映射。",
        "把键改为一个简单的名称,例如 `title:`。"),
    "yaml.non-string-key": CheckText(
        "映射的键必须是文字,不能是数字、true/false、null 或空键。",
        "`1:`、`01:` 和 `true:` 在 YAML 中不是文字,转成文字后 `1` 与 `01` 会被误当作"
        "不同或相同的键。给键加引号(`\"1\":`),或改用一个名称。"),
    "yaml.too-deep": CheckText(
        "嵌套不能超过 32 层。",
        "政策文件通常只有五六层嵌套;请检查缩进或括号是否配对。"),
    # --- the document's kind and the pack's layout --------------------------------------
    "schema.not-a-mapping": CheckText(
        "政策文件的顶层必须是映射(键: 值),以 `kind:` 开头。",
        "在文件第一行写 `kind: <类型>`,例如 `kind: flow`。"),
    "schema.unknown-kind": CheckText(
        "每个政策文件都要用 kind 写明一种已知的文件类型。",
        "在文件第一行写 `kind: <类型>`;可用的类型见政策语言参考。"),
    "schema.wrong-kind": CheckText(
        "文件的 kind 要与它所在的文件夹相符。",
        "把文件移到它的类型所在的文件夹,或改正 kind。"),
    "pack.empty": CheckText(
        "政策包文件夹中至少要有一个 YAML 政策文件。",
        "检查路径是否正确;政策文件以 .yaml 结尾。"),
    "pack.missing-pack": CheckText(
        "政策包必须有一个 kind: pack 文件。",
        "添加 pack.yaml,写明 id、title、owner、version、effective_date 等。"),
    "pack.duplicate-document": CheckText(
        "只能有一个的文件类型(pack、roles、parameters 等)在政策包中只能出现一次。",
        "把两个文件的内容合并到一个文件中。"),
    "pack.not-shareable": CheckText(
        "多个政策包共用的顶层文件夹只能放可以共用的文件类型。",
        "把文件移到所属政策包的文件夹中。"),
    "source.unreadable": CheckText(
        "来源文件(sources[].file)所写的文本必须存在且是 UTF-8。",
        "file 写相对于政策包文件夹的路径;没有文本时删去 file(原文就不再逐字核对)。"),
    "ref.bad-placeholder": CheckText(
        "参数引用写作 {{ 参数名 }},括号要完整。",
        "参数引用前后各两个花括号;文字中需要花括号时不要连写两个。"),
    "ref.duplicate-id": CheckText(
        "同一类元素的标识(id)不能重复。",
        "给其中一个改一个新的 id,并更新引用它的地方。"),
    # --- JSON Schema ----------------------------------------------------------------------
    "schema.unknown-key": CheckText(
        "只能写 schema 中定义的键。",
        "通常是拼写错误(诊断会给出最接近的键),或把键写到了错误的层级。"),
    "schema.missing-key": CheckText(
        "必填的键不能缺少。",
        "按诊断补上缺少的键;每个键的含义见政策语言参考。"),
    "schema.wrong-type": CheckText(
        "值的类型要符合 schema(数字、文字、列表、映射……)。",
        "数字不要加引号,也不要写单位或千分位;文字中有冒号等符号时加引号。"),
    "schema.not-allowed": CheckText(
        "值必须是 schema 允许的取值之一。",
        "诊断列出允许的取值;注意大小写和中英文。"),
    "schema.pattern": CheckText(
        "值的格式要符合 schema(如标识只用小写字母、数字和下划线)。",
        "按诊断提示的格式改写这个值。"),
    "schema.format": CheckText(
        "日期等有格式的值必须有效(如 2026-12-01)。",
        "日期写作 YYYY-MM-DD,且必须是真实存在的日期。"),
    "schema.too-few": CheckText(
        "列表、映射和文字不能少于 schema 要求的项数或长度。",
        "补足内容;不需要的键整个删去,而不是留空。"),
    "schema.too-many": CheckText(
        "列表、映射和文字不能多于 schema 允许的项数或长度。",
        "删去多余的项,或拆成几项。"),
    "schema.out-of-range": CheckText(
        "数值要在 schema 允许的范围内。",
        "检查数值及其单位(例如百分比写 0 到 100 还是 0 到 1)。"),
    "schema.duplicate-item": CheckText(
        "列表中不能有重复的项。",
        "删除重复的项。"),
    "schema.conflict": CheckText(
        "不能同时写两种互相排斥的写法。",
        "只保留其中一种写法(诊断指出冲突的键)。"),
    "schema.mixed-variant": CheckText(
        "一个值只能采用一种写法,不能混用几种写法的键。",
        "选定一种写法,删去属于另一种写法的键。"),
    "schema.no-variant": CheckText(
        "值必须符合 schema 允许的某一种写法。",
        "诊断列出允许的写法;对照政策语言参考中的示例改写。"),
}
"""The ids of reading and validating files, each described once."""

SCHEMA_FALLBACK = CheckText(
    "值要符合 JSON Schema 的这项约束。",
    "诊断给出 JSON Schema 原文的说明;对照政策语言参考中该字段的说明改写。")
"""A schema keyword without an explainer reports ``schema.<keyword>``."""


def describe(check_id: str, registered: dict[str, str] | None = None) -> CheckText:
    """What ``check_id`` means: a registered consistency check's summary, a loader or
    schema id from :data:`LOADER`, or the schema fallback."""
    if registered is None:
        from generator.checks import catalog

        registered = catalog()
    if check_id in LOADER:
        return LOADER[check_id]
    if check_id in registered:
        return CheckText(registered[check_id], "每条结果的提示说明这一处如何修改。")
    if check_id.startswith("schema."):
        return SCHEMA_FALLBACK
    return CheckText(check_id)
