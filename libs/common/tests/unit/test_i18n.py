"""Chinese first: Accept-Language picks English only when English is preferred."""

import pytest

from suxin_common.i18n import current_language, negotiate, text
from suxin_common.web import NotFound


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh"),
        ("", "zh"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en;q=0.5,zh;q=0.9", "zh"),
        ("en;q=0.5,zh;q=0.5", "zh"),
        ("fr,en;q=0.3", "en"),
        ("en;q=abc", "zh"),
        ("de", "zh"),
    ],
)
def test_negotiation(header, language):
    assert negotiate(header) == language


def test_problem_titles_follow_the_language_and_keep_their_code():
    problem = NotFound("gone")
    assert problem.body()["title"] == "未找到" and problem.body()["code"] == "not-found"
    token = current_language.set("en")
    try:
        assert problem.body()["title"] == "Not Found" and problem.body()["code"] == "not-found"
        assert text("中文", "English") == "English"
    finally:
        current_language.reset(token)
    assert text("中文", "English") == "中文"
