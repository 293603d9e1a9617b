"""Inter-annotator agreement between two layers: span F1, token kappa and alpha, link F1.

What is measured and how spans are matched and tokens labelled is written up in
``docs/agreement.md``; in short:

- span F1, exact (same start, end, label) and overlap (one-to-one pairs of overlapping spans with
  the same label, exact pairs first, see ``db.layer_diff.match_spans``), A taken as the reference;
- Cohen's kappa and Krippendorff's alpha (nominal, two coders, tokens as units) on spaCy tokens,
  each token labelled with the shortest span covering it (or "O"), on articles both annotated;
- link F1 per link type, a link matching when its type and both end spans are the same.

All counts are additive, so per-article figures are computed once and summed per outlet or for the
project. Spans are read in one scan and handled as numpy arrays; the token measures live in
``db.agreement_tokens`` (tokens come from the ``article_tokens`` cache the exporters keep).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.agreement_tokens import (
    TokenScores,
    binary_confusion,
    cohen_kappa,
    krippendorff_alpha_nominal,
    sorted_unique,
    token_confusion,
    token_scores,
)
from db.annotators import annotator_by_name
from db.errors import NewsmarkError
from db.layer_diff import match_spans
from db.models import Article, Label, Link, LinkType, Outlet, Span
from db.project import Project

BY = ("project", "outlet", "article")
NO_OUTLET = "(no outlet)"

IntArray = npt.NDArray[np.int64]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True, slots=True)
class SpanScores:
    """Span counts of layer A (the reference) and B, and how many pairs match."""

    n_a: int
    n_b: int
    exact: int
    overlap: int

    @property
    def exact_precision(self) -> float | None:
        return _ratio(self.exact, self.n_b)

    @property
    def exact_recall(self) -> float | None:
        return _ratio(self.exact, self.n_a)

    @property
    def exact_f1(self) -> float | None:
        return _ratio(2 * self.exact, self.n_a + self.n_b)

    @property
    def overlap_precision(self) -> float | None:
        return _ratio(self.overlap, self.n_b)

    @property
    def overlap_recall(self) -> float | None:
        return _ratio(self.overlap, self.n_a)

    @property
    def overlap_f1(self) -> float | None:
        return _ratio(2 * self.overlap, self.n_a + self.n_b)

    def to_dict(self) -> dict[str, Any]:
        return {
            "spans_a": self.n_a,
            "spans_b": self.n_b,
            "exact_matches": self.exact,
            "overlap_matches": self.overlap,
            "exact_precision": self.exact_precision,
            "exact_recall": self.exact_recall,
            "exact_f1": self.exact_f1,
            "overlap_precision": self.overlap_precision,
            "overlap_recall": self.overlap_recall,
            "overlap_f1": self.overlap_f1,
        }


@dataclass(frozen=True, slots=True)
class LinkScores:
    n_a: int
    n_b: int
    matched: int

    @property
    def precision(self) -> float | None:
        return _ratio(self.matched, self.n_b)

    @property
    def recall(self) -> float | None:
        return _ratio(self.matched, self.n_a)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.matched, self.n_a + self.n_b)

    def to_dict(self) -> dict[str, Any]:
        return {
            "links_a": self.n_a,
            "links_b": self.n_b,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement over one group of articles (one article, one outlet, or the project)."""

    key: str
    articles: int
    token_articles: int
    spans: SpanScores
    labels: dict[str, SpanScores]
    tokens: TokenScores
    label_tokens: dict[str, TokenScores]
    links: LinkScores
    link_types: dict[str, LinkScores]
    article_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "article_id": self.article_id,
            "articles": self.articles,
            "token_articles": self.token_articles,
            "overall": {**self.spans.to_dict(), **self.tokens.to_dict(), "link_f1": self.links.f1},
            "labels": {
                key: {**scores.to_dict(), **self.label_tokens[key].to_dict()}
                for key, scores in self.labels.items()
            },
            "links": self.links.to_dict(),
            "link_types": {key: scores.to_dict() for key, scores in self.link_types.items()},
        }


@dataclass(frozen=True, slots=True)
class AgreementReport:
    annotator_a: str
    annotator_b: str
    by: str
    labels: tuple[str, ...]
    link_types: tuple[str, ...]
    total: Agreement
    groups: tuple[Agreement, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotator_a": self.annotator_a,
            "annotator_b": self.annotator_b,
            "by": self.by,
            "labels": list(self.labels),
            "total": self.total.to_dict(),
            "groups": [g.to_dict() for g in self.groups],
        }


# -- loading ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Spans:
    """Both layers' spans as parallel arrays, sorted by article, layer (0 = A, 1 = B), start, end."""

    article: IntArray
    who: IntArray
    start: IntArray
    end: IntArray
    code: IntArray  # 1..K for the labels in order; 0 is "O"


def _load_spans(session: Session, a_id: int, b_id: int, codes: dict[int, int]) -> _Spans:
    # No ORDER BY: a plain scan and a numpy sort are faster than SQLite's sort through an index.
    query = select(Span.article_id, Span.annotator_id, Span.start, Span.end, Span.label_id, Span.id).where(
        Span.annotator_id.in_([a_id, b_id]), Span.status == "active"
    )
    # Through the driver's own cursor: plain tuples, which numpy takes in one go (the only
    # parameters are integers and a constant, inlined when compiling).
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    chunks: list[IntArray] = []
    try:
        cursor.execute(sql)
        while part := cursor.fetchmany(100_000):
            chunks.append(np.array(part, dtype=np.int64).reshape(-1, 6))
    finally:
        cursor.close()
    rows = np.concatenate(chunks) if chunks else np.zeros((0, 6), dtype=np.int64)
    lut = np.zeros(int(rows[:, 4].max()) + 1 if len(rows) else 1, dtype=np.int64)
    for label_id, code in codes.items():
        if label_id < len(lut):
            lut[label_id] = code
    code_col = lut[rows[:, 4]]
    keep = code_col > 0
    rows, code_col = rows[keep], code_col[keep]
    who = (rows[:, 1] == b_id).astype(np.int64)
    # article, layer, start, end, then the oldest span first (ties in token labelling go to it)
    order = np.lexsort((rows[:, 5], rows[:, 3], rows[:, 2], who, rows[:, 0]))
    return _Spans(rows[order, 0], who[order], rows[order, 2], rows[order, 3], code_col[order])


# -- the computation --------------------------------------------------------------------------


def _span_counts(spans: _Spans, arts: IntArray, k1: int) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Per article and label code: spans of A, spans of B, exact matches, overlap matches."""
    n_art = len(arts)
    size = n_art * k1
    art_idx = np.searchsorted(arts, spans.article)
    flat = art_idx * k1 + spans.code
    n_a = np.bincount(flat[spans.who == 0], minlength=size).reshape(n_art, k1)
    n_b = np.bincount(flat[spans.who == 1], minlength=size).reshape(n_art, k1)
    n = len(flat)
    if n == 0:
        return n_a, n_b, np.zeros_like(n_a), np.zeros_like(n_a)
    # Exact: identical (article, start, end, label) keys, counted as multisets.
    order = np.lexsort((spans.who, spans.code, spans.end, spans.start, art_idx))
    art_s, st, en, co, wh = (x[order] for x in (art_idx, spans.start, spans.end, spans.code, spans.who))
    new_key = np.ones(n, dtype=bool)
    new_key[1:] = (art_s[1:] != art_s[:-1]) | (st[1:] != st[:-1]) | (en[1:] != en[:-1]) | (co[1:] != co[:-1])
    key_id = np.cumsum(new_key) - 1
    n_keys = int(key_id[-1]) + 1
    count_a = np.bincount(key_id[wh == 0], minlength=n_keys)
    count_b = np.bincount(key_id[wh == 1], minlength=n_keys)
    matched = np.minimum(count_a, count_b)
    firsts = np.flatnonzero(new_key)
    exact = np.bincount(art_s[firsts] * k1 + co[firsts], weights=matched, minlength=size)
    exact = exact.astype(np.int64).reshape(n_art, k1)
    # The rest of each key group (beyond the matched ones, per layer) is left for overlap matching.
    new_sub = new_key.copy()
    new_sub[1:] |= wh[1:] != wh[:-1]
    sub_start = np.maximum.accumulate(np.where(new_sub, np.arange(n), 0))
    left = (np.arange(n) - sub_start) >= matched[key_id]
    overlap = exact.copy()
    idx = np.flatnonzero(left)
    if len(idx):
        l_art, l_st, l_en, l_co, l_wh = art_s[idx], st[idx], en[idx], co[idx], wh[idx]
        has_a = np.bincount(l_art[l_wh == 0], minlength=n_art) > 0
        has_b = np.bincount(l_art[l_wh == 1], minlength=n_art) > 0
        keep = (has_a & has_b)[l_art]
        l_art, l_st, l_en, l_co, l_wh = (x[keep] for x in (l_art, l_st, l_en, l_co, l_wh))
        if len(l_art):
            bounds = [*np.flatnonzero(np.r_[True, l_art[1:] != l_art[:-1]]).tolist(), len(l_art)]
            rows = list(zip(l_st.tolist(), l_en.tolist(), l_co.tolist(), l_wh.tolist(), strict=True))
            arts_l = l_art.tolist()
            for lo, hi in itertools.pairwise(bounds):
                side_a = [(s, e, c) for s, e, c, w in rows[lo:hi] if w == 0]
                side_b = [(s, e, c) for s, e, c, w in rows[lo:hi] if w == 1]
                row = overlap[arts_l[lo]]
                for i, _ in match_spans(side_a, side_b, same_label=True):
                    row[side_a[i][2]] += 1
    return n_a, n_b, exact, overlap


def agreement(
    project: Project,
    a: str,
    b: str,
    *,
    article_ids: Iterable[int] | None = None,
    by: str = "project",
    labels: Iterable[str] | None = None,
) -> AgreementReport:
    """Agreement between layers ``a`` (the reference) and ``b`` over ``article_ids`` (default: all),
    grouped ``by`` "project", "outlet" or "article". ``labels`` restricts the comparison to spans
    with those labels (others are ignored, as if absent)."""
    if by not in BY:
        raise NewsmarkError(f"Cannot group agreement by {by!r}: use one of {', '.join(BY)}.")
    with project.read() as s:
        ann_a = annotator_by_name(s, a)
        ann_b = annotator_by_name(s, b)
        if ann_a.id == ann_b.id:
            raise NewsmarkError("Agreement needs two different annotators.")
        schema: list[tuple[int, str]] = [
            (lid, key)
            for lid, key in s.execute(select(Label.id, Label.key).order_by(Label.position, Label.id))
        ]
        wanted_labels = list(dict.fromkeys(labels)) if labels is not None else None
        if wanted_labels is not None:
            unknown = [x for x in wanted_labels if x not in {key for _, key in schema}]
            if unknown:
                raise NewsmarkError(f"There is no label {unknown[0]!r} in this project.")
            schema = [(lid, key) for lid, key in schema if key in wanted_labels]
        label_keys = [key for _, key in schema]
        codes = {lid: i + 1 for i, (lid, _) in enumerate(schema)}
        k1 = len(label_keys) + 1
        spans = _load_spans(s, ann_a.id, ann_b.id, codes)
        if article_ids is not None:
            chosen = np.array(sorted(set(article_ids)), dtype=np.int64)
            keep = np.isin(spans.article, chosen)
            spans = _Spans(
                *(arr[keep] for arr in (spans.article, spans.who, spans.start, spans.end, spans.code))
            )
        arts = sorted_unique(spans.article)

        # Group of each article
        groups, group_of = _groups(s, by, arts)
        n_groups = len(groups)
        g_idx = np.array([group_of[int(x)] for x in arts], dtype=np.int64)

        n_a, n_b, exact, overlap = _span_counts(spans, arts, k1)
        both_ids = np.flatnonzero((n_a.sum(axis=1) > 0) & (n_b.sum(axis=1) > 0))

        confusion = token_confusion(project, s, spans, arts, both_ids, g_idx, n_groups, k1)
        link_counts, type_keys = _link_counts(s, ann_a.id, ann_b.id, codes, arts, g_idx, n_groups)

    def sum_by_group(values: IntArray) -> IntArray:
        out = np.zeros((n_groups, *values.shape[1:]), dtype=np.int64)
        np.add.at(out, g_idx, values)
        return out

    g_na, g_nb, g_ex, g_ov = (sum_by_group(x) for x in (n_a, n_b, exact, overlap))
    g_articles = np.bincount(g_idx, minlength=n_groups)
    g_tok_articles = np.bincount(g_idx[both_ids], minlength=n_groups)

    def build(key: str, sel: slice, article_id: int | None) -> Agreement:
        na, nb, ex, ov = (x[sel].sum(axis=0) for x in (g_na, g_nb, g_ex, g_ov))
        conf = confusion[sel].sum(axis=0)
        per_label = {
            key_: SpanScores(int(na[c]), int(nb[c]), int(ex[c]), int(ov[c]))
            for c, key_ in enumerate(label_keys, 1)
        }
        overall = SpanScores(int(na.sum()), int(nb.sum()), int(ex.sum()), int(ov.sum()))
        lc = link_counts[sel].sum(axis=0)
        per_type = {
            t: LinkScores(int(lc[j, 0]), int(lc[j, 1]), int(lc[j, 2])) for j, t in enumerate(type_keys)
        }
        all_links = LinkScores(int(lc[:, 0].sum()), int(lc[:, 1].sum()), int(lc[:, 2].sum()))
        return Agreement(
            key=key,
            articles=int(g_articles[sel].sum()),
            token_articles=int(g_tok_articles[sel].sum()),
            spans=overall,
            labels=per_label,
            tokens=token_scores(conf),
            label_tokens={
                key_: token_scores(binary_confusion(conf, c)) for c, key_ in enumerate(label_keys, 1)
            },
            links=all_links,
            link_types=per_type,
            article_id=article_id,
        )

    total = build("project", slice(None), None)
    group_reports: tuple[Agreement, ...] = ()
    if by != "project":
        group_reports = tuple(
            build(name, slice(g, g + 1), int(name) if by == "article" else None)
            for g, name in enumerate(groups)
        )
    return AgreementReport(a, b, by, tuple(label_keys), tuple(type_keys), total, group_reports)


def _groups(session: Session, by: str, arts: IntArray) -> tuple[list[str], dict[int, int]]:
    if by == "article":
        return [str(x) for x in arts.tolist()], {int(x): i for i, x in enumerate(arts.tolist())}
    if by == "project":
        return ["project"], dict.fromkeys(arts.tolist(), 0)
    names: dict[int, str] = {}
    for aid, outlet in session.execute(
        select(Article.id, Outlet.name).outerjoin(Outlet, Article.outlet_id == Outlet.id)
    ):
        names[aid] = outlet or NO_OUTLET
    ordered = sorted({names.get(int(x), NO_OUTLET) for x in arts.tolist()})
    index = {name: i for i, name in enumerate(ordered)}
    return ordered, {int(x): index[names.get(int(x), NO_OUTLET)] for x in arts.tolist()}


def _link_counts(
    session: Session,
    a_id: int,
    b_id: int,
    codes: dict[int, int],
    arts: IntArray,
    g_idx: IntArray,
    n_groups: int,
) -> tuple[IntArray, list[str]]:
    """Per group and link type: links in A, links in B, links matched (type and both ends exact)."""
    type_keys = list(session.scalars(select(LinkType.key).order_by(LinkType.position, LinkType.id)))
    t_index = {key: j for j, key in enumerate(type_keys)}
    out = np.zeros((n_groups, len(type_keys), 3), dtype=np.int64)
    group_of = dict(zip(arts.tolist(), g_idx.tolist(), strict=True))
    src, dst = aliased(Span), aliased(Span)
    query = (
        select(
            Link.annotator_id,
            LinkType.key,
            LinkType.directed,
            src.article_id,
            src.start,
            src.end,
            src.label_id,
            dst.article_id,
            dst.start,
            dst.end,
            dst.label_id,
        )
        .join(LinkType, Link.type_id == LinkType.id)
        .join(src, Link.source_span_id == src.id)
        .join(dst, Link.target_span_id == dst.id)
        .where(Link.annotator_id.in_([a_id, b_id]))
    )
    layers: dict[int, dict[int, Counter[tuple[Any, ...]]]] = {
        0: defaultdict(Counter),
        1: defaultdict(Counter),
    }
    for who, key, directed, *ends in session.execute(query):
        if codes.get(ends[3]) is None or codes.get(ends[7]) is None:
            continue  # an end outside the labels compared
        one, two = tuple(ends[:4]), tuple(ends[4:])
        if not directed and two < one:
            one, two = two, one
        g = group_of.get(one[0])
        if g is None:
            continue  # source article outside the compared set
        layers[0 if who == a_id else 1][g][(key, one, two)] += 1
    for g in range(n_groups):
        la, lb = layers[0].get(g, Counter()), layers[1].get(g, Counter())
        for (key, *_), n in la.items():
            out[g, t_index[key], 0] += n
        for link, n in lb.items():
            out[g, t_index[link[0]], 1] += n
            out[g, t_index[link[0]], 2] += min(n, la.get(link, 0))
    return out, type_keys


__all__ = [
    "BY",
    "Agreement",
    "AgreementReport",
    "LinkScores",
    "SpanScores",
    "TokenScores",
    "agreement",
    "binary_confusion",
    "cohen_kappa",
    "krippendorff_alpha_nominal",
    "token_scores",
]
