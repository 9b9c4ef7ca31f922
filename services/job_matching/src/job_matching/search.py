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
from dataclasses import dataclass
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


def document_tokens(*texts: str) -> str:
    """Space-separated distinct tokens of the texts, for `to_tsvector('simple', ...)`."""
    seen: dict[str, None] = {}
    for text in texts:
        for token in _words(text, for_search=True):
            seen.setdefault(token, None)
    return " ".join(seen)


def query_tokens(query: str) -> list[str]:
    """The tokens of a search query, every one of which a post must contain (older search)."""
    return _words(query, for_search=False)[:MAX_QUERY_TOKENS]


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


def post_lexemes(post: PostText) -> dict[str, list[str]]:
    """The lexemes of a post by weight (A title/occupation, B enterprise/skills, C place,
    D description); a lexeme is listed once, under its highest weight."""
    fields = {
        "A": _whole_and_words([post.title, post.occupation_name]),
        "B": _whole_and_words([post.enterprise_name, *post.skills]),
        "C": [*_place_forms(post.city_name), *_place_forms(post.district_name)],
        "D": _words(post.description, for_search=True),
    }
    seen: set[str] = set()
    out: dict[str, list[str]] = {}
    for weight, lexemes in fields.items():
        out[weight] = [x for x in dict.fromkeys(lexemes) if not (x in seen or seen.add(x))]
    return out


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
    found += [_term(w, "word") for w in _words(post.title, for_search=False) if len(w) >= 2]
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
class QueryWord:
    """One word of a query: as typed (normalised), and what the vocabulary is asked about it."""

    text: str
    chinese: bool
    pinyin: str  # the word's pinyin (Chinese), or the word itself (Latin letters)
    last: bool  # the last word: may be unfinished (prefix)


def query_words(query: str) -> list[QueryWord]:
    """The words of a query: Chinese runs cut by jieba, Latin and digit runs whole."""
    words: list[str] = []
    for run in _RUNS.findall(unicodedata.normalize("NFKC", query).casefold()):
        if _is_chinese(run):
            words.extend(_words(run, for_search=False))
        else:
            words.append(run)
    words = list(dict.fromkeys(words))[:MAX_QUERY_TOKENS]
    out = []
    for i, word in enumerate(words):
        chinese = _is_chinese(word)
        out.append(
            QueryWord(
                text=word,
                chinese=chinese,
                pinyin=pinyin_of(word)[0] if chinese else word,
                last=i == len(words) - 1,
            )
        )
    return out


@dataclass(frozen=True)
class Vocabulary:
    """What the adapter found in `search_terms` for a query's words."""

    known: frozenset[str]  # words that are terms themselves
    by_pinyin: Mapping[str, tuple[str, ...]]  # pinyin -> terms with that pinyin
    by_initials: Mapping[str, tuple[str, ...]]  # initials -> terms with those initials


def query_groups(words: list[QueryWord], vocabulary: Vocabulary) -> list[list[str]]:
    """For each word, the lexemes any of which may match it (its alternatives)."""
    groups = []
    for word in words:
        alternatives = [word.text, *synonyms_of(word.text)]
        if word.chinese and word.text not in vocabulary.known:
            # Perhaps the wrong character of the same sound (数空 -> 数控).
            alternatives += vocabulary.by_pinyin.get(word.pinyin, ())
        elif not word.chinese and word.text.isalpha():
            alternatives += vocabulary.by_pinyin.get(word.text, ())
            alternatives += vocabulary.by_initials.get(word.text, ())
        expanded = list(alternatives)
        for alt in alternatives[1:]:
            expanded += synonyms_of(alt)
        groups.append(list(dict.fromkeys(expanded)))
    return groups


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(groups: list[list[str]], *, any_group: bool = False, prefix_last: bool) -> str:
    """A `tsquery` literal: every group (or any, when relaxed) with one of its lexemes; the
    typed form of the last word also as a prefix."""
    parts = []
    for i, group in enumerate(groups):
        lexemes = [_quote(x) for x in group]
        if prefix_last and i == len(groups) - 1 and group and len(group[0]) >= 2:
            lexemes.append(_quote(group[0]) + ":*")
        parts.append("(" + " | ".join(lexemes) + ")")
    return (" | " if any_group else " & ").join(parts)
