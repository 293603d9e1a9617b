"""TokenCache: spaCy token boundaries of one article, tokenized a paragraph at a time, on demand.

Tokenizing a 50,000-word article takes a noticeable fraction of a second; snapping a selection
or nudging a boundary needs only the tokens around it. spaCy splits on whitespace before anything
else, so the tokens of a paragraph cut at line breaks are the tokens of the whole text there.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from db.text import Tokens, tokenize

if TYPE_CHECKING:
    from spacy.language import Language

LONG_LINE = 8000  # a line longer than this is cut at a space, so no chunk is huge
_sentencizer: Language | None = None


def _sentence_pipeline() -> Language:
    global _sentencizer
    if _sentencizer is None:
        import spacy

        _sentencizer = spacy.blank("en")
        _sentencizer.add_pipe("sentencizer")
    return _sentencizer


class TokenCache:
    """Token boundaries of ``text`` (code points), computed per chunk the first time they are needed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._chunk_starts: list[int] | None = None
        self._chunks: dict[int, Tokens] = {}

    def _boundaries(self) -> list[int]:
        if self._chunk_starts is None:
            starts = [0]
            text = self.text
            pos = text.find("\n")
            while pos != -1:
                while starts[-1] + LONG_LINE < pos:
                    cut = text.rfind(" ", starts[-1] + 1, starts[-1] + LONG_LINE)
                    if cut == -1:
                        break
                    starts.append(cut + 1)
                starts.append(pos + 1)
                pos = text.find("\n", pos + 1)
            self._chunk_starts = starts
        return self._chunk_starts

    def _chunk(self, index: int) -> Tokens:
        tokens = self._chunks.get(index)
        if tokens is None:
            bounds = self._boundaries()
            a = bounds[index]
            b = bounds[index + 1] if index + 1 < len(bounds) else len(self.text)
            local = tokenize(self.text[a:b])
            tokens = Tokens(
                tuple(s + a for s in local.starts), tuple(e + a for e in local.ends), local.ws, local.space
            )
            self._chunks[index] = tokens
        return tokens

    def around(self, start: int, end: int, extra_words: int = 1) -> Tokens:
        """Tokens of the chunks covering [start, end), plus neighbouring chunks until ``extra_words``
        non-space tokens lie on each side (so a boundary can move into the next paragraph)."""
        bounds = self._boundaries()
        first = max(bisect.bisect_right(bounds, start) - 1, 0)
        last = max(bisect.bisect_right(bounds, max(end - 1, start)) - 1, first)
        parts = [self._chunk(i) for i in range(first, last + 1)]
        before, after = first - 1, last + 1
        while before >= 0 and _words(parts[0], start, before=True) < extra_words:
            parts.insert(0, self._chunk(before))
            before -= 1
        while after < len(bounds) and _words(parts[-1], end, before=False) < extra_words:
            parts.append(self._chunk(after))
            after += 1
        starts: list[int] = []
        ends: list[int] = []
        ws: list[bool] = []
        space: list[bool] = []
        for p in parts:
            starts += p.starts
            ends += p.ends
            ws += p.ws
            space += p.space
        return Tokens(tuple(starts), tuple(ends), tuple(ws), tuple(space))

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Widen [start, end) to whole tokens (``Tokens.snap``)."""
        return self.around(start, end).snap(start, end)

    def word_at(self, offset: int) -> tuple[int, int] | None:
        tokens = self.around(offset, offset + 1, 0)
        for s, e, sp in zip(tokens.starts, tokens.ends, tokens.space, strict=True):
            if s <= offset < e and not sp:
                return s, e
        return None

    def start_edges(self, start: int, end: int) -> list[int]:
        tokens = self.around(start, end, 1)
        return [s for s, sp in zip(tokens.starts, tokens.space, strict=True) if not sp]

    def end_edges(self, start: int, end: int) -> list[int]:
        tokens = self.around(start, end, 1)
        return [e for e, sp in zip(tokens.ends, tokens.space, strict=True) if not sp]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The sentence containing ``offset`` (spaCy's rule-based sentencizer on its paragraph)."""
        bounds = self._boundaries()
        i = max(bisect.bisect_right(bounds, offset) - 1, 0)
        a = bounds[i]
        b = bounds[i + 1] if i + 1 < len(bounds) else len(self.text)
        doc = _sentence_pipeline()(self.text[a:b])
        for sent in doc.sents:
            s, e = a + sent.start_char, a + sent.end_char
            if s <= offset < e or offset == e:
                return _trim(self.text, s, e)
        return _trim(self.text, a, b)


def _words(tokens: Tokens, offset: int, *, before: bool) -> int:
    if before:
        return sum(1 for e, sp in zip(tokens.ends, tokens.space, strict=True) if e <= offset and not sp)
    return sum(1 for s, sp in zip(tokens.starts, tokens.space, strict=True) if s >= offset and not sp)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
