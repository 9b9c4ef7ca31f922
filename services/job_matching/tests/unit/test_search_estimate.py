"""How much of the recent past a search reads first: from the vocabulary's post counts, an
estimate of the matches (never what is found, only how fast)."""

from job_matching.adapters.matching import PostFilters
from job_matching.adapters.search import WINDOW, recent_window
from job_matching.search import Vocabulary, estimated_matches


def vocabulary(posts: dict[str, int], total: int = 200_000) -> Vocabulary:
    return Vocabulary(frozenset(posts), {}, {}, posts=posts, total_posts=total)


def test_alternatives_add_up_and_words_multiply_as_independent_shares():
    v = vocabulary({"电工": 16_000, "维修电工": 4_000, "扬州": 15_000})
    assert estimated_matches([[[["电工", "维修电工"]]]], v) == 20_000
    both = estimated_matches([[[["电工", "维修电工"]]], [[["扬州"]]]], v)
    assert both == 20_000 * 15_000 / 200_000


def test_words_without_counts_leave_the_estimate_unknown():
    v = vocabulary({"电工": 16_000})
    assert estimated_matches([[[["五险一金"]]]], v) is None  # a description word
    assert estimated_matches([[[["电工"]]]], vocabulary({}, total=0)) is None


def test_a_broad_query_reads_two_days_first_and_a_narrow_one_every_day():
    assert recent_window(20_000, PostFilters()) == 2  # ~333 a day
    assert recent_window(9_000, PostFilters()) == 3  # ~150 a day
    assert recent_window(2_000, PostFilters()) is None  # too few in any short window
    assert recent_window(20_000, PostFilters(city_code="3210")) is None  # a city's share
    assert recent_window(None, PostFilters()) == 3  # no estimate: the first tier
    assert WINDOW == 200
