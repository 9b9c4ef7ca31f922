"""Chinese search text: jieba segmentation, occupation synonyms, pinyin and initials.

PostgreSQL's parsers do not segment Chinese, and the embedded PostgreSQL (pgserver) ships
without pg_trgm or zhparser, so the words are made here and stored as lexemes: a job post's
`search_doc` is a weighted tsvector built from an array of lexemes per field (no parser runs
on them, so what is stored is exactly what a query looks for):

- A: the title and the occupation's name (职业分类大典), whole and as jieba words
- B: the enterprise's name and the required skills, whole and as words
- C: the place: city and district names, with and without 市/区/县 (扬州市, 扬州)
- D: the description's words

A query is split into runs of Chinese, Latin letters and digits; Chinese runs into jieba
words. Each word becomes a group of alternatives: itself and its occupation synonyms
(data/synonyms.json). Words written in pinyin or initials ("shukong", "sk") and Chinese
words not in the vocabulary (typed with the wrong character of the same sound: 数空 for 数控)
are resolved against the vocabulary of terms (`search_terms`, see :func:`post_terms`) by
their pinyin; the adapter does that lookup and passes what it found to
:func:`query_groups`. Every group must match (AND); the last word may be a prefix.

The older `search_vector` (title and description words only) is still written; the search
comparison test measures the new search against it.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources

from suxin_common.codes import pinyin_of

MAX_QUERY_TOKENS = 12
MAX_LEXEME_CHARS = 60

_lock = threading.Lock()
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z]+(?:[+#]+)?|[0-9]+", re.IGNORECASE)


@cache
def _jieba():
    with _lock:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for group in synonym_groups():  # occupation words stay whole
            for word in group:
                if _is_chinese(word):
                    jieba.add_word(word, freq=2000)
        return jieba


def warm_up() -> None:
    """Load the dictionary (about a second), so the first search does not pay for it."""
    _jieba()


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    raw = resources.files("job_matching").joinpath("data", "synonyms.json").read_text("utf-8")
    return tuple(tuple(normalize(w) for w in group) for group in json.loads(raw)["groups"])


@cache
def _synonyms() -> Mapping[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for group in synonym_groups():
        for word in group:
            out.setdefault(word, [])
            out[word].extend(w for w in group if w != word and w not in out[word])
    return {k: tuple(v) for k, v in out.items()}


def synonyms_of(word: str) -> tuple[str, ...]:
    return _synonyms().get(normalize(word), ())


def normalize(text: str) -> str:
    """Case-folded, full-width forms folded (ＰＬＣ -> plc), spaces removed."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _is_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _keep(token: str) -> bool:
    token = token.strip()
    return bool(token) and any(unicodedata.category(c)[0] in "LN" for c in token)


def _merge_single_characters(tokens: Iterable[str]) -> list[str]:
    """Adjacent one-character Chinese tokens joined into one word: jieba leaves words it does
    not know (运维, or a typo such as 数空) as single characters."""
    out: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and _is_chinese(token):
            run += token
            continue
        if run:
            out.append(run)
            run = ""
        out.append(token)
    if run:
        out.append(run)
    return out


def _words(text: str, *, for_search: bool) -> list[str]:
    """Query words (precise cut, single characters merged), or for a document also every
    sub-word jieba finds (search mode), so that a query word is among a document's words."""
    jieba = _jieba()
    text = unicodedata.normalize("NFKC", text).casefold()
    tokens = _merge_single_characters(t.strip() for t in jieba.cut(text, HMM=False))
    if for_search:
        tokens += [t.strip() for t in jieba.cut_for_search(text, HMM=False)]
        # A merged run of unknown characters (运维与) also gives its pairs (运维, 维与).
        tokens += [
            t[i : i + 2]
            for t in list(tokens)
            if len(t) > 2 and _is_chinese(t)
            for i in range(len(t) - 1)
            if t not in jieba.dt.FREQ
        ]
    seen: dict[str, None] = {}
    for token in tokens:
        if _keep(token) and len(token) <= MAX_LEXEME_CHARS:
            seen.setdefault(token, None)
    return list(seen)


# --- the older search vector (title and description), kept for the comparison -------------


def _legacy_tokens(text: str, cut) -> list[str]:
    seen: dict[str, None] = {}
    for token in cut(text.casefold(), HMM=False):
        if _keep(token):
            seen.setdefault(token.strip(), None)
    return list(seen)


def document_tokens(*texts: str) -> str:
    """Space-separated distinct tokens of the texts, for `to_tsvector('simple', ...)`."""
    seen: dict[str, None] = {}
    for text in texts:
        for token in _legacy_tokens(text, _jieba().cut_for_search):
            seen.setdefault(token, None)
    return " ".join(seen)


def query_tokens(query: str) -> list[str]:
    """The tokens of a query for the older search, every one of which a post must contain."""
    return _legacy_tokens(query, _jieba().cut)[:MAX_QUERY_TOKENS]


# --- documents -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PostText:
    """What search reads of a job post."""

    title: str
    description: str
    enterprise_name: str
    skills: tuple[str, ...]
    occupation_name: str | None
    city_name: str | None
    district_name: str | None
    opened_on: date | None = None  # the day it opened (China time), for the day lexeme
    region_codes: tuple[str, ...] = ()  # its city and district codes, for the region lexemes


# The day a post opened is a lexeme too ("~d20261207": no query word can look like it), so the
# GIN index alone narrows a broad query to recent posts before any row is read.
DAY_PREFIX = "~d"
# So are its city's and district's codes ("~c3202"): a city filter narrows in the GIN index
# too, instead of reading every match of a broad word and dropping the other cities' posts.
REGION_PREFIX = "~c"
# Days back; None: any day. No middle tier: at 200k posts a 14-day OR of day lexemes costs
# the GIN scan ~11 ms of CPU whatever the query, while a query with fewer than WINDOW posts in
# 3 days has few enough posts in all (a few thousand) to read without days (5-7 ms).
RECENT_TIERS: tuple[int | None, ...] = (3, None)


def day_lexeme(day: date) -> str:
    return f"{DAY_PREFIX}{day:%Y%m%d}"


def recent_days(today: date, days: int) -> list[str]:
    return [day_lexeme(today - timedelta(days=n)) for n in range(days)]


def _place_forms(name: str | None) -> list[str]:
    if not name:
        return []
    forms = [normalize(name)]
    short = re.sub(r"(市|区|县)$", "", forms[0])
    if len(short) >= 2 and short != forms[0]:
        forms.append(short)
    return forms


def _whole_and_words(texts: Iterable[str | None]) -> list[str]:
    out: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        whole = normalize(text)
        if 0 < len(whole) <= MAX_LEXEME_CHARS:
            out.setdefault(whole, None)
        for word in _words(text, for_search=True):
            out.setdefault(word, None)
    return list(out)


def title_lexemes(title: str, occupation_name: str | None) -> list[str]:
    """Weight A: the title and the occupation's name, whole and as words."""
    return _whole_and_words([title, occupation_name])


def party_lexemes(enterprise_name: str, skills: Iterable[str]) -> list[str]:
    """Weight B: the enterprise's name and the skills, whole and as words."""
    return _whole_and_words([enterprise_name, *skills])


def place_lexemes(
    city_name: str | None, district_name: str | None, region_codes: Iterable[str] = ()
) -> list[str]:
    """Weight C: city and district names, with and without 市/区/县, and the region lexemes."""
    codes = [region_lexeme(c) for c in region_codes if c]
    return [*_place_forms(city_name), *_place_forms(district_name), *codes]


def region_lexeme(code: str) -> str:
    return f"{REGION_PREFIX}{code}"


def description_lexemes(description: str) -> list[str]:
    """Weight D: the description's words."""
    return _words(description, for_search=True)


def by_weight(a: list[str], b: list[str], c: list[str], d: list[str]) -> dict[str, list[str]]:
    """Lexemes by weight, each listed once, under its highest weight."""
    seen: set[str] = set()
    out: dict[str, list[str]] = {}
    for weight, lexemes in (("A", a), ("B", b), ("C", c), ("D", d)):
        out[weight] = [x for x in dict.fromkeys(lexemes) if not (x in seen or seen.add(x))]
    return out


def post_lexemes(post: PostText) -> dict[str, list[str]]:
    """The lexemes of a post by weight (A title/occupation, B enterprise/skills, C place,
    D description)."""
    return by_weight(
        title_lexemes(post.title, post.occupation_name),
        party_lexemes(post.enterprise_name, post.skills),
        place_lexemes(post.city_name, post.district_name, post.region_codes),
        description_lexemes(post.description)
        + ([day_lexeme(post.opened_on)] if post.opened_on else []),
    )


@dataclass(frozen=True)
class Term:
    """A vocabulary entry for autocomplete and for reading pinyin queries."""

    term: str
    kind: str  # title, word, skill, enterprise, occupation, place
    pinyin: str
    initials: str


def _term(text: str, kind: str) -> Term | None:
    term = normalize(text)
    if not term or len(term) > MAX_LEXEME_CHARS or not _keep(term):
        return None
    full, initials = pinyin_of(term) if _is_chinese(term) else (term, "")
    return Term(term, kind, full, initials)


def post_terms(post: PostText) -> list[Term]:
    """The terms a post adds to the vocabulary: its title whole and its Chinese words of two
    or more characters, its skills, enterprise, occupation and places."""
    found: list[Term | None] = [_term(post.title, "title")]
    found += [_term(w, "word") for w in _words(post.title, for_search=True) if len(w) >= 2]
    found += [_term(s, "skill") for s in post.skills]
    found.append(_term(post.enterprise_name, "enterprise"))
    if post.occupation_name:
        found.append(_term(post.occupation_name, "occupation"))
    for place in (post.city_name, post.district_name):
        found += [_term(f, "place") for f in _place_forms(place)]
    unique: dict[str, Term] = {}
    for t in found:
        if t is not None:
            unique.setdefault(t.term, t)
    return list(unique.values())


# --- queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryRun:
    """A run of a query: Chinese (cut into words), Latin letters, or digits."""

    text: str
    chinese: bool
    words: tuple[str, ...]
    pinyin: str  # the run's pinyin (Chinese), or the run itself


def query_runs(query: str) -> list[QueryRun]:
    runs: list[QueryRun] = []
    seen: set[str] = set()
    count = 0
    for run in _RUNS.findall(unicodedata.normalize("NFKC", query).casefold()):
        if run in seen or count >= MAX_QUERY_TOKENS:
            continue
        seen.add(run)
        chinese = _is_chinese(run)
        words = tuple(_words(run, for_search=False)) if chinese else (run,)
        count += len(words)
        runs.append(QueryRun(run, chinese, words, pinyin_of(run)[0] if chinese else run))
    return runs


def lookup_keys(runs: list[QueryRun]) -> tuple[list[str], list[str], list[str]]:
    """What to ask the vocabulary: terms to check, pinyin to complete, initials to read."""
    terms = sorted({r.text for r in runs} | {w for r in runs for w in r.words})
    pinyin = sorted({r.pinyin for r in runs if r.pinyin.isalpha() and len(r.pinyin) >= 2})
    initials = sorted({r.text for r in runs if not r.chinese and r.text.isalpha()})
    return terms, pinyin, initials


def completion_key(runs: list[QueryRun]) -> str | None:
    """The query's last word, which may be unfinished ("数控 见" -> 见习): the terms it starts
    are read from the vocabulary as alternatives to it. Two characters at least."""
    if not runs:
        return None
    last = runs[-1].words[-1] if runs[-1].words else runs[-1].text
    return last if len(last) >= 2 else None


@dataclass(frozen=True)
class Vocabulary:
    """What the adapter found in `search_terms` for a query (see :func:`lookup_keys`)."""

    known: frozenset[str]  # words and runs that are terms themselves
    by_pinyin: Mapping[str, tuple[str, ...]]  # pinyin -> terms whose pinyin starts with it
    by_initials: Mapping[str, tuple[str, ...]]  # initials -> terms with exactly those initials
    # the unfinished last word -> the most used terms it starts (see :func:`completion_key`)
    completions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # how many posts carry each term read (search_terms.posts), and about how many posts
    # there are: enough to estimate how many posts a query matches (:func:`estimated_matches`)
    posts: Mapping[str, int] = field(default_factory=dict)
    total_posts: int = 0


@cache
def _synonym_pinyin() -> Mapping[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for group in synonym_groups():
        for word in group:
            if _is_chinese(word):
                out.setdefault(pinyin_of(word)[0], []).append(word)
    return {k: tuple(v) for k, v in out.items()}


def _known(word: str, vocabulary: Vocabulary) -> bool:
    return word in vocabulary.known or bool(synonyms_of(word))


def _with_synonyms(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        out += [word, *synonyms_of(word)]
    return list(dict.fromkeys(out))


def _sounds_like(pinyin: str, vocabulary: Vocabulary) -> list[str]:
    return [*_synonym_pinyin().get(pinyin, ()), *vocabulary.by_pinyin.get(pinyin, ())]


# A clause is what one run of the query must match: alternatives, each a conjunction of
# groups of interchangeable lexemes.
Clause = list[list[list[str]]]


def query_clauses(runs: list[QueryRun], vocabulary: Vocabulary) -> list[Clause]:
    """How each run of the query is read.

    A Chinese run whose words are all known is its words (with synonyms); if the whole run is
    a term too (数控编程), that term is an alternative to its words. A run with an unknown word
    may be a typo of the same sound (数空 -> 数控, 质减员 -> 质检员): the terms its pinyin
    starts are alternatives to it. Latin letters are themselves (python, plc), or pinyin
    (shukong) or initials (sk) of terms.
    """
    clauses: list[Clause] = []
    for run in runs:
        if not run.chinese:
            sounds = _sounds_like(run.text, vocabulary) if run.text.isalpha() else []
            initials = vocabulary.by_initials.get(run.text, ()) if run.text.isalpha() else ()
            clauses.append([[_with_synonyms([run.text, *sounds, *initials])]])
            continue
        groups = [_with_synonyms([w]) for w in run.words]
        if all(_known(w, vocabulary) for w in run.words):
            clause: Clause = [groups]
            if len(run.words) > 1 and _known(run.text, vocabulary):
                clause.insert(0, [_with_synonyms([run.text])])
            clauses.append(clause)
            continue
        sounds = _sounds_like(run.pinyin, vocabulary)
        if sounds:
            clauses.append([[_with_synonyms([run.text, *sounds])], groups])
        else:
            clauses.append([groups])
    return clauses


def estimated_matches(
    clauses: list[Clause], vocabulary: Vocabulary, completions: Iterable[str] = ()
) -> float | None:
    """About how many posts match every clause (None: unknown), from the vocabulary's counts
    and independence: each group of alternatives matches the sum of its terms' posts, a
    conjunction the product of the shares, a clause the sum of its alternatives. A group none
    of whose lexemes is a term (description words) has no count: the estimate is unknown.
    Only ever used to choose how much of the recent past to read first, never what is found."""
    total = vocabulary.total_posts
    if total <= 0 or not clauses:
        return None
    share = 1.0
    completions = list(completions)
    for i, clause in enumerate(clauses):
        alternatives = [*clause, [completions]] if completions and i == len(clauses) - 1 else clause
        clause_share = 0.0
        for alternative in alternatives:
            alternative_share = 1.0
            for group in alternative:
                counted = [vocabulary.posts[x] for x in group if x in vocabulary.posts]
                if not counted:
                    return None
                alternative_share *= min(1.0, sum(counted) / total)
            clause_share += alternative_share
        share *= min(1.0, clause_share)
    return share * total


def clause_words(clauses: list[Clause]) -> list[list[str]]:
    """Each clause's lexemes, for showing how a query was read."""
    return [
        list(dict.fromkeys(x for alternative in c for group in alternative for x in group))
        for c in clauses
    ]


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(
    clauses: list[Clause], *, any_clause: bool = False, completions: Iterable[str] = ()
) -> str:
    """A `tsquery` literal: every clause (or any, when relaxed); the `completions` of the
    last word (terms it starts, from the vocabulary) are alternatives in the last clause.
    Add :func:`within_days` to keep it recent.

    No `:*` prefix match: a GIN index reads every posting list under a prefix in full
    (e.g. 28k posts for 见习:* at 200k posts, 50 ms) where exact lexemes skip ahead."""
    completions = [c for c in completions if c]
    parts = []
    for i, clause in enumerate(clauses):
        alternatives = []
        for alternative in clause:
            groups = []
            for group in alternative:
                lexemes = [_quote(x) for x in group]
                groups.append("(" + " | ".join(lexemes) + ")")
            alternatives.append("(" + " & ".join(groups) + ")")
        if completions and i == len(clauses) - 1:
            alternatives.append("(" + " | ".join(_quote(c) for c in completions) + ")")
        parts.append("(" + " | ".join(alternatives) + ")")
    return (" | " if any_clause else " & ").join(parts)


def within_region(query: str, code: str) -> str:
    """The query limited to posts in a city or district (its region lexeme)."""
    return f"({query}) & {_quote(region_lexeme(code))}"


def within_days(query: str, days: list[str]) -> str:
    """The query limited to posts opened on one of the days (day lexemes)."""
    return f"({query}) & (" + " | ".join(_quote(d) for d in days) + ")"
