"""The two settings of mkdocs.yml that outputs other than the site need: where the
site is published (``site_url``) and how its page URLs look (``use_directory_urls``).

mkdocs.yml is read as YAML, following ``INHERIT`` and ``!ENV`` as mkdocs does
(mkdocs' own :func:`mkdocs.utils.yaml.yaml_load`), but with a safe loader: tags
that would import or call Python (``!!python/name:``, ``!!python/object/apply:``)
are read as nothing rather than executed. Loading the whole config with
``mkdocs.config.load_config`` would also validate the theme, the plugins and the
docs folder, which the printables have no need of.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class SiteSettings:
    site_url: str = ""
    """As written in mkdocs.yml (``""`` when unset)."""
    directory_urls: bool = True
    """mkdocs' ``use_directory_urls`` (its default is true)."""


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader that reads Python tags and mkdocs' ``!relative`` as ``None``."""


def _nothing(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_SafeLoader.add_multi_constructor("tag:yaml.org,2002:python/", _nothing)
_SafeLoader.add_multi_constructor("!relative", _nothing)


def read_site_settings(config: Path) -> SiteSettings:
    """The settings of ``config``; the defaults when it is missing or unreadable (the
    site build, not the printables, reports a broken mkdocs.yml)."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    try:
        with open(config, "rb") as handle:
            data: Any = yaml_load(handle, loader=get_yaml_loader(_SafeLoader))
    except (OSError, ConfigurationError, yaml.YAMLError):
        return SiteSettings()
    if not isinstance(data, dict):
        return SiteSettings()
    site_url = data.get("site_url")
    directory_urls = data.get("use_directory_urls", True)
    return SiteSettings(site_url if isinstance(site_url, str) else "",
                        directory_urls if isinstance(directory_urls, bool) else True)
