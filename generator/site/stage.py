"""The handbook as an ordinary docs project that any engine builds.

:func:`stage_project` writes, into a project folder,

- the docs folder: the generated pages (:mod:`generator.site.content`), the
  hand-written pages of the site's own ``docs_dir``, the assets and the PDFs under
  ``print/``;
- the theme folder (``theme.custom_dir``): the Content-Security-Policy and inline-script
  overrides (:mod:`generator.site.csp`), with the site's own ``custom_dir`` on top;
- ``mkdocs.yml``: the site's config with ``docs_dir``, ``site_dir``, ``nav``,
  ``extra_css``/``extra_javascript`` and ``custom_dir`` set, and without the policybook
  plugin: what the plugin did at run time is now files and config.

``mkdocs build -f <project>/mkdocs.yml`` and ``zensical build -f …`` build it alike.
A file is written only when its bytes change (a page, an asset, the config), and
what is no longer part of the site is removed, so a kept project (``policybook
serve``) gives the engine's incremental rebuild only the pages that changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import BuildError
from generator.library import Library
from generator.site import csp
from generator.site.content import EXTRA_CSS, EXTRA_JAVASCRIPT, SiteContent, site_navigation

CONFIG = "mkdocs.yml"
DOCS = "docs"
THEME = "theme"
SITE = "site"


@dataclass
class Written:
    """What a staging run changed, as paths relative to the project folder."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


# --- the site's config, read with its Python tags kept --------------------------------------


class Tagged:
    """A value written with a tag mkdocs resolves (``!!python/name:…``, ``!ENV``,
    ``!relative``): kept as it is, written back with the same tag."""

    def __init__(self, tag: str, value: object) -> None:
        self.tag, self.value = tag, value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tagged) and (self.tag, self.value) == (other.tag, other.value)

    def __hash__(self) -> int:
        return hash(self.tag)


class _Loader(yaml.SafeLoader):
    pass


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    tag = node.tag
    value: object
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return Tagged(tag, value)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)
_Loader.add_multi_constructor("!", _tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent)


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """mkdocs' ``INHERIT``: mappings merge key by key, anything else is replaced."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_config(path: Path, _seen: frozenset[Path] = frozenset()) -> dict[str, Any]:
    """The site config at ``path`` as mkdocs reads it (``INHERIT`` followed), tags kept,
    with the paths mkdocs reads relative to the file made absolute."""
    path = Path(path).resolve()
    if path in _seen:
        raise BuildError(f"{path}: INHERIT 形成循环。")
    try:
        with open(path, encoding="utf-8") as handle:
            loaded = yaml.load(handle, Loader=_Loader)  # a SafeLoader
    except OSError as exc:
        raise BuildError(f"无法读取网站配置 {path}:{exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise BuildError(f"网站配置 {path} 不是有效的 YAML:{exc}") from exc
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise BuildError(f"网站配置 {path} 应为键值映射。")
    data: dict[str, Any] = loaded
    base = path.parent
    for key in ("docs_dir", "site_dir"):
        if isinstance(data.get(key), str):
            data[key] = str(base / data[key])
    theme = data.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = str(base / theme["custom_dir"])
    if isinstance(data.get("hooks"), list):
        data["hooks"] = [str(base / h) if isinstance(h, str) else h for h in data["hooks"]]
    inherit = data.pop("INHERIT", None)
    if isinstance(inherit, str):
        data = _merge(read_config(base / inherit, _seen | {path}), data)
    data.setdefault("docs_dir", str(base / "docs"))
    return data


def _without_policybook(plugins: object) -> object:
    if isinstance(plugins, dict):
        return {k: v for k, v in plugins.items() if k != "policybook"}
    if isinstance(plugins, list):
        return [p for p in plugins
                if p != "policybook" and not (isinstance(p, dict) and "policybook" in p)]
    return plugins


def _listed(value: object, ours: tuple[str, ...]) -> list[object]:
    items = list(value) if isinstance(value, list) else []
    return items + [uri for uri in ours if uri not in items]


def engine_config(site: dict[str, Any], nav: object, *, project: Path, docs: Path,
                  site_dir: Path, theme: Path) -> str:
    """The config text for the staged project (paths relative to ``project``)."""
    config = dict(site)
    config.pop("INHERIT", None)
    if "plugins" in config:
        config["plugins"] = _without_policybook(config["plugins"])
    theme_config = config.get("theme")
    theme_config = dict(theme_config) if isinstance(theme_config, dict) else {
        "name": theme_config or "material"}
    theme_config["custom_dir"] = os.path.relpath(theme, project)
    config.update(
        docs_dir=os.path.relpath(docs, project), site_dir=os.path.relpath(site_dir, project),
        theme=theme_config, nav=nav,
        extra_css=_listed(config.get("extra_css"), EXTRA_CSS),
        extra_javascript=_listed(config.get("extra_javascript"), EXTRA_JAVASCRIPT))
    header = ("# Written by policybook build from the site's config: the generated pages are\n"
              "# files in docs_dir. Build it with `mkdocs build -f` or `zensical build -f`.\n")
    return header + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                              width=100)


# --- writing files only when their bytes change ---------------------------------------------


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def put(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; return whether it
    was written. A file that exists is replaced by a rename, so a watching engine never
    reads half of it."""
    if _same(path, data):
        return False
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return True
    tmp = path.with_name(f".{path.name}.policybook-{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def _walk(folder: Path) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(dirnames)
        for name in sorted(filenames):
            yield Path(dirpath, name).relative_to(folder).as_posix()


def sync_tree(folder: Path, files: Mapping[str, bytes | Path]) -> Written:
    """Make ``folder`` hold exactly ``files`` (relative path → bytes or a file to copy),
    writing only what differs and removing the rest."""
    done = Written()
    for rel, source in files.items():
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        if put(folder / rel, data):
            done.written.append(rel)
    for rel in list(_walk(folder)) if folder.is_dir() else []:
        if rel not in files:
            (folder / rel).unlink()
            done.removed.append(rel)
    return done


def _hand_written(docs_dir: Path) -> dict[str, Path]:
    """The site's own docs folder, as mkdocs reads it (dot-files and folders left out)."""
    found: dict[str, Path] = {}
    if not docs_dir.is_dir():
        return found
    for rel in _walk(docs_dir):
        if not any(part.startswith(".") for part in rel.split("/")):
            found[rel] = docs_dir / rel
    return found


def _theme_files(custom_dir: object) -> dict[str, Path]:
    files = {rel: csp.THEME / rel for rel in _walk(csp.THEME)}
    if isinstance(custom_dir, str) and Path(custom_dir).is_dir():
        files.update({rel: Path(custom_dir) / rel for rel in _walk(Path(custom_dir))})
    return files


@dataclass(frozen=True, slots=True)
class Project:
    config: Path
    docs: Path
    theme: Path
    site: Path


def stage_project(site_config: Path, library: Library, content: SiteContent, *,
                  project: Path, docs: Path | None = None, theme: Path | None = None,
                  site_dir: Path | None = None, config_name: str = CONFIG
                  ) -> tuple[Project, Written]:
    """Write the docs folder, the theme folder and the config for ``content`` into
    ``project`` (by default ``docs/``, ``theme/``, ``site/`` and ``mkdocs.yml`` there;
    each may be named elsewhere inside ``project``, such as staging folders).
    A generated page that a hand-written one would overwrite is an error."""
    site = read_config(site_config)
    at = Project(project / config_name, docs or project / DOCS, theme or project / THEME,
                 site_dir or project / SITE)
    own = _hand_written(Path(site["docs_dir"]))
    pages: dict[str, bytes | Path] = {}
    for page in content.pages:
        if page.src in own:
            raise BuildError(f"policybook: docs/{page.src} 与生成的页面同名。"
                             "生成的页面不应写入 docs/,请删除该文件。")
        pages[page.src] = page.markdown.encode("utf-8")
    hand_pages = [rel for rel in own if rel.endswith(".md")]
    files: dict[str, bytes | Path] = {**own, **content.files, **pages}
    done = Written()
    for folder, wanted in ((at.docs, files), (at.theme, _theme_files(
            (site.get("theme") or {}).get("custom_dir") if isinstance(site.get("theme"), dict)
            else None))):
        changed = sync_tree(folder, wanted)
        prefix = folder.relative_to(project).as_posix()
        done.written += [f"{prefix}/{r}" for r in changed.written]
        done.removed += [f"{prefix}/{r}" for r in changed.removed]
    nav = site.get("nav") or site_navigation(library, content, hand_pages)
    text = engine_config(site, nav, project=project, docs=at.docs, site_dir=at.site,
                         theme=at.theme)
    if put(at.config, text.encode("utf-8")):
        done.written.append(config_name)
    return at, done


def remove_project(project: Project) -> None:
    """Remove what :func:`stage_project` wrote (a build's throw-away project)."""
    for folder in (project.docs, project.theme):
        shutil.rmtree(folder, ignore_errors=True)
    project.config.unlink(missing_ok=True)
