"""jieba segmentation for the search vector: a query's tokens are found in the document's."""

from job_matching.search import document_tokens, query_tokens


def test_query_tokens_are_among_the_document_tokens():
    doc = set(
        document_tokens("工业机器人调试工程师", "负责焊接机器人的调试与维护，熟悉 Python").split()
    )
    for query in ("机器人调试", "工程师", "焊接", "python"):
        assert set(query_tokens(query)) <= doc, query


def test_punctuation_and_spaces_are_not_tokens():
    assert query_tokens("  ，。!! ") == []
    assert "，" not in document_tokens("设备，运维").split()
