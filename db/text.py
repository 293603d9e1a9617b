"""Text helpers: hashes, ids, UTF-16 conversion and spaCy tokens.

Offsets everywhere in Newsmark are Python string indexes (code points). Qt counts UTF-16 code
units; ``to_utf16`` / ``from_utf16`` convert at that one border.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_uid(sha256: str) -> str:
    """The article id that exports carry: stable across projects because it comes from the text."""
    return sha256[:12]


def new_span_uid() -> str:
    return "s-" + secrets.token_hex(6)


def new_link_uid() -> str:
    return "l-" + secrets.token_hex(6)


#: Characters outside the BMP; a regex scan is ~20x faster than a Python loop on long articles.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Converts between code-point offsets and UTF-16 offsets for one text, in O(log n)."""

    def __init__(self, text: str) -> None:
        # Code-point indexes of characters outside the BMP (two UTF-16 units each).
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral16 = [i + k for k, i in enumerate(self._astral)]
        self.length = len(text)

    def to_utf16(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def from_utf16(self, offset16: int) -> int:
        # Units before offset16 that are the second half of a pair: astral chars starting before offset16-1.
        k = bisect.bisect_left(self._astral16, offset16)
        if k and self._astral16[k - 1] == offset16 - 1:
            # offset16 falls inside a surrogate pair: snap to the character's start.
            return offset16 - k
        return offset16 - k


def to_utf16(text: str, offset: int) -> int:
    return Utf16Map(text).to_utf16(offset)


def from_utf16(text: str, offset16: int) -> int:
    return Utf16Map(text).from_utf16(offset16)


_tokenizer_lock = threading.Lock()
_blank: Language | None = None


def blank_english() -> Language:
    """spaCy's English tokenizer (``spacy.blank("en")``), loaded once, lazily."""
    global _blank
    with _tokenizer_lock:
        if _blank is None:
            import spacy

            _blank = spacy.blank("en")
        return _blank


@dataclass(frozen=True, slots=True)
class Tokens:
    """Token boundaries of one text: ``starts[i]``/``ends[i]`` are code-point offsets of token i."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    ws: tuple[bool, ...]
    space: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def covering(self, start: int, end: int) -> tuple[int, int, bool]:
        """Inclusive token indexes covering [start, end), and whether both ends fall on token edges."""
        if not self.starts:
            return 0, 0, False
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        if self.ends[first] <= start and first + 1 < len(self.starts):
            first += 1
        last = max(bisect.bisect_left(self.ends, end), first)
        last = min(last, len(self.starts) - 1)
        aligned = self.starts[first] == start and self.ends[last] == end
        return first, last, aligned

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Widen [start, end) to whole tokens, dropping leading and trailing whitespace."""
        if not self.starts or start >= end:
            return start, end
        first, last, _ = self.covering(start, end)
        # A selection that begins in whitespace after a token should not grab that token.
        if self.ends[first] <= start and first < last:
            first += 1
        if self.starts[last] >= end and last > first:
            last -= 1
        while first < last and self.space[first]:
            first += 1
        while last > first and self.space[last]:
            last -= 1
        if self.space[first]:
            return start, end
        return self.starts[first], self.ends[last]


def tokens_from_doc(doc: Any) -> Tokens:
    starts = []
    ends = []
    ws = []
    space = []
    for tok in doc:
        starts.append(tok.idx)
        ends.append(tok.idx + len(tok.text))
        ws.append(bool(tok.whitespace_))
        space.append(tok.is_space)
    return Tokens(tuple(starts), tuple(ends), tuple(ws), tuple(space))


def tokenize(text: str) -> Tokens:
    return tokens_from_doc(blank_english().tokenizer(text))


def tokenize_many(texts: Sequence[str], batch_size: int = 256) -> list[Tokens]:
    tok: Any = blank_english().tokenizer
    return [tokens_from_doc(doc) for doc in tok.pipe(texts, batch_size=batch_size)]
