"""The reader's span index and token cache (no Qt): same answers as the obvious slow way."""

from __future__ import annotations

import random

from db.records import SpanRecord
from db.text import tokenize
from desktop.span_index import SpanIndex
from desktop.token_cache import TokenCache


def rec(span_id: int, start: int, end: int) -> SpanRecord:
    return SpanRecord(span_id, f"s-{span_id}", 1, "alice", "CLAIM", start, end, "", None, "manual", "active")


def test_overlap_queries_match_brute_force_through_edits():
    rng = random.Random(7)
    spans = [
        rec(i, s, s + rng.randint(1, 3000)) for i, s in enumerate(rng.randrange(0, 20000) for _ in range(400))
    ]
    index = SpanIndex(spans)
    live = {s.id: s for s in spans}
    for step in range(300):
        if step % 3 == 0:
            victim = rng.choice(list(live))
            index.remove(victim)
            del live[victim]
        elif step % 3 == 1:
            s = rng.randrange(0, 20000)
            new = rec(1000 + step, s, s + rng.randint(1, 800))
            index.add(new)
            live[new.id] = new
        a = rng.randrange(0, 21000)
        b = a + rng.randint(1, 2000)
        expected = sorted(i for i, s in live.items() if s.start < b and s.end > a)
        assert sorted(s.id for s in index.overlapping(a, b)) == expected
    for s in live.values():
        for t in live.values():
            if s.id != t.id and s.start < t.end and t.start < s.end:
                assert index.level(s.id) != index.level(t.id)
    order = index.spans()
    assert order == sorted(live.values(), key=lambda s: (s.start, -s.end, s.id))


def test_neighbours_follow_reading_order_and_innermost_comes_first():
    index = SpanIndex([rec(1, 10, 50), rec(2, 20, 30), rec(3, 60, 70)])
    assert [s.id for s in index.at(25)] == [2, 1]
    assert index.neighbour(1, 0, True).id == 2
    assert index.neighbour(2, 0, True).id == 3
    assert index.neighbour(3, 0, True) is None
    assert index.neighbour(None, 55, True).id == 3
    assert index.neighbour(None, 55, False).id == 2


def test_token_cache_snaps_like_tokenizing_the_whole_text():
    text = (
        'Blinken said the U.S. would "not tolerate" it.\n\nAnalysts (at the Halvik Institute) disagreed;'
        " co-operation was 40-km away.\r\nDon't   stop 🙂 now, Dr. Varga.\n" * 3
    )
    whole = tokenize(text)
    cache = TokenCache(text)
    rng = random.Random(3)
    for _ in range(300):
        a = rng.randrange(0, len(text) - 1)
        b = rng.randrange(a + 1, min(len(text), a + 120) + 1)
        assert cache.snap(a, b) == whole.snap(a, b), (a, b, text[a:b])


def test_sentences_and_words():
    text = "Officials met at 6:40 a.m. on Thursday. Mr. Anselm said no. Then they left.\n\nNext paragraph."
    cache = TokenCache(text)
    i = text.index("Anselm")
    assert text[slice(*cache.sentence_at(i))] == "Mr. Anselm said no."
    assert (
        text[slice(*cache.sentence_at(text.index("Thursday")))] == "Officials met at 6:40 a.m. on Thursday."
    )
    assert text[slice(*cache.word_at(i + 2))] == "Anselm"
