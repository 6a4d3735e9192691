"""The glossary's order: Hanyu Pinyin, with index letters (generator.site.collation)."""

from __future__ import annotations

import re

from generator.library import analyse_library
from generator.site.collation import by_letter, index_letter, pinyin, sort_key
from generator.site.library import SitePack, render_library
from tests.conftest import LIBRARY


def test_words_read_by_their_phrase_and_sort_by_syllable() -> None:
    assert pinyin("银行") == ["yin", "hang"]  # the phrase's reading, not 行 xing
    words = ["专项", "一级分行", "个人", "了解客户", "KYC", "安全"]
    assert sorted(words, key=sort_key) == ["安全", "个人", "KYC", "了解客户", "一级分行", "专项"]
    assert [index_letter(w) for w in ("安全", "KYC", "一级分行", "2年", "《规定》")] == [
        "A", "K", "Y", "#", "#"]


def test_groups_are_in_letter_order_with_other_last() -> None:
    groups = by_letter(["专项", "2年", "安全", "按时", "一级"], str)
    assert groups == [("A", ["安全", "按时"]), ("Y", ["一级"]), ("Z", ["专项"]), ("#", ["2年"])]


def test_the_glossary_pages_list_their_terms_in_pinyin_order_under_letters() -> None:
    packs = [SitePack(p.prefix, p.analysis.model)
             for p in analyse_library(LIBRARY, checks=False).packs]
    pages = {p.src: p.markdown for p in render_library(packs)}
    for pack in packs:
        page = pages[f"{pack.prefix}glossary.md"]
        letters = re.findall(r"^## (\S) \{#letter-", page, re.M)
        terms = re.findall(r'<span id="term-[^"]+"></span>\*\*(.+?)\*\*', page)
        assert len(terms) == len(pack.model.terms) > 10
        plain = [re.sub(r"\\(.)", r"\1", t) for t in terms]
        assert plain == sorted(plain, key=sort_key)  # not code-point order
        assert plain != sorted(plain)
        assert letters == sorted(set(letters), key=lambda x: (x == "#", x))
        for letter in letters:  # every index letter links to its section
            assert f'href="#letter-{"other" if letter == "#" else letter.lower()}"' in page
