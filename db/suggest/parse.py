"""What a trained pipeline adds to the rules: PERSON / ORG / GPE / NORP entities to name speakers,
and the dependency parse to find reporting verbs the surface patterns miss (the verb's ``nsubj``
subtree is the speaker, its ``ccomp`` subtree the content)."""

from __future__ import annotations

from typing import Any

from db.suggest.lexicon import REPORTING_VERBS
from db.suggest.rules import Report, content_extent, looks_like_speaker

Extent = tuple[int, int]
_VERBS = frozenset(REPORTING_VERBS)
_SPEAKER_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_KEEP_IN_ATTRIBUTION = frozenset({"prep", "npadvmod", "dative", "advmod", "iobj", "dobj"})


def entities(doc: Any, label: str | None = None) -> list[Extent]:
    """Character extents of the doc's named entities (of one label, or every speaker label)."""
    wanted = {label} if label else _SPEAKER_ENTS
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ in wanted]


def has_entity(doc: Any, a: int, b: int) -> bool:
    return any(a <= e.start_char and e.end_char <= b for e in doc.ents if e.label_ in _SPEAKER_ENTS)


def has_clause(doc: Any, report: Report) -> bool:
    """Whether a report's content has a verb (so it states something): the parse rules out
    "denied any irregularities" and "promised compensation for ...". Framing verbs ("called the
    test a textbook demonstration") and "according to" take any content."""
    if report.content is None or report.rule in ("framing verb", "according to"):
        return True
    span = doc.char_span(report.content[0], report.content[1], alignment_mode="expand")
    return span is None or any(t.pos_ in ("VERB", "AUX") for t in span)


def _char_span(tokens: list[Any]) -> Extent:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def parse_reports(doc: Any, text: str, a: int, b: int) -> list[Report]:
    """Reporting verbs with both a subject and a clausal complement, inside text[a:b]."""
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None:
        return []
    found: list[Report] = []
    for tok in span:
        if tok.lower_ not in _VERBS or not tok.pos_.startswith(("VERB", "AUX")):
            continue
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i]
        comp = [c for c in tok.children if c.dep_ == "ccomp"]
        if not subj or not comp:
            continue
        s_start = subj[0].left_edge.idx
        s_end = subj[0].right_edge.idx + len(subj[0].right_edge.text)
        if not (looks_like_speaker(text[s_start:s_end]) or has_entity(doc, s_start, s_end)):
            continue
        ccomp = comp[0]
        att_end = tok.idx + len(tok.text)
        for c in tok.children:
            if c.i > tok.i and c.i < ccomp.left_edge.i and c.dep_ in _KEEP_IN_ATTRIBUTION:
                att_end = max(att_end, c.right_edge.idx + len(c.right_edge.text))
        words = [t for t in ccomp.subtree if not (t.i == ccomp.left_edge.i and t.dep_ == "mark")]
        if not words:
            continue
        c_start, c_end = _char_span(words)
        content = content_extent(text, c_start, c_end)
        if content is None or content[0] < att_end:
            continue
        found.append(Report((s_start, att_end), content, (s_start, s_end), "parse"))
    return found
