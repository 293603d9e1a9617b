"""Token-level agreement: spaCy tokens labelled from each layer, Cohen's kappa, Krippendorff's alpha.

Each token gets, per layer, the label of the shortest span overlapping it (then the earliest start,
then the oldest span), or "O". The two layers' labels give a confusion matrix per group of
articles, from which kappa and nominal alpha (two coders, tokens as units) are computed. Used by
``db.agreement``; see ``docs/agreement.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.exporting.tokens import TokenCache, tokenizer_key
from db.models import Article, ArticleTokens
from db.project import Project

IntArray = npt.NDArray[np.int64]


class SpanArrays(Protocol):
    """Both layers' spans as parallel arrays (``who`` 0 for A, 1 for B; ``code`` 1..K)."""

    article: IntArray
    who: IntArray
    start: IntArray
    end: IntArray
    code: IntArray


@dataclass(frozen=True, slots=True)
class TokenScores:
    """Token-level agreement from a confusion matrix (rows: A's label, columns: B's)."""

    tokens: int
    observed: float | None
    kappa: float | None
    alpha: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"tokens": self.tokens, "observed": self.observed, "kappa": self.kappa, "alpha": self.alpha}


def cohen_kappa(confusion: npt.NDArray[np.int64]) -> float | None:
    """Cohen's kappa from a square confusion matrix; None when chance agreement is total."""
    n = int(confusion.sum())
    if n == 0:
        return None
    po = float(np.trace(confusion)) / n
    pe = float(confusion.sum(axis=1).astype(np.float64) @ confusion.sum(axis=0).astype(np.float64)) / (n * n)
    if pe >= 1.0:
        return None
    return (po - pe) / (1.0 - pe)


def krippendorff_alpha_nominal(confusion: npt.NDArray[np.int64]) -> float | None:
    """Krippendorff's alpha, nominal, for two coders who both coded every unit.

    The coincidence matrix of two coders is the confusion matrix plus its transpose; with
    n = 2 * units pairable values, alpha = 1 - (n - 1) * disagreeing / sum_{c != k} n_c * n_k.
    """
    coincidence = (confusion + confusion.T).astype(np.float64)
    n = float(coincidence.sum())
    n_c = coincidence.sum(axis=1)
    expected = n * n - float(n_c @ n_c)
    if n <= 1 or expected <= 0:
        return None
    disagreeing = n - float(np.trace(coincidence))
    return 1.0 - (n - 1.0) * disagreeing / expected


def token_scores(confusion: npt.NDArray[np.int64]) -> TokenScores:
    n = int(confusion.sum())
    observed = float(np.trace(confusion)) / n if n else None
    return TokenScores(n, observed, cohen_kappa(confusion), krippendorff_alpha_nominal(confusion))


def binary_confusion(confusion: npt.NDArray[np.int64], code: int) -> npt.NDArray[np.int64]:
    """Collapse a confusion matrix to "this label" against "anything else"."""
    both = int(confusion[code, code])
    a_only = int(confusion[code].sum()) - both
    b_only = int(confusion[:, code].sum()) - both
    rest = int(confusion.sum()) - both - a_only - b_only
    return np.array([[both, a_only], [b_only, rest]], dtype=np.int64)


def token_bounds(
    project: Project, session: Session, article_ids: IntArray
) -> dict[int, tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]]:
    """(starts, ends) of each article's spaCy tokens, from the cache table or computed and cached."""
    wanted = set(article_ids.tolist())
    key = tokenizer_key()
    out: dict[int, tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]] = {}
    query = select(ArticleTokens.article_id, ArticleTokens.n_tokens, ArticleTokens.bounds).where(
        ArticleTokens.tokenizer == key
    )
    for aid, n, blob in session.connection().execute(query):
        if aid in wanted:
            # bounds: n starts then n ends, little-endian int32 (see db.models.ArticleTokens)
            values = np.frombuffer(blob if isinstance(blob, bytes) else bytes(blob), dtype="<i4")
            out[aid] = (values[:n], values[n:])
    missing = sorted(wanted - out.keys())
    if missing:
        cache = TokenCache(project)
        for lo in range(0, len(missing), 500):
            batch = missing[lo : lo + 500]
            texts = session.execute(
                select(Article.id, Article.text).where(Article.id.in_(batch)).order_by(Article.id)
            ).all()
            for aid, toks in cache.for_articles(session, [(r[0], r[1]) for r in texts]).items():
                out[aid] = (np.asarray(toks.starts, dtype=np.int32), np.asarray(toks.ends, dtype=np.int32))
    return out


def token_confusion(
    project: Project,
    session: Session,
    spans: SpanArrays,
    arts: IntArray,
    both: IntArray,
    g_idx: IntArray,
    n_groups: int,
    k1: int,
) -> IntArray:
    """Per group, the (k1 x k1) confusion of token labels over the articles both layers annotated."""
    out = np.zeros((n_groups, k1, k1), dtype=np.int64)
    if len(both) == 0:
        return out
    token_arts = arts[both]
    bounds = token_bounds(project, session, token_arts)
    n_chars: dict[int, int] = {aid: n for aid, n in session.execute(select(Article.id, Article.n_chars))}
    # Lay the articles end to end (each at a base offset), so one searchsorted places every span.
    order = token_arts.tolist()
    counts = np.array([len(bounds[aid][0]) for aid in order], dtype=np.int64)
    sizes = np.array([n_chars[aid] + 1 for aid in order], dtype=np.int64)
    base = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    shift = np.repeat(base, counts)
    g_starts = np.concatenate([bounds[aid][0] for aid in order]).astype(np.int64) + shift
    g_ends = np.concatenate([bounds[aid][1] for aid in order]).astype(np.int64) + shift
    sel = np.isin(spans.article, token_arts)
    art = spans.article[sel]
    lut = np.zeros(int(arts.max()) + 1, dtype=np.int64)
    lut[token_arts] = base
    s = spans.start[sel] + lut[art]
    e = spans.end[sel] + lut[art]
    first = np.searchsorted(g_ends, s, side="right")  # first token ending after the span starts
    last = np.searchsorted(g_starts, e, side="left")  # tokens starting before the span ends
    who = spans.who[sel]
    code = spans.code[sel]
    pos = np.arange(len(s))
    n_tokens = len(g_starts)
    # Work on stretches of tokens rather than tokens: between two span edges (or article starts)
    # both layers' labels are constant, so each stretch counts as its length in tokens.
    layers = [
        _segments(n_tokens, first[who == w], last[who == w], code[who == w], s[who == w], e[who == w], pos[who == w])
        for w in (0, 1)
    ]  # fmt: skip
    art_starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    cuts = sorted_unique(np.concatenate([layers[0][0], layers[1][0], art_starts]))
    cuts = cuts[cuts < n_tokens]
    lengths = np.diff(np.append(cuts, n_tokens))
    label_a = layers[0][1][np.searchsorted(layers[0][0], cuts, side="right") - 1]
    label_b = layers[1][1][np.searchsorted(layers[1][0], cuts, side="right") - 1]
    group = g_idx[both][np.searchsorted(art_starts, cuts, side="right") - 1]
    flat = np.bincount(
        group * k1 * k1 + label_a * k1 + label_b, weights=lengths, minlength=n_groups * k1 * k1
    )
    return np.rint(flat).astype(np.int64).reshape(n_groups, k1, k1)


def sorted_unique(values: IntArray) -> IntArray:
    """Sorted distinct values (np.unique goes through a hash table first; a sort is faster here)."""
    # np.unique goes through a hash table first; a plain sort is faster on these integer arrays.
    values = np.sort(values)
    if len(values) == 0:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _segments(
    n_tokens: int, first: IntArray, last: IntArray, code: IntArray, s: IntArray, e: IntArray, pos: IntArray
) -> tuple[IntArray, IntArray]:
    """One layer's token labels as stretches: (start token of each stretch, its label)."""
    cuts = sorted_unique(np.concatenate([[0], first, last]))
    cuts = cuts[cuts < n_tokens]
    # Span ranges in stretch indexes: every first/last is a cut (or n_tokens, past the last one).
    return cuts, _paint(len(cuts), np.searchsorted(cuts, first), np.searchsorted(cuts, last), code, s, e, pos)


def _paint(
    n_tokens: int, first: IntArray, last: IntArray, code: IntArray, s: IntArray, e: IntArray, pos: IntArray
) -> IntArray:
    """Each unit's label in one layer (units: tokens, or stretches of tokens): the shortest span
    covering units [first, last) wins, then the earliest start, then the oldest span (lowest
    ``pos``); 0 ("O") where no span is."""
    real = first < last  # a span inside the blank between two tokens covers none
    first, last, code, s, e, pos = (x[real] for x in (first, last, code, s, e, pos))
    if not len(first):
        return np.zeros(n_tokens, dtype=np.int64)
    # Difference arrays: how many spans cover each token, and the sum of their label codes, which
    # is the label wherever exactly one span covers the token.
    size = n_tokens + 1
    count = np.cumsum(np.bincount(first, minlength=size) - np.bincount(last, minlength=size))[:n_tokens]
    weights = code.astype(np.float64)
    total = np.cumsum(np.bincount(first, weights, size) - np.bincount(last, weights, size))[:n_tokens]
    labels = np.where(count == 1, np.rint(total), 0).astype(np.int64)
    multi = count >= 2
    if multi.any():
        # Spans that share a token with another: paint them, the winner last.
        prefix = np.concatenate([[0], np.cumsum(multi)])
        involved = np.flatnonzero(prefix[last] - prefix[first] > 0)
        order = involved[np.lexsort((-pos[involved], -s[involved], -(e[involved] - s[involved])))]
        for lo, hi, c in zip(first[order].tolist(), last[order].tolist(), code[order].tolist(), strict=True):
            labels[lo:hi] = c
    return labels


__all__ = [
    "SpanArrays",
    "TokenScores",
    "binary_confusion",
    "cohen_kappa",
    "krippendorff_alpha_nominal",
    "sorted_unique",
    "token_bounds",
    "token_confusion",
    "token_scores",
]
