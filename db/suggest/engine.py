"""``suggest_spans``: one text in, a ``SuggestionSet`` out. Pure: no project, no database."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from db.suggest.facts import fact_extent
from db.suggest.lexicon import EXPERT_RE, VERB_RE
from db.suggest.model import SuggestCancelled, SuggestedLink, SuggestedSpan, SuggestionSet
from db.suggest.parse import entities, has_clause, parse_reports
from db.suggest.pipeline import is_trained, load_pipeline, pipeline_info
from db.suggest.rules import Report, unit_reports
from db.suggest.speakers import SpeakerIndex, split_speaker
from db.suggest.units import sentence_units

if TYPE_CHECKING:
    from spacy.language import Language

Cancel = Callable[[], bool]
_SENTENCE_END = ".!?\"”’'"
_AUX_TAIL = re.compile(r"\s+(?:has|have|had|also|again|later|earlier|repeatedly)$", re.IGNORECASE)
_LEADING_VERB = re.compile(rf"\W*{VERB_RE}\b\s*", re.IGNORECASE)


def _sentence_starts(doc: Any) -> list[int]:
    try:
        return [s.start_char for s in doc.sents]
    except ValueError:  # no sentence boundaries at all
        return [0]


def suggest_spans(text: str, *, nlp: Language | None = None, cancel: Cancel | None = None) -> SuggestionSet:
    """ATTRIBUTION, CLAIM, EXPERT_OPINION and FACT suggestions for ``text``, with a SOURCE_OF link
    from each attribution to what it introduces and the article's speakers.

    ``nlp`` is a spaCy pipeline (default: ``load_pipeline()``); ``cancel`` is polled between
    sentences and stops the work with ``SuggestCancelled`` when it returns True."""
    nlp = nlp if nlp is not None else load_pipeline()
    trained = is_trained(nlp)
    if cancel is not None and cancel():
        raise SuggestCancelled("Suggestions were cancelled.")
    doc = nlp(text)
    persons = entities(doc, "PERSON") if trained else []
    orgs = entities(doc, "ORG") if trained else []
    index = SpeakerIndex()
    found: list[tuple[Report, int]] = []
    facts: list[tuple[int, int]] = []
    for a, b in sentence_units(text, _sentence_starts(doc)):
        if cancel is not None and cancel():
            raise SuggestCancelled("Suggestions were cancelled.")
        if text[b - 1] not in _SENTENCE_END:
            continue  # a headline, a dateline, a byline: no sentence to suggest from
        reports = unit_reports(text, a, b)
        if trained:
            reports = [r for r in reports if has_clause(doc, r)]
            if not reports:
                reports = parse_reports(doc, text, a, b)
        if not reports:
            fact = fact_extent(text, a, b)
            if fact is not None:
                facts.append(fact)
            continue
        for r in reports:
            found.append((r, _speaker_id(index, text, r, persons, orgs)))
    spans: list[SuggestedSpan] = []
    pairs: list[tuple[SuggestedSpan, SuggestedSpan]] = []
    for r, sid in found:
        att = SuggestedSpan(r.att[0], r.att[1], "ATTRIBUTION", text[r.att[0] : r.att[1]], sid, r.rule)
        spans.append(att)
        if r.content is not None:
            expert = index.is_expert(sid) or bool(EXPERT_RE.search(att.text))
            label = "EXPERT_OPINION" if expert else "CLAIM"
            c = SuggestedSpan(
                r.content[0], r.content[1], label, text[r.content[0] : r.content[1]], sid, r.rule
            )
            spans.append(c)
            pairs.append((att, c))
    spans += [SuggestedSpan(a, b, "FACT", text[a:b], None, "figure") for a, b in facts]
    unique = sorted(set(spans), key=lambda s: (s.start, -s.end, s.label))
    position = {s: i for i, s in enumerate(unique)}
    links = sorted(
        {SuggestedLink(position[src], position[dst]) for src, dst in pairs},
        key=lambda x: (x.source, x.target),
    )
    info = pipeline_info(nlp)
    return SuggestionSet(
        tuple(unique),
        tuple(links),
        index.speakers(),
        f"{info.name} {info.version}",
        pairs=tuple((unique[lk.source], unique[lk.target]) for lk in links),
    )


def _speaker_id(
    index: SpeakerIndex, text: str, r: Report, persons: list[tuple[int, int]], orgs: list[tuple[int, int]]
) -> int:
    a, b = r.speaker
    lead = _LEADING_VERB.match(text, a, b)
    if lead:
        a = lead.end()
    mention, description = split_speaker(text, a, b, persons)
    phrase = _AUX_TAIL.sub("", text[mention[0] : mention[1]])
    is_org = any(mention[0] <= o[0] and o[1] <= mention[1] for o in orgs) and not any(
        mention[0] <= p[0] and p[1] <= mention[1] for p in persons
    )
    desc = text[description[0] : description[1]] if description else ""
    return index.add(phrase or text[r.speaker[0] : r.speaker[1]], desc, organisation=is_org)
