"""SpanIndex: the spans of one article, indexed by position for painting and navigation.

Pure Python (no Qt), offsets in code points. A bucketed interval index answers "which spans touch
[a, b)" in time proportional to the answer, so painting costs follow the viewport and not the
article; ``add``/``remove`` update it in place after one edit instead of reloading the article.
Each span also gets a nesting level (0 for spans that overlap nothing before them) so the view can
stack underlines and keep overlapping spans apart.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable

from db.records import SpanRecord

BUCKET = 512  # code points per bucket


class SpanIndex:
    """Spans by id, by reading order (start, longer first) and by position bucket."""

    def __init__(self, spans: Iterable[SpanRecord] = ()) -> None:
        self._spans: dict[int, SpanRecord] = {}
        self._order: list[tuple[int, int, int]] = []  # (start, -end, id): reading order
        self._buckets: dict[int, set[int]] = {}
        self._levels: dict[int, int] | None = None
        for span in spans:
            self._spans[span.id] = span
            self._bucket(span, add=True)
        self._order = sorted((s.start, -s.end, s.id) for s in self._spans.values())

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._spans

    def get(self, span_id: int) -> SpanRecord | None:
        return self._spans.get(span_id)

    def spans(self) -> list[SpanRecord]:
        """All spans in reading order."""
        return [self._spans[key[2]] for key in self._order]

    def add(self, span: SpanRecord) -> None:
        """Insert or replace a span (by id)."""
        if span.id in self._spans:
            self.remove(span.id)
        self._spans[span.id] = span
        self._bucket(span, add=True)
        bisect.insort(self._order, (span.start, -span.end, span.id))
        self._levels = None

    def remove(self, span_id: int) -> SpanRecord | None:
        span = self._spans.pop(span_id, None)
        if span is None:
            return None
        self._bucket(span, add=False)
        key = (span.start, -span.end, span.id)
        i = bisect.bisect_left(self._order, key)
        if i < len(self._order) and self._order[i] == key:
            del self._order[i]
        self._levels = None
        return span

    def _bucket(self, span: SpanRecord, *, add: bool) -> None:
        for b in range(span.start // BUCKET, (span.end - 1) // BUCKET + 1):
            if add:
                self._buckets.setdefault(b, set()).add(span.id)
            else:
                ids = self._buckets.get(b)
                if ids is not None:
                    ids.discard(span.id)

    def overlapping(self, start: int, end: int) -> list[SpanRecord]:
        """Spans that share at least one character with [start, end), outer spans first."""
        if end <= start:
            return []
        ids: set[int] = set()
        for b in range(start // BUCKET, (end - 1) // BUCKET + 1):
            ids |= self._buckets.get(b, set())
        found = [s for s in map(self._spans.__getitem__, ids) if s.start < end and s.end > start]
        found.sort(key=lambda s: (s.start, -s.end, s.id))
        return found

    def at(self, offset: int) -> list[SpanRecord]:
        """Spans covering the character at ``offset``, innermost (shortest) first."""
        found = self.overlapping(offset, offset + 1)
        found.sort(key=lambda s: (s.end - s.start, -s.start, s.id))
        return found

    def neighbour(self, span_id: int | None, offset: int, forward: bool) -> SpanRecord | None:
        """The next (or previous) span in reading order after ``span_id``, or from ``offset``."""
        if not self._order:
            return None
        span = self._spans.get(span_id) if span_id is not None else None
        if span is not None:
            i = bisect.bisect_left(self._order, (span.start, -span.end, span.id))
            j = i + 1 if forward else i - 1
        else:
            i = bisect.bisect_left(self._order, (offset, -(10**12), -1))
            j = i if forward else i - 1
        if 0 <= j < len(self._order):
            return self._spans[self._order[j][2]]
        return None

    def level(self, span_id: int) -> int:
        """Nesting level: spans that overlap get different levels (greedy, in reading order)."""
        if self._levels is None:
            self._levels = self._assign_levels()
        return self._levels.get(span_id, 0)

    def max_level(self) -> int:
        if self._levels is None:
            self._levels = self._assign_levels()
        return max(self._levels.values(), default=0)

    def _assign_levels(self) -> dict[int, int]:
        levels: dict[int, int] = {}
        active: list[tuple[int, int]] = []  # (end, level) of spans still open
        free: list[int] = []
        next_level = 0
        for start, neg_end, span_id in self._order:
            while active and active[0][0] <= start:
                heapq.heappush(free, heapq.heappop(active)[1])
            if free:
                lvl = heapq.heappop(free)
            else:
                lvl = next_level
                next_level += 1
            levels[span_id] = lvl
            heapq.heappush(active, (-neg_end, lvl))
        return levels
