"""Who speaks: speaker phrases turned into one ``Speaker`` per party within an article.

"Secretary of State Antony Blinken", "Blinken", "Mr Blinken" and, once the article has introduced
him so, "the Secretary of State" are one speaker; "he" / "she" is the person quoted last, "it" /
"they" the organisation quoted last; "the ministry" is the ministry named last. A speaker described
as an analyst, researcher, professor, former official ... anywhere in the article is an expert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db.suggest.lexicon import EXPERT_RE, HONORIFICS, PERSON_PRONOUNS, PRONOUNS, TITLE_WORDS, word_set
from db.suggest.model import Speaker

Extent = tuple[int, int]
_DETERMINERS = word_set("the a an its his her their our this that")
_WORD = re.compile(r"[\w'’.-]+")
_APPOSITIVE = re.compile(r",\s+")
_PREPOSITIONS = frozenset(["in", "of", "at", "for", "from", "by", "near", "on"])
_PREPOSITION = re.compile(r"\s+(?:of|at|from|for|with)\s+(?=(?:the\s+)?[A-Z])")
ORG_HEADS = word_set(
    "institute ministry agency council university bank group company association cooperative today times "
    "news post guard office department committee commission authority authorities police army navy "
    "government union federation corporation inc ltd party forum centre center foundation court "
    "parliament assembly board service services fund trust network press radio television tv"
)


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def split_speaker(
    text: str, a: int, b: int, persons: list[Extent] | None = None
) -> tuple[Extent, Extent | None]:
    """The phrase naming the speaker and, apart, its description ("Halina Vost" / "a research
    fellow at ..."). ``persons`` are PERSON entities from a trained pipeline, if any."""
    pieces: list[Extent] = []
    pos = a
    for m in _APPOSITIVE.finditer(text, a, b):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, b))
    mention, rest = pieces[0], pieces[1:]
    prep = _PREPOSITION.search(text, mention[0], mention[1])
    if prep and person_parts(text[mention[0] : prep.start()]) is not None:
        # "Commander Ruth Allard of the coast guard": the name, then what she is.
        pieces = [(mention[0], prep.start()), (prep.end(), mention[1]), *rest]
        mention, rest = pieces[0], pieces[1:]
    for ent in persons or ():
        if a <= ent[0] and ent[1] <= b:
            if ent[0] >= mention[1]:  # the name is in the appositive: "A spokesman, Colonel Aurel Mazin,"
                return ent, (a, mention[1])
            return (mention[0], max(ent[1], mention[1])), ((rest[0][0], b) if rest else None)
    if rest and not _has_name(text[mention[0] : mention[1]]) and _has_name(text[rest[0][0] : rest[0][1]]):
        return rest[0], (a, mention[1])
    return mention, ((rest[0][0], b) if rest else None)


def _has_name(phrase: str) -> bool:
    words = _WORD.findall(phrase)
    return any(_is_cap(w) and w.lower() not in TITLE_WORDS for w in words[1:]) or (
        len(words) == 1 and _is_cap(words[0])
    )


def _strip_det(words: list[str]) -> list[str]:
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return words


def person_parts(mention: str) -> tuple[str, str] | None:
    """(role, name) of a person mention, or None for an organisation or a bare role."""
    words = _strip_det(_WORD.findall(mention))
    if (
        not words
        or not _is_cap(words[-1])
        or words[-1].lower() in TITLE_WORDS
        or words[-1].endswith(("'s", "’s"))
    ):
        return None
    i = len(words)
    while i > 0 and len(words) - i < 3 and _is_cap(words[i - 1]) and words[i - 1].lower() not in TITLE_WORDS:
        i -= 1
    if i > 0 and words[i - 1].lower() in _PREPOSITIONS:
        return None  # "Port authorities in Veskar": a group named after a place
    if words[-1].strip(".").lower() in ORG_HEADS or (
        i > 0 and _is_cap(words[i - 1]) and words[i - 1].lower() not in TITLE_WORDS
    ):
        return None  # "Serrow Institute", "Kestria Today": an organisation
    role = " ".join(w for w in words[:i] if w.lower() not in HONORIFICS)
    return role, " ".join(words[i:])


def _role_key(phrase: str) -> str:
    return " ".join(_strip_det(phrase.lower().split()))


@dataclass
class _Party:
    id: int
    canonical: str
    person: bool
    surname: str = ""
    roles: set[str] = field(default_factory=set)
    mentions: list[str] = field(default_factory=list)
    expert: bool = False


class SpeakerIndex:
    """The speakers of one article, filled in reading order by ``add``."""

    def __init__(self) -> None:
        self._parties: list[_Party] = []
        self._last_person: _Party | None = None
        self._last_org: _Party | None = None

    def add(self, mention: str, description: str = "", *, organisation: bool = False) -> int:
        """The id of the speaker this mention names (a new one if it names nobody seen so far).
        ``organisation`` says a trained pipeline tagged the mention as an ORG."""
        mention = " ".join(mention.split()).strip(" ,")
        party = self._find(mention, organisation)
        if party is None:
            party = self._new(mention, organisation)
        if mention not in party.mentions:
            party.mentions.append(mention)
        if EXPERT_RE.search(description) or EXPERT_RE.search(mention):
            party.expert = True
        if party.person:
            self._last_person = party
        else:
            self._last_org = party
        return party.id

    def is_expert(self, speaker_id: int) -> bool:
        return self._parties[speaker_id].expert

    def speakers(self) -> tuple[Speaker, ...]:
        return tuple(Speaker(p.id, p.canonical, tuple(p.mentions), p.expert) for p in self._parties)

    def _new(self, mention: str, organisation: bool) -> _Party:
        parts = None if organisation else person_parts(mention)
        if parts is not None:
            role, name = parts
            party = _Party(len(self._parties), name, True, name.split()[-1])
            if role:
                party.roles.add(_role_key(role))
        else:
            words = _strip_det(mention.split())
            party = _Party(len(self._parties), " ".join(words) or mention, mention.lower() in PERSON_PRONOUNS)
        self._parties.append(party)
        return party

    def _find(self, mention: str, organisation: bool) -> _Party | None:
        low = mention.lower()
        if low in PRONOUNS:
            # "it" is never a person; "they" is most often an organisation in news copy.
            return self._last_person if low in PERSON_PRONOUNS else self._last_org
        parts = None if organisation else person_parts(mention)
        if parts is not None:
            role, name = parts
            surname = name.split()[-1]
            for p in reversed(self._parties):
                if p.person and p.surname == surname:
                    if len(name) > len(p.canonical) and name.endswith(p.canonical):
                        p.canonical = name
                    if role:
                        p.roles.add(_role_key(role))
                    return p
            return None
        key = _role_key(mention)
        people = [p for p in self._parties if p.person and key in p.roles]
        if not people and len(key.split()) == 1:  # "the minister" after "Regional minister Karl Ostby"
            people = [p for p in self._parties if p.person and any(r.split()[-1:] == [key] for r in p.roles)]
        if people:
            return people[-1]
        for p in reversed(self._parties):
            if not p.person and _role_key(p.canonical) == key:
                return p
        words = key.split()
        if (
            words
            and not any(_is_cap(w) for w in mention.split()[1:])
            and mention.split()[0].lower() in _DETERMINERS
        ):
            for p in reversed(self._parties):
                known = _role_key(p.canonical).split()
                if not p.person and known[-1:] == words[-1:] and set(words) <= set(known):
                    return p
        return None
