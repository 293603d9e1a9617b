"""Claim clusters and the claims matrix: which outlet carried which claim, first, and who disputes it.

A cluster is a set of spans that SAME_CLAIM links join (connected components); a CLAIM or
EXPERT_OPINION span in no SAME_CLAIM link is a cluster of its own, so the matrix lists every claim.
The matrix has one row per cluster and one column per outlet; its records hold ids, so a view can
open the span behind any cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import aliased

from db.errors import NewsmarkError, NotFoundError
from db.models import Annotator, Article, Label, Link, LinkType, Outlet, Span, Story
from db.project import Project

#: Labels whose spans are rows of the matrix even when nothing links them.
CLAIM_LABELS = ("CLAIM", "EXPERT_OPINION")
NO_OUTLET = "(no outlet)"


@dataclass(frozen=True, slots=True)
class Cluster:
    """Spans that carry one claim. ``key`` is the lowest span id (stable while the spans are)."""

    key: int
    span_ids: tuple[int, ...]
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]
    first_date: dt.date | None
    first_article_id: int
    contradicts: tuple[int, ...]  # keys of the clusters a CONTRADICTS link joins to this one
    self_contradicted: bool  # a CONTRADICTS link between two of its own spans


@dataclass(frozen=True, slots=True)
class Cell:
    span_id: int
    article_id: int
    text: str
    label: str
    attribution_text: str | None
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class MatrixRow:
    cluster: Cluster
    cells: tuple[tuple[Cell, ...] | None, ...]  # one entry per outlet column
    contradicted: bool
    contradicts_rows: tuple[int, ...]  # indexes into Matrix.rows

    @property
    def n_outlets(self) -> int:
        return len(self.cluster.outlets)

    @property
    def text(self) -> str:
        """The claim's wording in its first appearance."""
        first = [
            c for cells in self.cells if cells for c in cells if c.article_id == self.cluster.first_article_id
        ]
        if first:
            return first[0].text
        return next(c.text for cells in self.cells if cells for c in cells)


@dataclass(frozen=True, slots=True)
class Matrix:
    outlets: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    sort: str


@dataclass(frozen=True, slots=True)
class _SpanRow:
    id: int
    article_id: int
    label: str
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class _ArticleRow:
    id: int
    outlet: str
    published: dt.date | None


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The lower id becomes the root, so a cluster's key is its lowest span id.
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


@dataclass(frozen=True, slots=True)
class _Data:
    articles: dict[int, _ArticleRow]
    spans: dict[int, _SpanRow]
    links: list[tuple[str, int, int]]  # (type key, source span id, target span id)
    order: dict[int, tuple[bool, dt.date, int]]  # article id -> sort key of first appearance


_Stmt = Select[*tuple[Any, ...]]


@functools.lru_cache(maxsize=8)
def _statements(by_story: bool, by_ids: bool, by_annotators: bool) -> tuple[_Stmt, _Stmt, _Stmt]:
    """The three reads of the matrix, built once per kind of filter (values go in as parameters)."""
    arts = select(Article.id)
    if by_story:
        arts = arts.where(Article.story_id.in_(select(Story.id).where(Story.name == bindparam("story"))))
    if by_ids:
        arts = arts.where(Article.id.in_(bindparam("ids", expanding=True)))
    article_q = (
        select(Article.id, Outlet.name, Article.published)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(Article.id.in_(arts))
    )
    span_q = (
        select(Span.id, Span.article_id, Label.key, Span.text, Span.start)
        .join(Label, Span.label_id == Label.id)
        .where(Span.article_id.in_(arts), Span.status == "active")
    )
    if by_annotators:
        span_q = span_q.join(Annotator, Span.annotator_id == Annotator.id).where(
            Annotator.name.in_(bindparam("annotators", expanding=True))
        )
    src, dst = aliased(Span), aliased(Span)
    link_q = (
        select(LinkType.key, Link.source_span_id, Link.target_span_id)
        .join(LinkType, Link.type_id == LinkType.id)
        .join(src, Link.source_span_id == src.id)
        .join(dst, Link.target_span_id == dst.id)
        .where(
            LinkType.key.in_(("SAME_CLAIM", "CONTRADICTS", "SOURCE_OF")),
            src.article_id.in_(arts),
            dst.article_id.in_(arts),
        )
    )
    return article_q, span_q, link_q


def _load(
    project: Project,
    story: str | None,
    article_ids: Iterable[int] | None,
    annotators: Iterable[str] | None,
) -> _Data:
    params: dict[str, Any] = {}
    if story is not None:
        params["story"] = story
    if article_ids is not None:
        params["ids"] = list(article_ids)
    if annotators is not None:
        params["annotators"] = list(annotators)
    article_q, span_q, link_q = _statements(
        story is not None, article_ids is not None, annotators is not None
    )
    with project.read() as session:
        if story is not None and session.scalar(select(Story.id).where(Story.name == story)) is None:
            raise NotFoundError(f"There is no story {story!r} in this project.")
        # Core execution (no ORM row processing): this runs each time the matrix is refreshed.
        s = session.connection()
        articles = {
            r[0]: _ArticleRow(r[0], r[1] or NO_OUTLET, r[2]) for r in s.execute(article_q, params).all()
        }
        spans = {r[0]: _SpanRow(*r) for r in s.execute(span_q, params).all()}
        links = [
            (r[0], r[1], r[2]) for r in s.execute(link_q, params).all() if r[1] in spans and r[2] in spans
        ]
    order = {a.id: (a.published is None, a.published or dt.date.min, a.id) for a in articles.values()}
    return _Data(articles, spans, links, order)


def _clusters(data: _Data) -> list[Cluster]:
    uf = _UnionFind()
    for kind, a, b in data.links:
        if kind == "SAME_CLAIM":
            uf.union(a, b)
    for span in data.spans.values():
        if span.label in CLAIM_LABELS:
            uf.find(span.id)
    members: dict[int, list[int]] = {}
    for span_id in list(uf.parent):
        members.setdefault(uf.find(span_id), []).append(span_id)
    contradicts: dict[int, set[int]] = {}
    self_contradicted: set[int] = set()
    for kind, a, b in data.links:
        if kind != "CONTRADICTS" or a not in uf.parent or b not in uf.parent:
            continue
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            self_contradicted.add(ra)
        else:
            contradicts.setdefault(ra, set()).add(rb)
            contradicts.setdefault(rb, set()).add(ra)
    out: list[Cluster] = []
    for key, span_ids in members.items():
        span_ids.sort()
        article_ids = sorted({data.spans[i].article_id for i in span_ids}, key=data.order.__getitem__)
        first = article_ids[0]
        out.append(
            Cluster(
                key=key,
                span_ids=tuple(span_ids),
                article_ids=tuple(article_ids),
                outlets=tuple(sorted({data.articles[a].outlet for a in article_ids})),
                first_date=data.articles[first].published,
                first_article_id=first,
                contradicts=tuple(sorted(contradicts.get(key, ()))),
                self_contradicted=key in self_contradicted,
            )
        )
    out.sort(key=lambda c: (data.order[c.first_article_id], min(data.spans[i].start for i in c.span_ids)))
    return out


def claim_clusters(
    project: Project,
    story: str | None = None,
    article_ids: Iterable[int] | None = None,
    annotators: Iterable[str] | None = None,
) -> list[Cluster]:
    """Clusters of the spans in a story's (or these) articles, in order of first appearance.

    ``annotators`` limits the spans to those layers (default: every layer)."""
    return _clusters(_load(project, story, article_ids, annotators))


def _attributions(data: _Data) -> dict[int, str]:
    """Claim span id -> the text of the ATTRIBUTION span joined to it by SOURCE_OF."""
    out: dict[int, str] = {}
    for kind, a, b in sorted(data.links, key=lambda x: (x[1], x[2])):
        if kind != "SOURCE_OF":
            continue
        src, dst = data.spans[a], data.spans[b]
        if src.label == "ATTRIBUTION" and dst.label != "ATTRIBUTION":
            out.setdefault(dst.id, src.text)
        elif dst.label == "ATTRIBUTION" and src.label != "ATTRIBUTION":
            out.setdefault(src.id, dst.text)
    return out


def claims_matrix(
    project: Project,
    story: str | None = None,
    sort: Literal["outlets", "first"] = "outlets",
    *,
    article_ids: Iterable[int] | None = None,
    annotators: Iterable[str] | None = None,
) -> Matrix:
    """One row per claim cluster, one column per outlet (sorted by name).

    ``sort="outlets"``: rows carried by more outlets first, then by first appearance;
    ``sort="first"``: by first appearance, then by number of outlets."""
    if sort not in ("outlets", "first"):
        raise NewsmarkError(f"Cannot sort the claims matrix by {sort!r}: use 'outlets' or 'first'.")
    data = _load(project, story, article_ids, annotators)
    clusters = _clusters(data)
    outlets = tuple(sorted({a.outlet for a in data.articles.values()}))
    column = {name: i for i, name in enumerate(outlets)}
    attribution = _attributions(data)
    position = {c.key: i for i, c in enumerate(clusters)}  # first-appearance order
    if sort == "outlets":
        clusters = sorted(clusters, key=lambda c: (-len(c.outlets), position[c.key]))
    row_of = {c.key: i for i, c in enumerate(clusters)}
    rows: list[MatrixRow] = []
    for cluster in clusters:
        cells: list[list[Cell] | None] = [None] * len(outlets)
        for span_id in sorted(
            cluster.span_ids,
            key=lambda i: (data.order[data.spans[i].article_id], data.spans[i].start),
        ):
            span = data.spans[span_id]
            article = data.articles[span.article_id]
            slot = cells[column[article.outlet]]
            if slot is None:
                slot = cells[column[article.outlet]] = []
            slot.append(
                Cell(
                    span.id,
                    span.article_id,
                    span.text,
                    span.label,
                    attribution.get(span.id),
                    article.published,
                )
            )
        rows.append(
            MatrixRow(
                cluster=cluster,
                cells=tuple(tuple(c) if c is not None else None for c in cells),
                contradicted=bool(cluster.contradicts) or cluster.self_contradicted,
                contradicts_rows=tuple(sorted(row_of[k] for k in cluster.contradicts)),
            )
        )
    return Matrix(outlets=outlets, rows=tuple(rows), sort=sort)


def cell_text(cell: Cell) -> str:
    """'LABEL: text [attribution] (date)', as the CSV export writes a cell."""
    out = f"{cell.label}: {cell.text}"
    if cell.attribution_text:
        out += f" [{cell.attribution_text}]"
    if cell.date is not None:
        out += f" ({cell.date.isoformat()})"
    return out


def matrix_to_csv(matrix: Matrix, path: str | Path) -> Path:
    """Write the matrix as CSV (UTF-8 with BOM, for spreadsheets); the file appears whole or not at all.

    Columns: row, claim, one per outlet, outlets (count), contradicted (row numbers, 1-based,
    "self" when the cluster contradicts itself). Several spans of one outlet share a cell, one per line.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise NewsmarkError(f"{target.parent}: no such folder to export into.")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["row", "claim", *matrix.outlets, "outlets", "contradicted"])
            for n, row in enumerate(matrix.rows, start=1):
                flags: list[str] = [str(i + 1) for i in row.contradicts_rows]
                if row.cluster.self_contradicted:
                    flags.append("self")
                writer.writerow(
                    [
                        n,
                        row.text,
                        *("\n".join(cell_text(c) for c in cells) if cells else "" for cells in row.cells),
                        row.n_outlets,
                        "; ".join(flags),
                    ]
                )
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def rows_for_outlets(matrix: Matrix, outlets: Sequence[str]) -> list[MatrixRow]:
    """The rows that every one of ``outlets`` carries."""
    cols = [matrix.outlets.index(o) for o in outlets]
    return [r for r in matrix.rows if all(r.cells[c] is not None for c in cols)]
