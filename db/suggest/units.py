"""Sentences as the rules see them: inside one paragraph, never split inside a quotation.

spaCy's sentencizer (or parser) splits ``"We will go. We will win," she said.`` after "go."; the
attribution rules need the quotation and its speaker in one unit, so boundaries that fall inside an
open quotation are dropped. A line break always ends a unit (headlines and datelines have no full
stop).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

_OPEN = "“"
_CLOSE = "”"
_STRAIGHT = '"'


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation inside a unit: ``start`` is the opening mark, ``end`` one past the closing mark."""

    start: int
    end: int

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """Quotations in ``text[start:end]`` (curly pairs, or straight marks taken two by two)."""
    end = len(text) if end is None else end
    quotes: list[Quote] = []
    open_at: int | None = None
    open_char = ""
    for i in range(start, end):
        ch = text[i]
        if open_at is None:
            if ch == _OPEN or (ch == _STRAIGHT and _opens(text, i, start)):
                open_at, open_char = i, ch
        elif (open_char == _OPEN and ch == _CLOSE) or (open_char == _STRAIGHT and ch == _STRAIGHT):
            quotes.append(Quote(open_at, i + 1))
            open_at = None
    return quotes


def _opens(text: str, i: int, lo: int) -> bool:
    # A straight mark opens a quotation at a unit start or after a space or opening bracket/dash.
    return i == lo or text[i - 1] in " \t([—–-:"


def inside(quotes: Iterable[Quote], pos: int) -> bool:
    return any(q.start < pos < q.end for q in quotes)


_LINE = re.compile(r"[^\n]+")
#: "VESKAR, Dovrenia — " before the first sentence of a report.
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]+(?:,\s+[A-Z][\w .'’-]*)?\s+[—–-]+\s+")


def sentence_units(text: str, sentence_starts: Iterable[int]) -> list[tuple[int, int]]:
    """(start, end) of each unit, trimmed of surrounding whitespace, in reading order.

    ``sentence_starts`` are the character offsets where the pipeline starts a sentence."""
    starts = sorted(set(sentence_starts))
    units: list[tuple[int, int]] = []
    k = 0
    for line in _LINE.finditer(text):
        lo, hi = line.start(), line.end()
        while k < len(starts) and starts[k] <= lo:
            k += 1
        cuts = [lo]
        j = k
        while j < len(starts) and starts[j] < hi:
            cuts.append(starts[j])
            j += 1
        cuts.append(hi)
        quotes = find_quotes(text, lo, hi)
        kept = [_before_opening(text, quotes, c) for c in cuts[1:-1]]
        kept = [c for c in kept if not inside(quotes, c)]
        bounds = [lo, *kept, hi]
        for a, b in itertools.pairwise(bounds):
            a, b = _trim(text, a, b)
            dateline = _DATELINE.match(text, a, b)
            if dateline:
                a = dateline.end()
            if a < b:
                units.append((a, b))
    return units


def _before_opening(text: str, quotes: list[Quote], cut: int) -> int:
    # The sentencizer keeps punctuation after a full stop in the sentence, an opening mark too:
    # 'on Nov. 14. "There can be' is cut after the mark; move the cut before it.
    for q in quotes:
        if q.start < cut < q.end and text[q.start + 1 : cut].strip() == "":
            return q.start
    return cut


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
