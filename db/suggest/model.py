"""What the suggester returns: plain frozen records with code-point offsets, safe to hand to Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db.errors import NewsmarkError

#: The labels the suggester proposes, in the order the reader offers them.
SUGGESTED_LABELS = ("ATTRIBUTION", "CLAIM", "EXPERT_OPINION", "FACT")


class SuggestCancelled(NewsmarkError):
    """The user stopped the suggestions before they were complete; nothing was stored."""


@dataclass(frozen=True, slots=True)
class SuggestedSpan:
    """A span the suggester proposes. ``speaker`` is the id of a ``Speaker`` for an ATTRIBUTION
    (and for the CLAIM / EXPERT_OPINION it introduces), else None. ``rule`` names the pattern
    that found it, for the tooltip and for debugging the rules."""

    start: int
    end: int
    label: str
    text: str
    speaker: int | None = None
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "speaker": self.speaker,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class SuggestedLink:
    """A SOURCE_OF link between two suggestions, as indexes into ``SuggestionSet.spans``."""

    source: int
    target: int
    type: str = "SOURCE_OF"


@dataclass(frozen=True, slots=True)
class Speaker:
    """One party quoted in an article, however the article names it ("Antony Blinken", "Blinken",
    "Mr Blinken", "the Secretary of State"). ``mentions`` are the distinct surface forms seen."""

    id: int
    canonical: str
    mentions: tuple[str, ...]
    is_expert: bool = False


@dataclass(frozen=True, slots=True)
class SuggestionSet:
    """Everything suggested for one text: spans in reading order, links between them, speakers,
    and the spaCy pipeline that produced them ("name version")."""

    spans: tuple[SuggestedSpan, ...] = ()
    links: tuple[SuggestedLink, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    pipeline: str = ""
    article_id: int | None = None
    article_uid: str | None = None
    #: Every SOURCE_OF pair the suggester found, including pairs with an end the analyst already
    #: decided on (left out of ``spans``), so that accepting the other end still links them.
    pairs: tuple[tuple[SuggestedSpan, SuggestedSpan], ...] = field(default=(), compare=False)

    def by_label(self, label: str) -> list[SuggestedSpan]:
        return [s for s in self.spans if s.label == label]

    def speaker(self, speaker_id: int | None) -> Speaker | None:
        for sp in self.speakers:
            if sp.id == speaker_id:
                return sp
        return None

    def who_said_what(self) -> list[tuple[str, list[str]]]:
        """Each speaker's canonical name with the texts of the claims and opinions attributed to it,
        in order of first appearance."""
        said: dict[int, list[str]] = {}
        for link in self.links:
            src, dst = self.spans[link.source], self.spans[link.target]
            if src.speaker is not None:
                said.setdefault(src.speaker, []).append(dst.text)
        return [(sp.canonical, said[sp.id]) for sp in self.speakers if sp.id in said]

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_uid,
            "pipeline": self.pipeline,
            "spans": [s.to_dict() for s in self.spans],
            "links": [{"source": lk.source, "target": lk.target, "type": lk.type} for lk in self.links],
            "speakers": [
                {
                    "id": sp.id,
                    "canonical": sp.canonical,
                    "mentions": list(sp.mentions),
                    "is_expert": sp.is_expert,
                }
                for sp in self.speakers
            ],
        }
