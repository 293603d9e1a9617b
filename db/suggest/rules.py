"""Attribution rules over one sentence unit, from the text alone (they work with the blank pipeline).

Each rule finds a reporting cue and returns a ``Report``: the ATTRIBUTION extent (speaker +
reporting verb + addressee/time/medium, never the content), the extent of the reported content (the
CLAIM, or EXPERT_OPINION once the speaker is known to be an expert) and where in the attribution the
speaker is named. Patterns, in the order they are tried:

- quotation + attribution after it: ``“...,” X said.`` / ``“...,” said X, a ...``
- ``according to X, ...`` / ``..., according to X.``
- preposed verb: ``X said (that) ...``, ``X told the Y on Thursday that ...``, ``X said: “...”``
- postposed verb without quotes: ``..., X said.`` / ``..., said X.``
- framing verb: ``X described the launch as ...``, ``X called the test ...``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.suggest.lexicon import (
    ADDRESSEE_VERBS,
    ADJUNCT_RE,
    FRAMING_RE,
    PRONOUNS,
    SPEAKER_NOUNS,
    THAT_RE,
    VERB_RE,
    word_set,
)
from db.suggest.units import Quote, find_quotes, inside

Extent = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Report:
    """One reporting cue: ``att`` the ATTRIBUTION, ``content`` what it introduces (or None),
    ``speaker`` the part of the attribution that names the speaker."""

    att: Extent
    content: Extent | None
    speaker: Extent
    rule: str


_VERB = re.compile(rf"\b{VERB_RE}\b")
_FRAMING = re.compile(
    rf"\b{FRAMING_RE}\s+(?:(?:the|this|that|its|his|her|their|it)\s+)?(?:[\w'’-]+\s+){{0,2}}?(?:as\s+|(?=[\"“]))"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_QUOTE_CHARS = '"“”'
_LEAD_IN = re.compile(
    r"(?:(?:In|On|At|During|After|Before|When|While|Asked|Speaking|Writing|Responding|Reached|Contacted|"
    r"Interviewed|Earlier|Later|Separately|Meanwhile|Also|However|Then|Still)\b[^,]{0,80},\s+)"
)
_CONJUNCTION = re.compile(r"(?:But|And|Yet|So)\s+")
_BAD_BEFORE_VERB = re.compile(
    r"\b(?:and|but|or|who|which|that|to|not|was|were|be|been|a|an|the|its|his|her|their)\s+$", re.IGNORECASE
)
_FINITE = word_set("is are was were completed condemned fired launched")
_NOT_PLURAL = word_set("this its his has was is does as thus plus news")
_FUNCTION_FIRST = word_set(
    "the a an in on at this that these those its his her their our after before when while as"
)
_ADDRESSEE = re.compile(
    r"\s+(?:(?:the|a|an|his|her|its|their)\s+)?(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*|[a-z][\w-]*(?:\s+(?:television|radio|media|reporters|journalists|newspaper|agency|audience|briefing|crowd|parliament|lawmakers))?)"
)
_CUT_CONTENT = re.compile(
    rf"(?:(?<=[,\"”])\s+(?:adding|saying|citing)\b|(?<=,[\"”])\s+(?:and|but)\b|,?\s+(?:and|but)\s+{VERB_RE}\b"
    r"|(?<=[\"”])\s+(?:and|but)\s+\w+ed\b"
    r"|\s+(?:and|but)\s+(?:accused|blamed|urged|demanded|called for|criticised|criticized|dismissed|rejected)\b|,\s+which\s+\w+\s+(?:said|says|believes?|argued)\b"
    r"|,\s+according to\b|;\s)"
)
_THAT_AHEAD = re.compile(r"(?:\s+[\w'’-]+){1,6}?(\s+that)\b(?=\s+[\w\"“])")
_ADJUNCT_STARTS = frozenset(
    [
        "in",
        "at",
        "on",
        "during",
        "to",
        "before",
        "after",
        "from",
        "via",
        "through",
        "late",
        "early",
        "earlier",
    ]
)
_POSSESSIVE = re.compile(r"['’]s?$")
_APPOSITIVE_AFTER = re.compile(r"(,\s+(?:a|an|who)\s+[^,;\"“”]{2,120}?)(?=,\s)")
#: Verbs whose subject is a speaker whatever it is ("the utility said").
_STRONG_VERBS = frozenset(["said", "says", "say", "told", "tells"])
_CONTINUATION = re.compile(r"\s*,\s+(?:and|but)\s+")
_PARTICIPLE_TAIL = re.compile(r"\s*,\s+\w+ing\b")
_CLAUSE_JOIN = re.compile(r"(?:,\s+|\s+)(?:and|but|while|whereas)\s+")


def _trim(text: str, a: int, b: int, chars: str = " \t,.;:") -> Extent:
    while a < b and text[a] in chars:
        a += 1
    while b > a and text[b - 1] in chars:
        b -= 1
    return a, b


def content_extent(text: str, a: int, b: int) -> Extent | None:
    """The reported content in text[a:b]: a lone quotation loses its marks; trailing punctuation
    outside a quotation goes. None when too short to be a statement."""
    a, b = _trim(text, a, b, " \t,;:—–-")
    cut = _CUT_CONTENT.search(text, a, b)
    if cut:
        b = cut.start()
    if a < b and text[a] in '"“':
        quotes = find_quotes(text, a, b)
        if quotes and quotes[0].start == a and text[quotes[0].end : b].strip(" ,.;:") == "":
            a, b = quotes[0].inner
            a, b = _trim(text, a, b, " \t,;:")
    while b > a and text[b - 1] in ".,;: \t":
        b -= 1
    if len(text[a:b].split()) < 2:
        return None
    return a, b


def looks_like_speaker(phrase: str) -> bool:
    """Whether a phrase before a reporting verb can name who speaks (not "The trajectory")."""
    words = phrase.split()
    if not words or len(words) > 28 or any(c in phrase for c in _QUOTE_CHARS):
        return False
    lower = [_POSSESSIVE.sub("", w.strip(",.").lower()) for w in words]
    for i, w in enumerate(lower):
        if w in _FINITE and (i == 0 or lower[i - 1] not in ("who", "which", "that")):
            return False
    if len(words) == 1 and lower[0] in PRONOUNS:
        return True
    if any(w in SPEAKER_NOUNS for w in lower):
        return True
    if len(words) <= 6 and any(
        w.endswith("s") and not w.endswith("ss") and w not in _NOT_PLURAL for w in lower[:2]
    ):
        return True  # "buyers on the quay", "local fishermen's groups"
    return any(w[:1].isupper() and (i > 0 or lower[0] not in _FUNCTION_FIRST) for i, w in enumerate(words))


def _short_np(phrase: str) -> bool:
    words = [w.strip(",.").lower() for w in phrase.split()]
    return (
        0 < len(words) <= 6 and not any(c in phrase for c in _QUOTE_CHARS) and not _FINITE.intersection(words)
    )


def _skip_adjuncts(text: str, pos: int, end: int) -> int:
    while True:
        m = ADJUNCT_RE.match(text, pos, end)
        if not m or m.end() == pos:
            return pos
        pos = m.end()


def _after_verb(text: str, verb: re.Match[str], end: int) -> tuple[int, int]:
    """End of the attribution after a verb (addressee, adjuncts) and where the content starts."""
    pos = verb.end()
    if verb.group() in ADDRESSEE_VERBS:
        m = _ADDRESSEE.match(text, pos, end)
        if m and not m.group().strip().lower().startswith("that"):
            pos = m.end()
    pos = _skip_adjuncts(text, pos, end)
    m = THAT_RE.match(text, pos, end)
    if m is None:
        # "told a press conference in Ostrava that ...": a short run of words without punctuation
        # before "that" still belongs to the attribution.
        later = _THAT_AHEAD.match(text, pos, end)
        first = text[pos:end].split(maxsplit=1)[:1]
        if later is not None and (verb.group() in ADDRESSEE_VERBS or (first and first[0] in _ADJUNCT_STARTS)):
            return later.start(1), later.end()
    return pos, (m.end() if m else pos)


def _quote_before(quotes: list[Quote], text: str, pos: int) -> Quote | None:
    for q in quotes:
        if 0 <= pos - q.end <= 2 and text[q.end : pos].strip(" ,") == "":
            return q
    return None


def _postposed_after_quote(text: str, q: Quote, end: int) -> Report | None:
    inner_a, inner_b = q.inner
    tail = text[inner_b - 1] if inner_b > inner_a else ""
    after = text[q.end : end]
    if tail not in ",?!—–" and not after.startswith(","):
        return None
    a = q.end
    while a < end and text[a] in " ,":
        a += 1
    if re.match(r"(?:and|but|or|while)\b", text[a:end]):
        return None
    stop = re.search(
        r"(?::|;|,\s+(?:adding|and|but|saying)\b|\s[\"“]|\s+(?:as|while|when)\s+(?:he|she|they|it|the)\b)",
        text[a:end],
    )
    b = a + stop.start() if stop else end
    a, b = _trim(text, a, b)
    verb = _VERB.search(text, a, b)
    if verb is None or len(text[a : verb.start()].split()) > 8:
        return None
    if verb.start() == a:
        speaker = _trim(text, _skip_adjuncts(text, verb.end(), b), b)
    else:
        if not looks_like_speaker(text[a : verb.start()]):
            return None
        speaker = _trim(text, a, verb.start())
    content = content_extent(text, inner_a, inner_b)
    if content is None:
        return None
    return Report((a, b), content, speaker, "quote+speaker")


def _according(text: str, lo: int, hi: int, quotes: list[Quote]) -> list[Report]:
    found: list[Report] = []
    for m in _ACCORDING.finditer(text, lo, hi):
        if inside(quotes, m.start()):
            continue
        comma = text.find(", ", m.end(), hi)
        x_end = comma if comma != -1 else hi
        appositive = _APPOSITIVE_AFTER.match(text, x_end, hi)
        if appositive:  # "according to Henrik Lau, a trade analyst at the Nordbay Institute, ..."
            x_end = appositive.end(1)
        att = _trim(text, m.start(), x_end)
        speaker = _trim(text, m.end(), x_end)
        if att[0] == lo or text[lo : m.start()].strip() == "":
            content = content_extent(text, x_end, hi)
        else:
            prev = text.rfind(", ", lo, m.start())
            start = lo if prev == -1 or text[lo : m.start()].count(", ") < 2 else prev + 2
            content = content_extent(text, start, m.start())
        found.append(Report(att, content, speaker, "according to"))
    return found


def _clause_start(text: str, lo: int, verb_start: int, quotes: list[Quote], postposed: bool) -> int:
    start = lo
    for q in quotes:
        if q.end <= verb_start:
            start = max(start, q.end)
    semi = text.rfind("; ", start, verb_start)
    if semi != -1:
        start = semi + 2
    for join in _CLAUSE_JOIN.finditer(text, start, verb_start):
        if join.start() == start or text[join.start()] == ",":
            start = join.end()
    if postposed:
        comma = text.rfind(", ", start, verb_start)
        if comma != -1:
            start = comma + 2
    while start < verb_start and text[start] in " ,":
        start += 1
    conj = _CONJUNCTION.match(text, start, verb_start)
    if conj:
        start = conj.end()
    lead = _LEAD_IN.match(text, start, verb_start)
    if lead and lead.end() < verb_start:
        start = lead.end()
    comma = text.rfind(", ", start, verb_start)
    if comma != -1 and text[comma + 2 : verb_start].strip().lower() in PRONOUNS:
        start = comma + 2
    return start


def _verb_reports(text: str, lo: int, hi: int, quotes: list[Quote], taken: list[Extent]) -> list[Report]:
    found: list[Report] = []
    for verb in _VERB.finditer(text, lo, hi):
        if inside(quotes, verb.start()) or any(a <= verb.start() < b for a, b in taken):
            continue
        if text.startswith(" by ", verb.end()):  # "a zone claimed by Dovrenia": a passive, not speech
            continue
        att_end, content_start = _after_verb(text, verb, hi)
        rest = content_extent(text, content_start, hi)
        if _PARTICIPLE_TAIL.match(text, att_end, hi):
            rest = None
        elif rest is not None and content_start == att_end and len(text[rest[0] : rest[1]].split()) < 3:
            rest = None  # "promised an inquiry": an object, not a reported statement
        before = text[lo : verb.start()]
        # "X, a former minister, said ..." is preposed; "Talks will resume, said X" is not.
        preposed = (
            not _BAD_BEFORE_VERB.search(before)
            and (not before.rstrip().endswith(",") or before.count(",") >= 2)
            and not text.startswith(",", att_end)  # "..., she said, and ..." is postposed
        )
        if rest is not None and content_start < hi and preposed:
            start = _clause_start(text, lo, verb.start(), quotes, postposed=False)
            subject = text[start : verb.start()]
            # "X said that ..." / "X said: ..." marks reported speech whoever X is ("the harbour master").
            introduced = content_start > att_end or verb.group() in _STRONG_VERBS
            if start < verb.start() and (looks_like_speaker(subject) or (introduced and _short_np(subject))):
                found.append(Report((start, att_end), rest, _trim(text, start, verb.start()), "speaker+verb"))
                taken.append((start, rest[1]))
                continue
        # Postposed: "..., X said." / "..., said X."
        start = _clause_start(text, lo, verb.start(), quotes, postposed=True)
        if start <= lo or text[start - 2 : start] != ", ":
            continue
        tail = _PARTICIPLE_TAIL.search(text, verb.end(), hi)
        stop = tail.start() if tail else hi
        if start == verb.start():
            speaker = _trim(text, _skip_adjuncts(text, verb.end(), stop), stop)
            att = _trim(text, start, stop)
        else:
            if not looks_like_speaker(text[start : verb.start()]) or _BAD_BEFORE_VERB.search(before):
                continue
            speaker = _trim(text, start, verb.start())
            att = _trim(text, start, att_end)
        more = _CONTINUATION.match(text, att[1], stop)
        if (text[att[1] : stop].strip(" .") and not more) or _VERB.search(text, verb.end(), att[1]):
            continue
        clause = _clause_start(text, lo, start - 2, quotes, postposed=False)
        content = content_extent(text, clause, start - 2)
        if content is None or speaker[0] >= speaker[1]:
            continue
        found.append(Report(att, content, speaker, "claim+speaker"))
        if more:  # "Rates hurt small firms, she said, and the full effect would take a year."
            second = content_extent(text, more.end(), stop)
            if second is not None:
                found.append(Report(att, second, speaker, "claim+speaker"))
        taken.append((clause, stop))
    return found


def _framing(text: str, lo: int, hi: int, quotes: list[Quote], taken: list[Extent]) -> list[Report]:
    found: list[Report] = []
    for m in _FRAMING.finditer(text, lo, hi):
        if inside(quotes, m.start()) or any(a <= m.start() < b for a, b in taken):
            continue
        start = _clause_start(text, lo, m.start(), quotes, postposed=False)
        if start >= m.start() or not looks_like_speaker(text[start : m.start()]):
            continue
        if _BAD_BEFORE_VERB.search(text[lo : m.start()]):
            continue
        content = content_extent(text, m.end(), hi)
        if content is None:
            continue
        att = _trim(text, start, m.end())
        found.append(Report(att, content, _trim(text, start, m.start()), "framing verb"))
        taken.append((start, content[1]))
    return found


def unit_reports(text: str, lo: int, hi: int) -> list[Report]:
    """Every reporting cue in the sentence unit text[lo:hi], in reading order."""
    quotes = find_quotes(text, lo, hi)
    reports: list[Report] = []
    taken: list[Extent] = []
    for q in quotes:
        r = _postposed_after_quote(text, q, hi)
        if r is not None:
            reports.append(r)
            taken.append((q.start, r.att[1]))
    for r in _according(text, lo, hi, quotes):
        if not any(a <= r.att[0] < b for a, b in taken):
            reports.append(r)
            taken.append(r.att)
            if r.content is not None:
                taken.append(r.content)
    reports += _verb_reports(text, lo, hi, quotes, taken)
    reports += _framing(text, lo, hi, quotes, taken)
    reports.sort(key=lambda r: r.att[0])
    return reports
