"""Comparing two layers (annotator A against annotator B, or against gold) span by span.

Every span of either layer ends up in exactly one ``SpanDiffItem``: the two layers' spans of an
article are paired one-to-one by ``match_spans`` (identical spans first, then same offsets, then the
greatest overlap), and each pair or leftover is classified. Links are paired through the pairing of
their end spans. ``disagreement_queue`` lists what a reviewer has to walk through, in reading order.

The candidate pairs come from a sort-and-sweep over span starts, so the cost follows the number of
overlapping pairs, not the product of the two layers' sizes.
"""

from __future__ import annotations

import enum
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from db.errors import NotFoundError
from db.models import Annotator, Label, Link, LinkType, Span
from db.project import Project


class DiffKind(enum.StrEnum):
    AGREE = "agree"
    LABEL_CONFLICT = "label_conflict"
    BOUNDARY = "boundary"
    BOUNDARY_AND_LABEL = "boundary_and_label"
    ONLY_A = "only_a"
    ONLY_B = "only_b"
    #: Links only: both ends paired, types differ.
    TYPE_CONFLICT = "type_conflict"


@dataclass(frozen=True, slots=True)
class DiffSpan:
    id: int
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class SpanDiffItem:
    """One pair (or a leftover) of spans; ``a``/``b`` is None on the side that has nothing."""

    kind: DiffKind
    article_id: int
    a: DiffSpan | None
    b: DiffSpan | None

    @property
    def start(self) -> int:
        return min(s.start for s in (self.a, self.b) if s is not None)

    @property
    def end(self) -> int:
        return max(s.end for s in (self.a, self.b) if s is not None)


@dataclass(frozen=True, slots=True)
class DiffLink:
    id: int
    type: str
    source_span_id: int
    target_span_id: int


@dataclass(frozen=True, slots=True)
class LinkDiffItem:
    """One pair (or a leftover) of links. ``article_id``/``start`` place it at its source span."""

    kind: DiffKind
    article_id: int
    start: int
    a: DiffLink | None
    b: DiffLink | None


@dataclass(frozen=True, slots=True)
class LayerDiff:
    """The comparison of two layers on one article."""

    article_id: int
    annotator_a: str
    annotator_b: str
    spans: tuple[SpanDiffItem, ...]
    links: tuple[LinkDiffItem, ...]

    def counts(self) -> dict[DiffKind, int]:
        out = dict.fromkeys(DiffKind, 0)
        for item in self.spans:
            out[item.kind] += 1
        for link in self.links:
            out[link.kind] += 1
        return out


#: (start, end, label) of a span: what the matching looks at.
SpanKey = tuple[int, int, str]


def match_spans(
    a: Sequence[SpanKey], b: Sequence[SpanKey], *, same_label: bool = False
) -> list[tuple[int, int]]:
    """Pair spans of ``a`` with spans of ``b`` one-to-one; returns (index in a, index in b) pairs.

    Only overlapping spans are paired (with ``same_label``, only those with the same label). Greedy
    on a fixed order, so the result is deterministic: identical spans first, then same offsets with
    another label, then by the greatest overlap, preferring the same label, then the smallest
    boundary shift, then reading order.
    """
    # Identical spans come first in the greedy order and can only pair among themselves, in index
    # order (equal keys: equal overlap and shift), so they are paired through a dict; only the
    # rest (usually a small part of two layers) goes through the sweep below.
    by_key: dict[SpanKey, list[int]] = {}
    for j, key in enumerate(b):
        by_key.setdefault(key, []).append(j)
    pairs: list[tuple[int, int]] = []
    rest_a: list[int] = []
    taken: dict[SpanKey, int] = {}
    for i, key in enumerate(a):
        same = by_key.get(key)
        n = taken.get(key, 0)
        if same is not None and n < len(same):
            pairs.append((i, same[n]))
            taken[key] = n + 1
        else:
            rest_a.append(i)
    rest_b = [j for key, js in by_key.items() for j in js[taken.get(key, 0) :]]
    candidates: list[tuple[int, int, int, int, int, int]] = []
    order_b = sorted(rest_b, key=lambda j: (b[j][0], b[j][1]))
    order_a = sorted(rest_a, key=lambda i: (a[i][0], a[i][1]))
    # Sweep: walk A by start; keep B spans that started before the current A span ends and have
    # not ended before it starts.
    active: list[int] = []
    k = 0
    for i in order_a:
        sa, ea, la = a[i]
        while k < len(order_b) and b[order_b[k]][0] < ea:
            active.append(order_b[k])
            k += 1
        # B spans enter in start order, so any that end at or before sa can go (A starts only grow).
        active = [j for j in active if b[j][1] > sa]
        for j in active:
            sb, eb, lb = b[j]
            if sb >= ea:
                continue
            if same_label and lb != la:
                continue
            overlap = min(ea, eb) - max(sa, sb)
            same_offsets = sa == sb and ea == eb
            rank = 1 if same_offsets else 2  # identical spans (rank 0) are paired above
            candidates.append((rank, -overlap, la != lb, abs(sa - sb) + abs(ea - eb), i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for *_, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    return pairs


def classify(a: SpanKey, b: SpanKey) -> DiffKind:
    same_offsets = a[0] == b[0] and a[1] == b[1]
    if same_offsets:
        return DiffKind.AGREE if a[2] == b[2] else DiffKind.LABEL_CONFLICT
    return DiffKind.BOUNDARY if a[2] == b[2] else DiffKind.BOUNDARY_AND_LABEL


def diff_spans(article_id: int, a: Sequence[DiffSpan], b: Sequence[DiffSpan]) -> list[SpanDiffItem]:
    """Classify two layers' spans of one article; items in reading order."""
    keys_a = [(s.start, s.end, s.label) for s in a]
    keys_b = [(s.start, s.end, s.label) for s in b]
    keyed: list[tuple[tuple[int, int, int, int], SpanDiffItem]] = []
    seen_a: set[int] = set()
    seen_b: set[int] = set()
    for i, j in match_spans(keys_a, keys_b):
        seen_a.add(i)
        seen_b.add(j)
        x, y = a[i], b[j]
        if x.start == y.start and x.end == y.end:
            kind = DiffKind.AGREE if x.label == y.label else DiffKind.LABEL_CONFLICT
        else:
            kind = DiffKind.BOUNDARY if x.label == y.label else DiffKind.BOUNDARY_AND_LABEL
        order = (min(x.start, y.start), -max(x.end, y.end), x.id, y.id)
        keyed.append((order, SpanDiffItem(kind, article_id, x, y)))
    keyed += [
        ((x.start, -x.end, x.id, 0), SpanDiffItem(DiffKind.ONLY_A, article_id, x, None))
        for i, x in enumerate(a)
        if i not in seen_a
    ]
    keyed += [
        ((y.start, -y.end, y.id, y.id), SpanDiffItem(DiffKind.ONLY_B, article_id, None, y))
        for j, y in enumerate(b)
        if j not in seen_b
    ]
    # Reading order: (start, -end) of the item, then the id of its first side, then B's id.
    keyed.sort(key=lambda t: t[0])
    return [item for _, item in keyed]


@functools.cache
def _layer_spans_select() -> Select[*tuple[Any, ...]]:
    """Statements are built once (building one costs more than running it on one article)."""
    return (
        select(Span.article_id, Span.id, Span.start, Span.end, Label.key, Span.text)
        .join(Label, Span.label_id == Label.id)
        .where(
            Span.annotator_id == bindparam("annotator_id"),
            Span.status == "active",
            Span.article_id.in_(bindparam("article_ids", expanding=True)),
        )
        .order_by(Span.article_id, Span.start, Span.end, Span.id)
    )


def _layer_spans(
    session: Session, article_ids: Sequence[int], annotator_id: int
) -> dict[int, list[DiffSpan]]:
    out: dict[int, list[DiffSpan]] = defaultdict(list)
    if not article_ids:
        return out
    rows = session.connection().execute(
        _layer_spans_select(), {"annotator_id": annotator_id, "article_ids": list(article_ids)}
    )
    for aid, sid, start, end, label, text in rows:
        out[aid].append(DiffSpan(sid, start, end, label, text))
    return out


@functools.cache
def _layer_links_select() -> Select[*tuple[Any, ...]]:
    src, dst = aliased(Span), aliased(Span)
    ids: BindParameter[Any] = bindparam("article_ids", expanding=True)
    return (
        select(Link.id, LinkType.key, Link.source_span_id, Link.target_span_id, LinkType.directed)
        .join(LinkType, Link.type_id == LinkType.id)
        .join(src, Link.source_span_id == src.id)
        .join(dst, Link.target_span_id == dst.id)
        .where(
            Link.annotator_id == bindparam("annotator_id"), src.article_id.in_(ids) | dst.article_id.in_(ids)
        )
        .order_by(Link.id)
    )


def _layer_links(
    session: Session, article_ids: Sequence[int], annotator_id: int
) -> list[tuple[DiffLink, bool]]:
    """The layer's links with an end in these articles, with whether their type is directed."""
    rows = session.connection().execute(
        _layer_links_select(), {"annotator_id": annotator_id, "article_ids": list(article_ids)}
    )
    return [(DiffLink(lid, key, s, t), bool(directed)) for lid, key, s, t, directed in rows]


@functools.cache
def _annotator_select() -> Select[*tuple[Any, ...]]:
    return select(Annotator.id).where(Annotator.name == bindparam("name"))


def _annotator_id(session: Session, name: str) -> int:
    found = session.connection().execute(_annotator_select(), {"name": name}).scalar()
    if found is None:
        raise NotFoundError(f"There is no annotator {name!r} in this project.")
    return int(found)


def _diff_links(
    links_a: list[tuple[DiffLink, bool]],
    links_b: list[tuple[DiffLink, bool]],
    a_to_b: dict[int, int],
    where: dict[int, tuple[int, int]],
) -> list[LinkDiffItem]:
    """Pair links whose end spans are paired; ``where`` maps a span id to (article, start)."""
    by_ends: dict[tuple[int, int], list[DiffLink]] = defaultdict(list)
    for link, directed in links_b:
        by_ends[(link.source_span_id, link.target_span_id)].append(link)
        if not directed:
            by_ends[(link.target_span_id, link.source_span_id)].append(link)
    used_b: set[int] = set()
    items: list[LinkDiffItem] = []
    for link, _ in links_a:
        ends = (a_to_b.get(link.source_span_id, -1), a_to_b.get(link.target_span_id, -1))
        options = [x for x in by_ends.get(ends, []) if x.id not in used_b]
        options.sort(key=lambda x: (x.type != link.type, x.id))
        article, start = where[link.source_span_id]
        if options:
            other = options[0]
            used_b.add(other.id)
            kind = DiffKind.AGREE if other.type == link.type else DiffKind.TYPE_CONFLICT
            items.append(LinkDiffItem(kind, article, start, link, other))
        else:
            items.append(LinkDiffItem(DiffKind.ONLY_A, article, start, link, None))
    for link, _ in links_b:
        if link.id not in used_b:
            article, start = where[link.source_span_id]
            items.append(LinkDiffItem(DiffKind.ONLY_B, article, start, None, link))
    return items


def _link_order(item: LinkDiffItem) -> tuple[int, int, int]:
    return (item.start, item.a.id if item.a is not None else 0, item.b.id if item.b is not None else 0)


def diff_articles(
    project: Project,
    article_ids: Iterable[int],
    a: str,
    b: str,
    *,
    loaded: dict[int, tuple[Sequence[DiffSpan], Sequence[DiffSpan]]] | None = None,
) -> list[LayerDiff]:
    """``LayerDiff`` for each article, in the order given. Links are compared through their ends:
    an end in an article outside the list is paired too, so a cross-article link is judged whole,
    and listed under its source span's article if that one is in the list.

    ``loaded``: article id -> (A's, B's) active spans of that article the caller already holds (a
    reader that shows both layers, say); those are not read again."""
    loaded = loaded or {}
    ids = list(dict.fromkeys(article_ids))
    with project.read() as s:
        ann_a = _annotator_id(s, a)
        ann_b = _annotator_id(s, b)
        links_a = _layer_links(s, ids, ann_a) if ids else []
        links_b = _layer_links(s, ids, ann_b) if ids else []
        end_ids = {x for link, _ in (*links_a, *links_b) for x in (link.source_span_id, link.target_span_id)}
        extra: set[int] = set()
        if end_ids:
            extra = set(s.scalars(select(Span.article_id).where(Span.id.in_(end_ids)).distinct())) - set(ids)
        wanted = ids + sorted(extra)
        to_read = [x for x in wanted if x not in loaded]
        spans_a = _layer_spans(s, to_read, ann_a)
        spans_b = _layer_spans(s, to_read, ann_b)
        for aid in wanted:
            if aid in loaded:  # in the order the query gives (the pairing's ties follow it)
                spans_a[aid] = sorted(loaded[aid][0], key=_span_order)
                spans_b[aid] = sorted(loaded[aid][1], key=_span_order)
        # Link ends may be rejected suggestions; place them too.
        where: dict[int, tuple[int, int]] = {}
        if end_ids:
            for sid, aid, start in s.execute(
                select(Span.id, Span.article_id, Span.start).where(Span.id.in_(end_ids))
            ):
                where[sid] = (aid, start)
    span_items: dict[int, list[SpanDiffItem]] = {}
    a_to_b: dict[int, int] = {}
    for aid in wanted:
        items = diff_spans(aid, spans_a.get(aid, []), spans_b.get(aid, []))
        span_items[aid] = items
        for item in items:
            if item.a is not None and item.b is not None:
                a_to_b[item.a.id] = item.b.id
    link_items: dict[int, list[LinkDiffItem]] = defaultdict(list)
    for link_item in _diff_links(links_a, links_b, a_to_b, where):
        link_items[link_item.article_id].append(link_item)
    out = []
    for aid in ids:
        links = sorted(link_items.get(aid, []), key=_link_order)
        out.append(LayerDiff(aid, a, b, tuple(span_items[aid]), tuple(links)))
    return out


def _span_order(span: DiffSpan) -> tuple[int, int, int]:
    return (span.start, span.end, span.id)


def diff_article(
    project: Project,
    article_id: int,
    a: str,
    b: str,
    *,
    spans: tuple[Sequence[DiffSpan], Sequence[DiffSpan]] | None = None,
) -> LayerDiff:
    """``diff_articles`` of one article; ``spans``: (A's, B's) active spans of it, if already read."""
    return diff_articles(project, [article_id], a, b, loaded={article_id: spans} if spans else None)[0]


def disagreement_queue(
    project: Project, article_ids: Iterable[int], a: str, b: str
) -> list[SpanDiffItem | LinkDiffItem]:
    """Everything on which the two layers differ, article by article (in the order given), in
    reading order within an article; a link comes right after the spans at its source span."""
    queue: list[SpanDiffItem | LinkDiffItem] = []
    for diff in diff_articles(project, article_ids, a, b):
        merged: list[tuple[int, int, SpanDiffItem | LinkDiffItem]] = [
            (x.start, 0, x) for x in diff.spans if x.kind != DiffKind.AGREE
        ]
        merged += [(x.start, 1, x) for x in diff.links if x.kind != DiffKind.AGREE]
        merged.sort(key=lambda t: (t[0], t[1]))
        queue += [item for _, _, item in merged]
    return queue


__all__ = [
    "DiffKind",
    "DiffLink",
    "DiffSpan",
    "LayerDiff",
    "LinkDiffItem",
    "SpanDiffItem",
    "classify",
    "diff_article",
    "diff_articles",
    "diff_spans",
    "disagreement_queue",
    "match_spans",
]
