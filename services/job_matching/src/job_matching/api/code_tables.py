"""Code tables with their names (代码表): regions of Jiangsu (GB/T 2260), industries
(GB/T 4754-2017), occupations (职业分类大典), education and skill levels, titles, unit types,
job kinds, enterprise sizes and key groups, so an app builds its filter menus from the API
and never ships a copy of a national table. Data: suxin_common.codes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from suxin_common import codes
from suxin_common.auth import Role, require_roles
from suxin_common.errors import NotFound
from suxin_common.i18n import text

router = APIRouter(prefix="/v1/code-tables", tags=["code tables"])
ANY_USER = Depends(require_roles(Role.SEEKER, Role.ENTERPRISE, Role.HRSS_STAFF))


class TableOut(BaseModel):
    table: str
    title: str
    source: str
    count: int


class CodeOut(BaseModel):
    code: str
    name: str
    name_en: str | None = None
    parent: str | None
    parent_name: str | None
    level: int
    has_children: bool


class CodeTableOut(TableOut):
    items: list[CodeOut]


@router.get("", response_model=list[TableOut], dependencies=[ANY_USER])
async def list_tables():
    """Every code table: its name, title and source."""
    return [
        TableOut(table=t.name, title=t.title, source=t.source, count=len(t.items))
        for t in codes.tables().values()
    ]


@router.get("/{table}", response_model=CodeTableOut, dependencies=[ANY_USER])
async def get_table(
    table: str,
    q: Annotated[
        str | None,
        Query(max_length=50, description="code prefix, part of the name, pinyin or initials"),
    ] = None,
    parent: Annotated[
        str | None, Query(max_length=20, description="direct children of this code")
    ] = None,
    level: Annotated[int | None, Query(ge=0, le=4, description="depth in the tree")] = None,
):
    """The entries of a table (all, or found by `q`, `parent` and `level`), each with its
    Chinese name, its parent and the parent's name."""
    found = codes.tables().get(table)
    if found is None:
        raise NotFound(
            text("没有这个代码表", "there is no such code table"),
            extra={"tables": list(codes.tables())},
        )
    parents = {c.parent for c in found.items}
    items = [
        CodeOut(
            code=c.code,
            name=c.name,
            name_en=c.name_en,
            parent=c.parent,
            parent_name=found.name_of(c.parent),
            level=c.level,
            has_children=c.code in parents,
        )
        for c in found.search(q, parent=parent, level=level)
    ]
    return CodeTableOut(
        table=found.name, title=found.title, source=found.source, count=len(items), items=items
    )
