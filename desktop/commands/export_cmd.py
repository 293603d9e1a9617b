"""``newsmark export PROJECT OUT``: write a project's annotations to a file (headless, no Qt)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from db.exporting import DEFAULT_SEED, FORMATS, export
from db.project import open_project


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD") from None


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 < number < 1.0:
        raise argparse.ArgumentTypeError(f"the split is the training share, between 0 and 1 (got {value})")
    return number


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="project file (*.newsmark) or database URL")
    parser.add_argument(
        "out", help="output file; .jsonl, .spacy and .csv choose their format, .json needs --format"
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        help="jsonl (Newsmark/Prodigy), spacy (DocBin), doccano, labelstudio, w3c (Web Annotation), csv",
    )
    layer = parser.add_mutually_exclusive_group()
    layer.add_argument("--annotator", metavar="NAME", help="export only this annotator's layer")
    layer.add_argument("--gold", action="store_true", help="export only the gold (reviewed) layer")
    parser.add_argument(
        "--label", action="append", metavar="L", help="only spans with this label (repeatable)"
    )
    parser.add_argument(
        "--outlet", action="append", metavar="O", help="only articles from this outlet (repeatable)"
    )
    parser.add_argument(
        "--story", action="append", metavar="S", help="only articles of this story (repeatable)"
    )
    parser.add_argument(
        "--since", type=_date, metavar="DATE", help="only articles published on or after DATE"
    )
    parser.add_argument(
        "--until", type=_date, metavar="DATE", help="only articles published on or before DATE"
    )
    parser.add_argument("--reviewed", action="store_true", help="only articles marked reviewed")
    parser.add_argument(
        "--split",
        type=_fraction,
        metavar="FRACTION",
        help="spaCy only: OUT-train.spacy gets this share of articles",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"shuffle seed for --split (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--reviews",
        action="store_true",
        help="export the review decisions and comments (one JSONL line each) instead of annotations",
    )
    parser.add_argument(
        "--no-token-cache",
        action="store_true",
        help="do not keep the tokens in the project (its file stays the same size; the next export is slower)",
    )


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project, create=False)
    if args.reviews:
        from db.exporting.reviews import export_reviews

        try:
            n = export_reviews(project, args.out, reviewer=args.annotator)
        finally:
            project.close()
        print(f"Exported {n} review decision{'s' if n != 1 else ''} to {args.out}.", file=sys.stdout)
        return 0
    try:
        summary = export(
            project,
            args.out,
            fmt=args.fmt,
            annotator=args.annotator,
            gold=args.gold,
            labels=args.label,
            outlets=args.outlet,
            stories=args.story,
            since=args.since,
            until=args.until,
            reviewed=args.reviewed,
            split=args.split,
            seed=args.seed,
            cache_tokens=not args.no_token_cache,
        )
    finally:  # Ctrl+C goes on to the CLI's "interrupted" (exit 130); the partial file is already gone
        project.close()
    print(summary.describe(), file=sys.stdout)
    return 0
