"""How a query is read: words, synonyms, pinyin, initials and same-sound typos."""

from job_matching.search import (
    PostText,
    Vocabulary,
    clause_words,
    completion_key,
    post_lexemes,
    post_terms,
    query_clauses,
    query_runs,
    tsquery_text,
)

POST = PostText(
    title="数控车工",
    description="操作数控车床加工轴类零件，能独立编程调机。",
    enterprise_name="扬州智能装备有限公司",
    skills=("数控编程", "PLC"),
    occupation_name="车工",
    city_name="扬州市",
    district_name="邗江区",
)


def vocabulary(known=(), by_pinyin=None, by_initials=None) -> Vocabulary:
    return Vocabulary(frozenset(known), by_pinyin or {}, by_initials or {})


def test_a_post_is_found_by_title_enterprise_skill_and_place_with_their_weights():
    lexemes = post_lexemes(POST)
    assert {"数控车工", "数控", "车工"} <= set(lexemes["A"])
    assert {"扬州智能装备有限公司", "智能", "装备", "数控编程", "plc"} <= set(lexemes["B"])
    assert {"扬州市", "邗江区", "邗江"} <= set(lexemes["C"])
    every = [x for xs in lexemes.values() for x in xs]
    assert len(every) == len(set(every))  # each lexeme once, at its highest weight


def test_terms_carry_pinyin_and_initials():
    terms = {t.term: t for t in post_terms(POST)}
    assert terms["数控"].pinyin == "shukong" and terms["数控"].initials == "sk"
    assert terms["邗江"].kind == "place" and terms["plc"].kind == "skill"


def test_several_words_each_must_match_and_occupation_synonyms_are_alternatives():
    runs = query_runs("普工 扬州")
    words = clause_words(query_clauses(runs, vocabulary(known={"扬州"})))
    assert "操作工" in words[0] and words[1] == ["扬州"]
    clauses = query_clauses(runs, vocabulary(known={"扬州"}))
    query = tsquery_text(clauses, completions=["扬州市", "扬州智能装备有限公司"])
    assert " & " in query and "'扬州市' | '扬州智能装备有限公司'" in query
    assert ":*" not in query  # a GIN prefix match reads whole posting lists: never used


def test_the_last_word_is_completed_from_the_vocabulary():
    assert completion_key(query_runs("数控 见习")) == "见习"
    assert completion_key(query_runs("pyth")) == "pyth"
    assert completion_key(query_runs("数控 见")) is None  # one character completes too much


def test_pinyin_initials_and_same_sound_typos_are_read_through_the_vocabulary():
    typed = query_runs("shukong")
    read = clause_words(query_clauses(typed, vocabulary(by_pinyin={"shukong": ("数控",)})))
    assert "数控" in read[0]
    read = clause_words(query_clauses(query_runs("sk"), vocabulary(by_initials={"sk": ("数控",)})))
    assert "数控" in read[0]
    typo = query_runs("数空")
    read = clause_words(query_clauses(typo, vocabulary(by_pinyin={"shukong": ("数控",)})))
    assert "数控" in read[0]
    assert query_runs("  ，。") == []


def test_lexemes_are_quoted_safely():
    assert tsquery_text([[[["o'neil", "a\\b"]]]], completions=()) == "((('o''neil' | 'a\\\\b')))"
