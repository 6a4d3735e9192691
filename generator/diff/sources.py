"""The two sides of a diff: a git revision, a folder, or the work tree.

A git revision is read into memory (``git ls-tree`` + ``git cat-file --batch``)
and validated by the same loader as a folder, so nothing is checked out or
written. Files of a revision are named ``<rev>:<path>`` in diagnostics.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError
from generator.library import Library, analyse_library
from generator.load import is_policy_file
from generator.model import Model
from generator.pipeline import Analysis, analyse


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison, loaded."""

    label: str
    """How the report names it: ``main(80da23f)``, ``工作区``, a folder path."""
    analysis: Analysis
    revision: str = ""
    commit: str = ""
    empty: bool = False
    """A git revision that has no policies folder yet: compared as an empty pack."""

    @property
    def model(self) -> Model:
        return self.analysis.model

    @property
    def ok(self) -> bool:
        return self.empty or self.analysis.ok


def _git(args: list[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                              check=False)
    except FileNotFoundError:
        raise UsageError("找不到 git 命令。比较 git 版本需要安装 git;"
                         "也可以给出两个文件夹进行比较。") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitFailed(message[-1] if message else f"git {args[0]} 失败")
    return done.stdout


class _GitFailed(Exception):
    pass


def repository_root(cwd: Path) -> Path:
    try:
        out = _git(["rev-parse", "--show-toplevel"], cwd)
    except _GitFailed as exc:
        raise UsageError(f"当前目录不在 git 仓库中,无法读取 git 版本({exc})。"
                         "请在仓库中运行,或给出两个政策文件夹进行比较。") from None
    return Path(out.decode().strip())


def resolve_commit(revision: str, top: Path) -> str:
    if revision.startswith("-"):
        raise UsageError(f"“{revision}” 不是 git 版本名。")
    try:
        return _git(["rev-parse", "--verify", "--quiet", "--end-of-options",
                     f"{revision}^{{commit}}"], top).decode().strip()
    except _GitFailed:
        raise UsageError(
            f"找不到 git 版本 “{revision}”,它也不是一个文件夹。请给出分支名、标签或提交号"
            "(如 main、origin/main、HEAD~1),在 CI 中先 fetch 基准分支"
            "(actions/checkout 设置 fetch-depth: 0)。") from None


def read_revision(commit: str, top: Path, subdir: str, name: str) -> list[tuple[Path, bytes]]:
    """The YAML files under ``subdir`` at ``commit``, as (display path, bytes)."""
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", subdir], top)
    wanted: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, path_bytes = entry.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        path = path_bytes.decode("utf-8", "surrogateescape")
        inside = Path(path).relative_to(subdir) if subdir not in ("", ".") else Path(path)
        if kind == "blob" and mode != "120000" and is_policy_file(inside):
            wanted.append((oid, path))
    if not wanted:
        return []
    batch = _git(["cat-file", "--batch"], top,
                 stdin="".join(f"{oid}\n" for oid, _ in wanted).encode())
    files: list[tuple[Path, bytes]] = []
    pos = 0
    for _oid, path in wanted:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        start = header_end + 1
        files.append((Path(f"{name}:{path}"), batch[start:start + size]))
        pos = start + size + 1
    return sorted(files)


def policies_folder(policies: Path, cwd: Path) -> Path:
    """``--policies`` relative to the working directory, else to the repository's top
    (so the default ``policies`` also works from a subfolder of the repository)."""
    if policies.is_absolute():
        return policies
    here = cwd / policies
    if here.exists():
        return here
    try:
        return repository_root(cwd) / policies
    except UsageError:
        return here


def load_side(spec: str | None, policies: Path, *, cwd: Path | None = None) -> Side:
    """``spec`` is a folder, a git revision, or ``None`` for the work tree's ``policies``
    (a single pack: see :func:`load_sides` for a library of packs)."""
    sides = load_sides(spec, policies, cwd=cwd)
    if len(sides) != 1:
        raise UsageError(f"{policies} 中有多个政策包;逐个比较请用 load_sides。")
    return next(iter(sides.values()))


def load_sides(spec: str | None, policies: Path, *,
               cwd: Path | None = None) -> dict[str, Side]:
    """Each pack of ``spec`` by its folder name (``""`` for a single pack): ``spec`` is
    a folder, a git revision, or ``None`` for the work tree's ``policies``."""
    cwd = cwd or Path.cwd()
    if spec is None:
        folder = policies_folder(policies, cwd)
        if not folder.exists():
            raise UsageError(f"找不到政策文件夹 {policies}。用 --policies 给出它在仓库中的位置。")
        return _sides("工作区", analyse_library(folder, checks=False))
    folder = Path(spec) if Path(spec).is_absolute() else cwd / spec
    if folder.is_dir():
        # Another checkout of the repository: compare its policies folder.
        inner = folder / policies
        if not policies.is_absolute() and inner.is_dir() and not (folder / "pack.yaml").exists():
            return _sides(str(Path(spec) / policies), analyse_library(inner, checks=False))
        return _sides(spec, analyse_library(folder, checks=False))
    top = repository_root(cwd)
    commit = resolve_commit(spec, top)
    wanted = policies_folder(policies, cwd).resolve()
    try:
        subdir = wanted.relative_to(top.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"政策文件夹 {policies} 不在 git 仓库 {top} 中。") from None
    try:
        files = read_revision(commit, top, subdir or ".", spec)
    except _GitFailed as exc:
        raise UsageError(f"读取 git 版本 “{spec}” 失败:{exc}") from None
    label = commit[:7] if commit.startswith(spec) else f"{spec}({commit[:7]})"
    root = Path(f"{spec}:{subdir}")
    if not files:
        return {"": Side(label, analyse(root, checks=False, files=[]), spec, commit,
                         empty=True)}
    return _sides(label, analyse_library(root, checks=False, files=files), spec, commit)


def _sides(label: str, library: Library, revision: str = "", commit: str = ""
           ) -> dict[str, Side]:
    return {p.prefix.rstrip("/"): Side(label, p.analysis, revision, commit) for p in library}


def empty_side(label: str, name: str) -> Side:
    """A pack that one side does not have: compared as empty (all added or removed)."""
    return Side(label, analyse(Path(name), checks=False, files=[]), empty=True)

