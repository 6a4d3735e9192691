"""The handbook's audit pages: one per control (what is audited, why: the rule with its
citation and text, and the parameters with their values) and one per register (its
columns, headers and types), an index by rule, all in the navigation, every link
pointing at a page that exists."""

from __future__ import annotations

import posixpath
import re
from functools import cache

from conftest import LIBRARY

from generator.model import Model
from generator.pipeline import analyse
from generator.site.nav import navigation
from generator.site.pages import GeneratedPage, render_site

PACK = LIBRARY / "wealth-account-opening"


@cache
def model() -> Model:
    return analyse(PACK, checks=False).model


@cache
def pages() -> dict[str, GeneratedPage]:
    return {p.src: p for p in render_site(model())}


def test_a_page_per_control_and_per_register() -> None:
    found = {src for src in pages() if src.startswith("audit/")}
    assert found == {"audit/index.md",
                     *(f"audit/controls/{c}.md" for c in model().controls),
                     *(f"audit/registers/{r}.md" for r in model().registers)}


def test_a_control_page_says_what_is_audited_why_and_from_which_source() -> None:
    page = pages()["audit/controls/C-MAINT-CAP.md"].markdown
    assert "按 manager_id 分组的每一组行数不超过每名财富经理维护客户数上限(200名)" in page
    assert "[R-MAINT-CAP 维护客户数上限](../../rules.md#R-MAINT-CAP)" in page
    assert "出处 第二部分 四(六)3" in page
    assert "每名财富经理维护的客户，不得超过200名。" in page  # the rule's text, rendered


def test_a_register_page_maps_columns_to_headers() -> None:
    page = pages()["audit/registers/clients.md"].markdown
    row = ("| <code>financial&#95;assets</code> 开户时金融资产 "
           "| <code>开户时金融资产&#40;元&#41;</code> | 金额/小数(元) | 是 |  "
           "| 开户时客户在本行的金融资产，准入标准为 100万元。 |")
    assert row in page
    assert "C-MAINT-CAP" in page


def test_the_index_lists_the_controls_of_each_rule() -> None:
    page = pages()["audit/index.md"].markdown
    assert "[C-ELIG-APPROVAL](controls/C-ELIG-APPROVAL.md)" in page


def test_every_link_of_the_audit_pages_resolves() -> None:
    srcs = set(pages())
    for src, page in pages().items():
        if not src.startswith("audit/"):
            continue
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.markdown):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), target))
            assert resolved in srcs, (src, target)


def test_the_audit_pages_are_in_the_navigation() -> None:
    nav = str(navigation(model(), list(pages().values()), []))
    assert "'审计控制一览': 'audit/index.md'" in nav
    assert "audit/controls/C-WELCOME.md" in nav and "audit/registers/managers.md" in nav
