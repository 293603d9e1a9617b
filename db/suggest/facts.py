"""FACT suggestions: a sentence the outlet states in its own voice that carries a figure.

A figure is a number with a unit ("40 km", "12 percent", "$3 million", "for 45 minutes"), a count
("three missiles", "37 commercial vessels"), a date ("on 9 November", "Nov. 14", "since 2019") or
a clock time ("06:55"). The suggested span is the whole sentence without its final punctuation.
Not suggested: sentences that carry a reporting cue (their content is a CLAIM), figures inside
quotations, questions, headlines and datelines (no final stop), and sentences about what will or
might happen ("will", "would", "could", "might", "should", "expected to").
"""

from __future__ import annotations

import re

from db.suggest.lexicon import VERB_RE

_NUMWORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|"
    r"thousand|thousands|dozen|dozens|million|millions|billion|a dozen|a hundred|a thousand|one)"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)"
)
_NUM = r"\d[\d,]*(?:\.\d+)?"
_UNIT = (
    r"(?:%|percent|per cent|km|kilometres?|kilometers?|miles?|metres?|meters?|m|cm|mm|kg|kilograms?|"
    r"tonnes?|tons?|hectares?|litres?|liters?|degrees?|knots?|hours?|minutes?|seconds?|days?|weeks?|"
    r"months?|years?|square kilometres|sq km|million|billion|trillion|bn)"
)
FIGURE_RE = re.compile(
    r"(?:"
    rf"[$€£¥]\s?{_NUM}(?:\s?(?:million|billion|trillion|bn|m|k)\b)?"
    rf"|\b{_NUM}\s?{_UNIT}\b"
    rf"|\b(?:{_NUM}|(?i:{_NUMWORD}))(?:\s+(?:million|billion|thousand|hundred))?\s+(?:[a-z][\w-]*\s+){{0,2}}"
    r"(?:[a-z][\w-]*s|people|children|men|women|staff|crew|police|personnel)\b"
    rf"|\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?"
    rf"|\b{_MONTH}\s+\d{{1,2}}\b(?:,\s+\d{{4}})?"
    r"|\b(?:in|since|by|until|from|of|before|after)\s+(?:the\s+)?(?:1[89]|20)\d{2}s?\b"
    r"|\b\d{1,2}:\d{2}\b"
    rf"|\b(?:in|since|until|by|from|on)\s+{_MONTH}"
    r"|\b(?:on|last|since|until|by)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r")"
)
_NOT_A_COUNT = re.compile(
    r"^(?:one\s+(?:of|another|day|side|way|thing|more|less|time)|two\s+sides)\b", re.IGNORECASE
)
_REPORTING = re.compile(rf"\b{VERB_RE}\b|\baccording to\b|\b(?:believes?|believed|thinks?|reportedly)\b")
_SPECULATIVE = re.compile(
    r"\b(?:will|would|could|might|should|may well|expected to|likely to|plans? to|hopes? to)\b"
)


def figures(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Extents of the figures in text[a:b]."""
    return [(m.start(), m.end()) for m in FIGURE_RE.finditer(text, a, b) if not _NOT_A_COUNT.match(m.group())]


def fact_extent(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The FACT span for the sentence unit text[a:b], or None if it is not a factual statement
    with a figure (the caller has already ruled out reporting cues)."""
    sentence = text[a:b]
    if not sentence.endswith((".", "!")) or len(sentence.split()) < 5:
        return None
    if any(q in sentence for q in '"“”') or _SPECULATIVE.search(sentence) or _REPORTING.search(sentence):
        return None
    if not figures(text, a, b):
        return None
    end = b
    while end > a and text[end - 1] in ".!;: ":
        end -= 1
    return a, end
