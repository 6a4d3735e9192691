"""``policybook new DIR``: write a small, valid policy pack to start from, like ``mkdocs new``.

The pack is the template in ``generator/templates/new-pack/``, itself a valid pack:
every document kind once, for a generic procedure 受理申请 → 审核 → 办结或退回, all of
it drafted. Next to it go an ``mkdocs.yml`` (so ``policybook build DIR`` builds the
site from any folder) and ``docs/about.md``. Per pack, only these change: the id,
title and effective date in ``pack.yaml``, the site name and the path of the vendored
Mermaid in ``mkdocs.yml``, and each YAML file's modeline, which points at the schemas
this policybook validates with.

Everything is worked out first (arguments, target folder, every file's text); the
files are written last, each atomically.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from jsonschema import Draft202012Validator

from generator.errors import EXIT_OK, UsageError
from generator.files.write import check_folder_target, write_text
from generator.load import SITE_CONFIGS, YAML_SUFFIXES
from generator.schema import KINDS, SCHEMA_DIR, load_schemas

NAME = "new"
HELP = "新建一个最小的政策包(含网站配置)/ create a minimal policy pack to start from"

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "new-pack"
"""The pack ``new`` writes, file by file."""
MERMAID = Path(__file__).resolve().parent.parent.parent / "vendor" / "mermaid" / "mermaid.min.js"
"""Where ``make setup`` vendors Mermaid in a checkout of policybook (not resolved: the
vendor folder may be a link to another checkout's)."""
PAGEFIND = MERMAID.parent.parent / "pagefind" / "bin" / "pagefind_extended"
"""Where ``make setup`` vendors Pagefind's indexer, likewise."""
DEFAULT_TITLE = "新流程"
FALLBACK_ID = "new-pack"
"""The id when the folder's name has no letters or digits to make one of."""
MODELINE = "# yaml-language-server: $schema="
ID_REF = "common.schema.json#/$defs/id"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR",
                        help="新政策包的文件夹(不存在时自动创建)")
    parser.add_argument("--id", dest="pack_id",
                        help="政策包标识(默认由文件夹名生成),如 leave-request")
    parser.add_argument("--title", help=f"政策包名称(默认“{DEFAULT_TITLE}”)")
    parser.add_argument("--force", action="store_true",
                        help="文件夹不为空时也写入(只覆盖 new 写入的文件,其他文件保留)")


def run(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    check_folder_target(folder, what="政策包文件夹")
    pack_id = args.pack_id if args.pack_id is not None else default_id(folder)
    check_id(pack_id)
    title = DEFAULT_TITLE if args.title is None else args.title.strip()
    if not title:
        raise UsageError("--title 不能为空。")
    if not args.force and folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} 已存在且不是空文件夹,未写入任何文件。"
                         "要在其中新建政策包,请加 --force(只覆盖 new 写入的文件,其他文件保留)。")
    files = render_pack(read_template(), folder, pack_id=pack_id, title=title,
                        effective_date=datetime.date.today())
    for name, text in files.items():
        write_text(folder / name, text)
    print(report(folder, pack_id, title, list(files)))
    if not MERMAID.is_file():
        print(f"注意:找不到 {MERMAID}(离线绘制流程图所需)。生成网站前请在 policybook 仓库中"
              f"运行 make setup,或修改 {folder / SITE_CONFIGS[0]} 中的 "
              "plugins.policybook.mermaid。", file=sys.stderr)
    return EXIT_OK


# --- the id ------------------------------------------------------------------------------


def _id_schema() -> Mapping[str, Any]:
    schema: Mapping[str, Any] = load_schemas().registry.resolver().lookup(ID_REF).contents
    return schema


def default_id(folder: Path) -> str:
    """The folder's name made into an id: runs of other characters become ``-``, and
    one that does not start with a letter gets ``pack-`` in front."""
    name = Path(os.path.abspath(folder)).name
    words = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-_")
    if not words:
        return FALLBACK_ID
    if not words[0].isalpha():
        words = f"pack-{words}"
    return words[: int(_id_schema().get("maxLength", 64))].rstrip("-_")


def check_id(pack_id: str) -> None:
    """A UsageError unless ``pack_id`` is an id by ``schemas/common.schema.json``."""
    schemas = load_schemas()
    validator = Draft202012Validator({"$ref": ID_REF}, registry=schemas.registry)
    if not validator.is_valid(pack_id):
        longest = _id_schema().get("maxLength", 64)
        raise UsageError(f"--id “{pack_id}” 不是有效的标识:应以英文字母开头,只含英文字母、"
                         f"数字、下划线(_)和连字符(-),最多 {longest} 个字符,"
                         "例如 --id leave-request。")


# --- the files ---------------------------------------------------------------------------


def read_template(template: Path = TEMPLATE) -> dict[PurePosixPath, str]:
    """Every file of the template pack by its path inside the pack."""
    return {
        PurePosixPath(path.relative_to(template).as_posix()): path.read_text(encoding="utf-8")
        for path in sorted(template.rglob("*"))
        if path.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                      for part in path.relative_to(template).parts)
    }


def render_pack(template: Mapping[PurePosixPath, str], folder: Path, *, pack_id: str,
                title: str, effective_date: datetime.date) -> dict[PurePosixPath, str]:
    """The text of each file of the new pack in ``folder``, in the order of :data:`KINDS`
    (the site's files last)."""
    root = Path(os.path.realpath(folder))
    files: dict[PurePosixPath, str] = {}
    for name in sorted(template, key=lambda n: (_rank(n, template[n]), n)):
        text = template[name]
        if name == PurePosixPath(SITE_CONFIGS[0]):
            text = _set(text, "site_name", json.dumps(title, ensure_ascii=False))
            text = _set(text, "mermaid", json.dumps(_path_from(root, MERMAID),
                                                    ensure_ascii=False), indent="    ")
            text = _set(text, "pagefind", json.dumps(_path_from(root, PAGEFIND),
                                                     ensure_ascii=False), indent="    ")
        elif name.suffix in YAML_SUFFIXES:
            if name == PurePosixPath("pack.yaml"):
                text = _set(text, "id", _scalar(pack_id))
                text = _set(text, "title", _scalar(title))
                text = _set(text, "effective_date", f'"{effective_date.isoformat()}"')
            text = with_modeline(text, _path_from(root / name.parent, _schema_of(name, text)))
        files[name] = text
    return files


def with_modeline(text: str, schema: str) -> str:
    """``text`` whose first line is the modeline pointing at ``schema``."""
    if text.startswith(MODELINE):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return f"{MODELINE}{schema}\n{text}"


def _kind_of(text: str) -> str | None:
    found = re.search(r"^kind: *([a-z_]+) *$", text, re.MULTILINE)
    return found.group(1) if found else None


def _rank(name: PurePosixPath, text: str) -> int:
    kind = _kind_of(text) if name.suffix in YAML_SUFFIXES else None
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def _schema_of(name: PurePosixPath, text: str) -> Path:
    kind = _kind_of(text)
    if kind not in KINDS:  # pragma: no cover - the template is tested to have a kind per file
        raise RuntimeError(f"template {name} has no kind")
    return SCHEMA_DIR / f"{kind}.schema.json"


def _path_from(folder: Path, target: Path) -> str:
    """``target`` relative to ``folder``, with ``/``; absolute where no relative path
    exists (another drive)."""
    try:
        return PurePath(os.path.relpath(target, folder)).as_posix()
    except ValueError:
        return target.absolute().as_posix()


def _set(text: str, key: str, value: str, *, indent: str = "") -> str:
    """``text`` with the value of its one ``key:`` line at ``indent`` replaced (a
    comment after the value stays)."""
    pattern = re.compile(rf"^{re.escape(indent + key)}: \S+(?P<rest>.*)$", re.MULTILINE)
    replaced, count = pattern.subn(lambda m: f"{indent}{key}: {value}{m['rest']}", text)
    if count != 1:  # pragma: no cover - the template is tested
        raise RuntimeError(f"template: {count} lines set {key}")
    return replaced


_PLAIN = re.compile(r"[^\W\d][\w-]*")
_NOT_STRINGS = {"null", "true", "false"}  # YAML 1.2 core schema words


def _scalar(value: str) -> str:
    """``value`` as a YAML string: plain when it reads as one, else double-quoted."""
    if _PLAIN.fullmatch(value) and value.lower() not in _NOT_STRINGS:
        return value
    return json.dumps(value, ensure_ascii=False)


# --- the report --------------------------------------------------------------------------


def report(folder: Path, pack_id: str, title: str, names: list[PurePosixPath]) -> str:
    where = shlex.quote(str(folder))
    lines = [f"已在 {folder} 新建政策包“{title}”(id: {pack_id}),写入 {len(names)} 个文件:"]
    lines += [f"  {name}" for name in names]
    lines += ["", "全部内容都是起草的示例(provenance: drafted),请改写为本流程的实际规定。",
              "下一步:", f"  policybook check {where}", f"  policybook build {where}"]
    return "\n".join(lines)
