"""National code tables with their Chinese names, so that every response can carry the name
beside the code and no app has to ship its own copy.

Tables (data in ``codes/data``): ``regions`` (GB/T 2260, Jiangsu: the province, its 13 设区市
and their 95 districts and counties), ``industries`` (GB/T 4754-2017: 20 sections and 97
divisions), ``occupations`` (职业分类大典 2022: the codes in use and their parent groups), and
the small vocabularies of the platform (education levels, skill levels, professional titles,
unit types, job kinds, enterprise sizes, key groups), which also carry an English name.

Each entry has its parent and its depth in the tree; :meth:`CodeTable.search` finds entries by
code prefix, by part of the name, or by the start of its pinyin or its pinyin initials
("yangzhou", "yz" -> 扬州市).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from pypinyin import Style, lazy_pinyin

_TREE_FILES: Final = ("regions", "industries", "occupations")


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    parent: str | None
    level: int  # 0 for a root of the tree
    name_en: str | None = None
    pinyin: str = ""
    initials: str = ""

    def label(self, language: str = "zh") -> str:
        """The name to show: English when asked for and known, else the Chinese name."""
        return self.name_en if language == "en" and self.name_en else self.name


def pinyin_of(text: str) -> tuple[str, str]:
    """Full pinyin without tones and the initials of a text, lower case, no spaces
    (``"扬州市"`` -> ``("yangzhoushi", "yzs")``); other characters are kept as they are."""
    syllables = [s.casefold() for s in lazy_pinyin(text, errors="default") if s.strip()]
    initials = [s[0].casefold() for s in lazy_pinyin(text, style=Style.FIRST_LETTER) if s.strip()]
    return "".join(syllables), "".join(initials)


class CodeTable:
    """One code table: entries in the order the standard lists them."""

    def __init__(self, name: str, title: str, source: str, items: list[dict]) -> None:
        self.name, self.title, self.source = name, title, source
        parents = {item["code"]: item.get("parent") for item in items}

        def depth(code: str) -> int:
            level, parent = 0, parents.get(code)
            while parent is not None:
                level, parent = level + 1, parents.get(parent)
            return level

        entries = []
        for item in items:
            full, initials = pinyin_of(item["name"])
            entries.append(
                Code(
                    code=item["code"],
                    name=item["name"],
                    parent=item.get("parent"),
                    level=depth(item["code"]),
                    name_en=item.get("name_en"),
                    pinyin=full,
                    initials=initials,
                )
            )
        self.items: tuple[Code, ...] = tuple(entries)
        self._by_code = {c.code: c for c in self.items}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Code]:
        return iter(self.items)

    def get(self, code: str | None) -> Code | None:
        return self._by_code.get(code) if code is not None else None

    def name_of(self, code: str | None, language: str = "zh") -> str | None:
        entry = self.get(code)
        return entry.label(language) if entry else None

    def children(self, parent: str | None) -> list[Code]:
        return [c for c in self.items if c.parent == parent]

    def search(
        self, query: str | None = None, *, parent: str | None = None, level: int | None = None
    ) -> list[Code]:
        """Entries under `parent` (direct children) and at `level`, whose code starts with the
        query, or whose name contains it, or whose pinyin or initials start with it."""
        found = list(self.items)
        if parent is not None:
            found = [c for c in found if c.parent == parent]
        if level is not None:
            found = [c for c in found if c.level == level]
        q = "".join((query or "").split()).casefold()
        if q:
            found = [
                c
                for c in found
                if c.code.casefold().startswith(q)
                or q in c.name.casefold()
                or (c.name_en and q in c.name_en.casefold())
                or c.pinyin.startswith(q)
                or c.initials.startswith(q)
            ]
        return found


def _data(filename: str) -> dict:
    return json.loads(resources.files(__package__).joinpath("data", filename).read_text("utf-8"))


@cache
def tables() -> dict[str, CodeTable]:
    """Every table by its name (loaded once; pinyin is computed at load)."""
    out: dict[str, CodeTable] = {}
    for name in _TREE_FILES:
        data = _data(f"{name}.json")
        out[name] = CodeTable(name, data["title"], data["source"], data["items"])
    for name, data in _data("labels.json").items():
        out[name] = CodeTable(name, data["title"], "Suxin platform vocabulary", data["items"])
    return out


def table(name: str) -> CodeTable:
    return tables()[name]


def name_of(table_name: str, code: str | None, language: str = "zh") -> str | None:
    """The name of a code in a table, or None for no code or a code the table lacks."""
    return table(table_name).name_of(code, language)


def names_of(table_name: str, codes: list[str] | None, language: str = "zh") -> list[str | None]:
    return [name_of(table_name, c, language) for c in codes or []]


def label(table_name: str, code: str | None) -> str | None:
    """The name to put beside a code in a response: Chinese, or English where the table has it
    and the request asked for it (suxin_common.i18n). Every service names codes with this."""
    from suxin_common.i18n import current_language

    return name_of(table_name, code, current_language.get())
