"""Migration 0004 indexes the posts that exist before it: their search documents and the
vocabulary, so search finds them at once."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching.adapters import matching as match_repo
from job_matching.adapters import search as search_repo
from suxin_common.db import session_factory
from suxin_common.migrate import upgrade_async

pytestmark = pytest.mark.integration


async def test_posts_from_before_the_migration_are_searchable(infra):
    url = await infra.create_database("job_matching_search_migration")
    await upgrade_async("job_matching", url, "0003")
    engine = create_async_engine(url)
    post_id = uuid.uuid4()
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO enterprises (uscc, name, city_code, district_code,"
                    " industry_code, size) VALUES ('91321003000000811X', '扬州智能装备有限公司',"
                    " '3210', '321003', 'C', 'medium')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO job_posts (id, enterprise_uscc, title, occupation_code,"
                    " city_code, district_code, kind, status, headcount, wage_min_fen,"
                    " wage_max_fen, description, required_skills, opened_at) VALUES (:id,"
                    " '91321003000000811X', '数控车工', '6-18-01-01', '3210', '321003',"
                    " 'full_time', 'open', 1, 600000, 900000, '轴类零件加工',"
                    " ARRAY['数控编程'], now())"
                ),
                {"id": post_id},
            )
        await upgrade_async("job_matching", url)
        sessions = session_factory(engine)
        for q in ("智能装备", "邗江", "数控编程", "shukong"):
            async with sessions() as session:
                found = await search_repo.search_posts(
                    session,
                    text=q,
                    filters=match_repo.PostFilters(),
                    near=None,
                    offset=0,
                    limit=5,
                )
            assert found.ids == [post_id], q
        async with engine.connect() as conn:
            posts = await conn.scalar(text("SELECT posts FROM search_terms WHERE term = '数控'"))
        assert posts == 1
    finally:
        await engine.dispose()
