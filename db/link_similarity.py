"""Passages and their similarity, for link suggestions across outlets.

A passage is a sentence of an article (spaCy's rule-based sentencizer) or, inside a sentence, a run
of clauses (split at commas, semicolons, colons, dashes and quote marks). Each passage keeps its
content words in a normalised form: lower case, stop words and punctuation dropped, number words
turned into digits, Snowball stems, and a small hand-written table that folds the verbs and nouns
news reports swap when they paraphrase one statement ("worried" / "concerned", "help" /
"assistance" / "support") onto one key.

``similarity`` combines an IDF-weighted overlap of those content words (containment of the shorter
passage and Dice), with near-identical stems counted as shared ("programm" / "program"),
rapidfuzz's token-set ratio on the normalised words, and number agreement ("two missiles" against
"three missiles" lowers the score). Everything here is pure computation on strings.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

if TYPE_CHECKING:
    from spacy.language import Language

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
    "hundred": "100", "thousand": "1000", "first": "1", "second": "2", "third": "3", "fourth": "4",
    "fifth": "5", "sixth": "6", "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10",
    "dozen": "12", "single": "1", "both": "2", "twice": "2",
}  # fmt: skip

#: Words that news reports use interchangeably when they paraphrase one statement; each group is
#: folded onto its first stem. Kept short on purpose: a wide thesaurus would link unrelated claims.
_PARAPHRASE_GROUPS = (
    ("concern", "worri", "alarm", "fear"),
    ("support", "help", "assist", "aid", "suppli", "provid"),
    ("say", "said", "told", "tell", "declar", "announc", "accord"),
    ("launch", "fire", "test"),
    ("missil", "rocket"),
    ("ship", "vessel", "boat", "trawler", "shipping"),
    ("deni", "reject", "refut", "dismiss"),
    ("danger", "endang", "risk", "threat", "threaten", "imperil"),
    ("fisherman", "fishermen", "fish", "crew"),
    ("km", "kilometr", "kilomet"),
    ("intimid", "cow", "scare", "bulli"),
    ("withdraw", "pull", "quit", "abandon"),
    ("routin", "regular", "ordinari"),
    ("plan", "schedul"),
    ("fell", "fall", "land", "splash"),
)
_PARAPHRASE = {stem: group[0] for group in _PARAPHRASE_GROUPS for stem in group}

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_CLAUSE_BREAK = re.compile(r"""[,;:()\u2013\u2014"“”]|\s-\s|'(?=\s)|(?<=\s)'""")

_lock = threading.Lock()
_nlp: Language | None = None
_stemmer: Any = None
_stops: frozenset[str] = frozenset()


def _resources() -> tuple[Language, Any]:
    global _nlp, _stemmer, _stops
    with _lock:
        if _nlp is None:
            import snowballstemmer
            import spacy
            from spacy.lang.en.stop_words import STOP_WORDS

            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            _stemmer = snowballstemmer.stemmer("english")
            # Negations and quantities carry meaning here: "not three" is not "three".
            _stops = frozenset(STOP_WORDS) - {"no", "not", "none", "nobody", "never", "nothing", "nor"}
            _nlp = nlp
        return _nlp, _stemmer


@dataclass(frozen=True, slots=True)
class Terms:
    """A text's normalised content words (a set) and the numbers it mentions."""

    words: frozenset[str]
    numbers: frozenset[str]


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of one article's text, ``start``/``end`` in code points, with its terms."""

    start: int
    end: int
    text: str
    terms: Terms
    sentence: int  # index of the sentence it lies in
    is_sentence: bool


def normalise(text: str) -> Terms:
    """The content words (stemmed, paraphrase-folded) and numbers of ``text``."""
    _, stemmer = _resources()
    words: set[str] = set()
    numbers: set[str] = set()
    for match in _WORD.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        word = word.replace("'", "")
        if word in _NUMBER_WORDS:
            numbers.add(_NUMBER_WORDS[word])
            continue
        if word.isdigit():
            numbers.add(word.lstrip("0") or "0")
            continue
        if word in _stops or len(word) < 2:
            continue
        for part in word.split("-"):
            if part and part not in _stops:
                stem = stemmer.stemWord(part)
                words.add(_PARAPHRASE.get(stem, stem))
    return Terms(frozenset(words), frozenset(numbers))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding spaces and stray punctuation."""
    while start < end and (text[start].isspace() or text[start] in ",;:-–—\"“”'’)("):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ',;:-–—("“'):
        end -= 1
    return start, end


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets of ``text``; a blank line always ends a sentence (headlines, bylines)."""
    nlp, _ = _resources()
    out: list[tuple[int, int]] = []
    for block in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        doc = nlp(block.group())
        base = block.start()
        for sent in doc.sents:
            s, e = _strip(text, base + sent.start_char, base + sent.end_char)
            if e > s:
                out.append((s, e))
    return out


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause offsets inside the sentence [start, end)."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        s, e = _strip(text, pos, m.start())
        if e > s:
            out.append((s, e))
        pos = m.end()
    s, e = _strip(text, pos, end)
    if e > s:
        out.append((s, e))
    return out


def article_passages(
    text: str, *, with_clauses: bool, max_clauses: int = 3, min_words: int = 3
) -> list[Passage]:
    """Sentences of ``text`` and, with ``with_clauses``, runs of up to ``max_clauses`` clauses.

    A sentence with fewer than ``min_words`` content words ("Two missiles were launched.") is also
    taken together with the next sentence of its paragraph, so that a short quote still counts.
    """
    out: list[Passage] = []
    sents = sentences(text)
    for index, (s, e) in enumerate(sents):
        terms = normalise(text[s:e])
        if len(terms.words) >= min_words:
            out.append(Passage(s, e, text[s:e], terms, index, True))
        elif index + 1 < len(sents) and "\n" not in text[e : sents[index + 1][0]]:
            ne = sents[index + 1][1]
            joined = normalise(text[s:ne])
            if len(joined.words) >= min_words:
                out.append(Passage(s, ne, text[s:ne], joined, index, True))
        if not with_clauses:
            continue
        parts = clauses(text, s, e)
        if len(parts) < 2:
            continue
        for i in range(len(parts)):
            for j in range(i, min(i + max_clauses, len(parts))):
                if i == 0 and j == len(parts) - 1:
                    continue  # the whole sentence, already there
                cs, ce = parts[i][0], parts[j][1]
                terms = normalise(text[cs:ce])
                if len(terms.words) >= min_words:
                    out.append(Passage(cs, ce, text[cs:ce], terms, index, False))
    return out


class PassageCache:
    """Passages per article text, kept for the most recent articles (article text never changes)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, bool], list[Passage]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, text: str, with_clauses: bool) -> list[Passage]:
        with self._lock:
            found = self._items.get((key, with_clauses))
            if found is not None:
                self._items.move_to_end((key, with_clauses))
                return found
        made = article_passages(text, with_clauses=with_clauses)
        with self._lock:
            self._items[(key, with_clauses)] = made
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return made


class Idf:
    """Inverse document frequency of content words over a set of passages (a story's sentences)."""

    def __init__(self, term_sets: Iterable[frozenset[str]]) -> None:
        df: dict[str, int] = {}
        n = 0
        for words in term_sets:
            n += 1
            for w in words:
                df[w] = df.get(w, 0) + 1
        self._weights = {w: math.log((n + 1) / (d + 1)) + 1.0 for w, d in df.items()}
        self._unseen = math.log(n + 1) + 1.0
        # Passage word sets recur in every pairing: their total weight is worth keeping.
        self._totals: dict[frozenset[str], float] = {}

    def __call__(self, word: str) -> float:
        return self._weights.get(word, self._unseen)

    def weight(self, words: Iterable[str]) -> float:
        get, unseen = self._weights.get, self._unseen
        return sum(get(w, unseen) for w in words)

    def total(self, words: frozenset[str]) -> float:
        found = self._totals.get(words)
        if found is None:
            found = self._totals[words] = self.weight(words)
        return found


def _near_matches(a_only: Sequence[str], b_only: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of unshared words that are one small edit apart ("programm"/"program")."""
    by_prefix: dict[str, list[str]] = {}
    for b in b_only:
        if len(b) >= 5:
            by_prefix.setdefault(b[:3], []).append(b)
    if not by_prefix:
        return []
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    for a in a_only:
        if len(a) < 5:
            continue
        for b in by_prefix.get(a[:3], ()):
            if b not in used and abs(len(a) - len(b)) <= 2 and Levenshtein.normalized_similarity(a, b) >= 0.8:
                pairs.append((a, b))
                used.add(b)
                break
    return pairs


#: Weights of containment, Dice and token-set ratio; shared words below which the score drops, and
#: by how much per missing word. Tuned on the demo's gold pairs (bench/bench_links.py).
W_COVER, W_DICE, W_FUZZY = 0.5, 0.3, 0.2
MIN_SHARED = 4
SHORT_PENALTY = 0.12


def similarity(a: Terms, b: Terms, idf: Idf, *, query: bool = False) -> float:
    """How closely two passages carry the same content, in [0, 1].

    With ``query``, ``a`` is what the analyst marked and containment is measured on it: a passage
    that carries only a few of its words (a bare "the ministry said") is not a match, however much
    of that short passage the span repeats."""
    if not a.words or not b.words:
        return 0.0
    shared = a.words & b.words
    a_only = sorted(a.words - shared)
    b_only = sorted(b.words - shared)
    near = _near_matches(a_only, b_only)
    w_shared = idf.weight(shared) + sum(min(idf(x), idf(y)) for x, y in near)
    w_a, w_b = idf.total(a.words), idf.total(b.words)
    cover = w_shared / (w_a if query else min(w_a, w_b))
    dice = 2 * w_shared / (w_a + w_b)
    fuzzy = fuzz.token_set_ratio(" ".join(sorted(a.words)), " ".join(sorted(b.words))) / 100.0
    score = W_COVER * cover + W_DICE * dice + W_FUZZY * fuzzy
    # Few shared words make a weak case however short the passages are.
    n_shared = len(shared) + len(near)
    if n_shared < MIN_SHARED:
        score *= 1.0 - SHORT_PENALTY * (MIN_SHARED - n_shared)
    if a.numbers and b.numbers:
        if a.numbers & b.numbers:
            score = min(1.0, score + 0.05)
        else:
            score *= 0.8
    return float(max(0.0, min(1.0, score)))


class InvertedIndex:
    """Passages by content word, to score only pairs that share at least one informative word."""

    def __init__(self, passages: Sequence[Passage], idf: Idf, min_idf: float = 1.5) -> None:
        self.passages = passages
        self._idf = idf
        self._min_idf = min_idf
        self._index: dict[str, list[int]] = {}
        for i, p in enumerate(passages):
            for w in p.terms.words:
                self._index.setdefault(w, []).append(i)

    def candidates(self, terms: Terms, min_shared: int = 2) -> list[int]:
        """Indexes of passages sharing ``min_shared`` words, or one rare word, with ``terms``."""
        counts: dict[int, int] = {}
        rare: set[int] = set()
        for w in terms.words:
            hits = self._index.get(w)
            if not hits:
                continue
            is_rare = self._idf(w) >= self._min_idf * 2
            for i in hits:
                counts[i] = counts.get(i, 0) + 1
                if is_rare:
                    rare.add(i)
        return sorted(i for i, c in counts.items() if c >= min_shared or i in rare)
