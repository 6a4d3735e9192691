"""Discover, read, parse and schema-validate the documents of a policy pack.

Files are read here and nowhere else in the validation pipeline; everything
after this works on :class:`Document` values.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from generator import textchars
from generator.diagnostics import Diagnostic, Severity, join_pointer
from generator.kinds import Registry, registry
from generator.schema import SCHEMA_DIR, SchemaSet, load_schemas, validate_document
from generator.yamlload import Parsed, SourceMap, load_bytes, read_policy

YAML_SUFFIXES = (".yaml", ".yml")
SITE_CONFIGS = ("mkdocs.yml", "mkdocs.yaml")
"""The handbook's mkdocs config may sit at the top of a pack (``policybook new`` puts
it there); it is not a policy file."""
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@dataclass(slots=True)
class Document:
    file: str
    """Path as shown in diagnostics (relative to the working directory when possible)."""
    kind: str
    data: dict[str, Any]
    source: SourceMap
    valid: bool = True
    shared: bool = False
    """Written once at the top of a library of packs and read into each of them."""
    attachments: dict[str, str] = field(default_factory=dict)
    """Text files the document names (a pack's source documents), by the path written
    in the document; read with it, so later stages never touch the disk."""

    def at(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        return self.source.key(pointer) if key else self.source.value(pointer)


@dataclass(slots=True)
class LoadResult:
    root: Path
    kinds: Registry
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Files that gave no document at all (YAML errors, no or unknown ``kind``)."""

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def is_policy_file(inside: PurePath) -> bool:
    """Whether the file at ``inside`` (relative to the pack's folder) is read as a policy:
    a YAML file, not in a hidden folder, and not the site config at the top."""
    return (inside.suffix in YAML_SUFFIXES
            and not any(part.startswith(".") for part in inside.parts)
            and not (len(inside.parts) == 1 and inside.name in SITE_CONFIGS))


def discover(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if is_policy_file(p.relative_to(root)) and p.is_file())


def unread(root: Path) -> list[tuple[Path, str]]:
    """Files under ``root`` that look like policy files but that :func:`discover` does
    not read, with why: a suffix in other letter case (``x.YAML``), a link to nothing,
    a pipe or device, a folder named like a file. Reported, never skipped silently."""
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        inside = path.relative_to(root)
        if any(part.startswith(".") for part in inside.parts):
            continue
        if path.suffix.lower() in YAML_SUFFIXES and path.suffix not in YAML_SUFFIXES:
            found.append((path, f"扩展名 {path.suffix} 不是小写的 .yaml 或 .yml"))
        elif not is_policy_file(inside):
            continue
        elif path.is_symlink() and not path.exists():
            found.append((path, "这是一个指向不存在的文件的符号链接"))
        elif path.is_dir():
            found.append((path, "这是一个文件夹,不是文件"))
        elif not path.is_file():
            found.append((path, "这不是普通文件(例如命名管道或设备)"))
    return found


def _unread_file(path: Path, why: str) -> Diagnostic:
    return Diagnostic(
        "pack.unread-file", f"{display_path(path)} 看起来是政策文件,但没有读取:{why}。",
        display_path(path),
        hint="政策文件须是以小写 .yaml(或 .yml)结尾的普通文件;改名或删除它,"
             "否则其中的内容不会生效。",
        severity=Severity.WARNING)


@dataclass(slots=True)
class _Read:
    raw: bytes
    parsed: Parsed
    bad: list[Diagnostic]
    checked: dict[str, list[Diagnostic]] = field(default_factory=dict)
    """kind → the schema's diagnostics (suppressions applied)."""


class ParseCache:
    """Each file's parsing and schema validation, kept between two loads of the same
    pack (``policybook serve``) and used again while the file holds the same bytes:
    one edit re-parses one file. Parsing and validating are pure functions of the
    bytes and the file's name, and nothing after loading changes a parsed document."""

    def __init__(self) -> None:
        self._files: dict[str, _Read] = {}
        self._seen: set[str] = set()

    def parse(self, raw: bytes, file: str) -> _Read:
        self._seen.add(file)
        kept = self._files.get(file)
        if kept is None or kept.raw != raw:
            kept = self._files[file] = _Read(raw, *_parse(raw, file))
        return kept

    def validate(self, read: _Read, kind: str, file: str, schemas: SchemaSet
                 ) -> list[Diagnostic]:
        if kind not in read.checked:
            read.checked[kind] = [
                d for d in validate_document(read.parsed.data, kind, file, read.parsed.source,
                                             schemas)
                if not read.parsed.source.is_suppressed(d.pointer)]
        return read.checked[kind]

    def prune(self) -> None:
        """Forget the files no load since the last prune has read (deleted files)."""
        for file in set(self._files) - self._seen:
            del self._files[file]
        self._seen.clear()


def load_pack(root: Path, *, schemas: SchemaSet | None = None,
              files: Sequence[tuple[Path, bytes]] | None = None,
              kinds: Registry | None = None, shared: Sequence[Path] = (),
              cache: ParseCache | None = None) -> LoadResult:
    """Read every YAML file under ``root`` (or the given ``files``) and validate each
    against its kind's schema (``kinds``: the built-in kinds of :mod:`generator.kinds`).

    ``files`` lets callers (``policybook diff``) validate a pack that is not on
    disk, such as a git revision. ``shared``: the files at the top of a library of
    packs (:mod:`generator.library`), read (or, with ``files``, found among them) as
    part of this pack; only kinds declared shared may be written there.
    ``cache`` keeps each file's parsing and validation for the next load.
    """
    kinds = kinds if kinds is not None else registry()
    schemas = schemas or load_schemas(
        SCHEMA_DIR, tuple(k.schema for k in kinds.values() if k.schema is not None))
    result = LoadResult(root, kinds=kinds)
    shared_files = {display_path(p) for p in shared}
    if files is not None:
        entries = list(files)
    else:
        entries = []
        for p in (*shared, *discover(root)):
            raw, problem = read_policy(p, display_path(p))
            if raw is not None:
                entries.append((p, raw))
            elif problem is not None:
                result.diagnostics.append(problem)
                result.unreadable.append(problem.file)
        result.diagnostics.extend(_unread_file(p, why) for p, why in unread(root))
    if not entries:
        if not result.diagnostics:  # else they say why nothing was read
            result.diagnostics.append(Diagnostic(
                "pack.empty", f"{display_path(root)} 中没有找到 YAML 政策文件。",
                display_path(root),
                hint="检查路径是否正确;政策文件以 .yaml 结尾。"))
        return result
    cache = cache if cache is not None else ParseCache()
    for path, raw in entries:
        file = display_path(path)
        read = cache.parse(raw, file)
        parsed, bad = read.parsed, read.bad
        result.diagnostics.extend(bad)
        result.diagnostics.extend(parsed.diagnostics)
        data = parsed.data
        if parsed.diagnostics and data is None:
            result.unreadable.append(file)
            continue
        if not isinstance(data, dict):
            result.unreadable.append(file)
            result.diagnostics.append(Diagnostic(
                "schema.not-a-mapping", "政策文件的顶层必须是映射(键: 值),以 `kind:` 开头。",
                file, hint="在文件第一行写 `kind: <类型>`,例如 `kind: flow`。"))
            continue
        kind = data.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            result.unreadable.append(file)
            result.diagnostics.append(_unknown_kind(data, file, parsed.source, kinds.names))
            continue
        diags = cache.validate(read, kind, file, schemas)
        result.diagnostics.extend(diags)
        document = Document(file, kind, data, parsed.source,
                            valid=not diags and not parsed.diagnostics,
                            shared=file in shared_files)
        if document.shared and not kinds[kind].shared:
            # Not read into the pack: it belongs to one pack, not to every one.
            result.diagnostics.extend(_check_shared(document, kinds))
            continue
        if kind == "pack" and files is None and document.valid:
            result.diagnostics.extend(_read_sources(document, path.parent))
        result.documents.append(document)
        if not document.shared:
            result.diagnostics.extend(
                _check_folder(root, path, kind, file, parsed.source, kinds))
    # One file on its own (an editor validating the file being edited) is checked as a
    # document, not as a pack: it cannot be missing the pack file or the parameters.
    single = files is None and root.is_file()
    result.diagnostics.extend(_check_singletons(result, kinds, single=single))
    result.diagnostics.extend(_check_placeholders(result, single=single))
    return result


def _parse(raw: bytes, file: str) -> tuple[Parsed, list[Diagnostic]]:
    """The file parsed, and the characters it may not hold (:mod:`generator.textchars`),
    which are replaced before parsing so that the rest of the file is still checked."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the loader says where
        return load_bytes(raw, file), []
    clean = textchars.sanitize(text)
    parsed = load_bytes(clean.encode("utf-8") if clean != text else raw, file)
    positions = {**parsed.source.keys, **parsed.source.values}
    bad = list(textchars.scan_text(text, file, positions))
    if parsed.data is not None:
        bad += textchars.scan_strings(iter_strings(parsed.data), file, parsed.source.values)
    return parsed, bad


def _read_sources(doc: Document, folder: Path) -> Iterator[Diagnostic]:
    """Read the text of every source that names one (``sources[].file``, relative to the
    pack's folder): the quote check compares citations with it."""
    for i, source in enumerate(doc.data.get("sources") or ()):
        name = source.get("file")
        if not name:
            continue
        path = folder / name
        try:
            doc.attachments[name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = ("文件不存在" if isinstance(exc, FileNotFoundError) else
                      "不是 UTF-8 文本" if isinstance(exc, UnicodeDecodeError) else
                      exc.strerror or type(exc).__name__)
            line, col = doc.at(f"/sources/{i}/file")
            yield Diagnostic(
                "source.unreadable",
                f"来源文件 {source.get('id', '')} 的文本 {display_path(path)} 无法读取:{reason}。",
                doc.file, line, col, f"/sources/{i}/file",
                hint="file 写相对于政策包文件夹的路径,文本须为 UTF-8;"
                     "没有文本时删去 file(原文就不再逐字核对)。")


def _unknown_kind(data: dict[str, Any], file: str, source: SourceMap,
                  known: tuple[str, ...]) -> Diagnostic:
    kind = data.get("kind")
    if "kind" not in data:
        return Diagnostic(
            "schema.unknown-kind", "文件缺少 kind(文件类型),无法判断按哪个 schema 校验。",
            file, hint=f"在文件第一行写 `kind: <类型>`;类型是以下之一:{', '.join(known)}。")
    line, col = source.value("/kind")
    guess = difflib.get_close_matches(str(kind), known, n=1, cutoff=0.5)
    hint = f"是否应为 “{guess[0]}”?" if guess else ""
    return Diagnostic(
        "schema.unknown-kind", f"文件类型 kind “{kind}” 无法识别。", file, line, col, "/kind",
        hint=hint + f"kind 必须是以下之一:{', '.join(known)}。")


def _check_folder(root: Path, path: Path, kind: str, file: str, source: SourceMap,
                  kinds: Registry) -> Iterator[Diagnostic]:
    """A file whose kind does not match its folder is usually a copy whose kind was not
    changed; it still validates (as what its kind says), so this is a warning."""
    try:
        folder = path.relative_to(root).parts[0] if root != path else ""
    except ValueError:
        return
    folders = kinds.by_folder()
    expected = folders.get(folder)
    if expected is None or expected == kind:
        return
    home = next((f for f, k in folders.items() if k == kind), "")
    line, col = source.value("/kind")
    yield Diagnostic(
        "schema.wrong-kind",
        f"文件在 {folder}/ 文件夹中,kind 却是 “{kind}”(这里应为 “{expected}”)。",
        file, line, col, "/kind",
        hint=(f"如果这是 {kind} 文件,请移到 {home}/;" if home else
              "如果这是单独的政策文件,请移到政策包的根文件夹;")
        + f"否则把 kind 改为 {expected}。",
        severity=Severity.WARNING)


def _check_singletons(result: LoadResult, kinds: Registry, *,
                      single: bool = False) -> Iterator[Diagnostic]:
    for kind in (k.name for k in kinds.values() if k.singleton):
        docs = [d for d in result.of_kind(kind) if not d.shared]
        if len(docs) > 1:
            for extra in docs[1:]:
                yield Diagnostic(
                    "pack.duplicate-document",
                    f"政策包中只能有一个 kind: {kind} 文件,另一个在 {docs[0].file}。",
                    extra.file, *extra.at("/kind"), "/kind",
                    hint="把两个文件的内容合并到一个文件中。")
    if not result.of_kind("pack") and result.documents and not single:
        yield Diagnostic(
            "pack.missing-pack", "政策包缺少 kind: pack 文件(名称、版本、生效日期等)。",
            display_path(result.root),
            hint="添加 pack.yaml,写明 id、title、owner、version、effective_date 等。")


def _check_shared(doc: Document, kinds: Registry) -> Iterator[Diagnostic]:
    """Only kinds that can belong to every pack may be written at a library's top."""
    allowed = "、".join(k.place for k in kinds.values() if k.shared)
    yield Diagnostic(
        "pack.not-shareable",
        f"kind: {doc.kind} 文件不能放在多个政策包共用的顶层文件夹中。",
        doc.file, *doc.at("/kind"), "/kind",
        hint=f"把它移到所属政策包的文件夹中;顶层只放各政策包共用的 {allowed}。")


def parameter_ids(result: LoadResult) -> set[str]:
    ids: set[str] = set()
    for doc in result.of_kind("parameters"):
        items = doc.data.get("parameters")
        for item in items if isinstance(items, list) else ():  # schema errors say why not
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.add(item["id"])
    return ids


def iter_strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a document with its pointer."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from iter_strings(v, join_pointer(pointer, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from iter_strings(v, f"{pointer}/{i}")


def _check_placeholders(result: LoadResult, *, single: bool = False) -> Iterator[Diagnostic]:
    if not result.of_kind("parameters"):
        if result.unreadable or single:
            # The parameters may be in a file that could not be read: its own diagnostic
            # says why, and calling every placeholder unknown would bury it.
            known: set[str] | None = set()
        else:
            known = None  # without a parameters file every name is unknown
    else:
        known = parameter_ids(result)
    for doc in result.documents:
        texts = (doc.source.curly.items() if doc.source.curly is not None
                 else iter_strings(doc.data))
        for pointer, text in texts:
            if "{" not in text and "}" not in text:
                continue
            line, col = doc.at(pointer)
            braces = doc.source.braces.get(pointer, [])
            plain = pointer in doc.source.plain
            for match in PLACEHOLDER.finditer(text):
                name = match.group(1)
                if known is not None and (name in known or not known):
                    continue
                at_line, at_col = _brace_at(text, match.start(), braces, plain, (line, col))
                guess = difflib.get_close_matches(name, sorted(known or ()), n=1)
                yield Diagnostic(
                    "ref.unknown-parameter", f"引用了不存在的参数 “{name}”。",
                    doc.file, at_line, at_col, pointer,
                    hint=(f"是否应为 {{{{ {guess[0]} }}}}?" if guess else "")
                    + "参数须先在 parameters.yaml 中定义。")
            rest = PLACEHOLDER.sub(lambda m: "\0" * len(m.group(0)), text)
            if "{{" in rest or "}}" in rest:
                bad = min(i for i in (rest.find("{{"), rest.find("}}")) if i >= 0)
                at_line, at_col = (line, col)
                if rest.find("{{") == bad:
                    at_line, at_col = _brace_at(text, bad, braces, plain, (line, col))
                elif plain:
                    at_col = col + bad
                yield Diagnostic(
                    "ref.bad-placeholder", "参数引用的括号不完整。",
                    doc.file, at_line, at_col, pointer,
                    hint="参数引用写作 {{ 参数名 }},前后各两个花括号。")


def _brace_at(text: str, index: int, braces: list[tuple[int, int]], plain: bool,
              value_at: tuple[int, int]) -> tuple[int, int]:
    """Line and column of the ``{{`` at ``index`` of the scalar ``text``."""
    nth = text.count("{{", 0, index)
    if nth < len(braces):
        return braces[nth]
    if plain:
        return value_at[0], value_at[1] + index
    return value_at
