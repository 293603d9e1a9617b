"""``newsmark suggest PROJECT --spans|--links``: print suggestions (headless, no Qt).

``--spans``: spaCy/rule suggestions per article (ATTRIBUTION, CLAIM, EXPERT_OPINION, FACT and the
SOURCE_OF links between them), leaving out what the annotator already has or rejected.
``--links``: candidate links between passages of different outlets (``db.link_suggest``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from db.errors import NewsmarkError
from db.project import open_project


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="project file (*.newsmark) or database URL")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--spans", action="store_true", help="suggest spans in each article")
    what.add_argument("--links", action="store_true", help="suggest links between passages across outlets")
    parser.add_argument("--article", metavar="ID", help="only this article (its 12-hex id or its number)")
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        default="suggestions",
        help="leave out what this annotator already has or rejected (default: %(default)s)",
    )
    parser.add_argument("--story", metavar="NAME", help="with --links: only this story")
    parser.add_argument("--model", metavar="PIPELINE", help="spaCy pipeline to use ('blank' for rules only)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _spans_table(result: dict[str, Any]) -> list[str]:
    """One row per suggestion: article id, #, start, end, label, text; then the SOURCE_OF links."""
    uid = result["article_id"]
    lines = [f"# article {uid}: {len(result['spans'])} suggestion(s) from {result['pipeline']}"]
    for i, s in enumerate(result["spans"]):
        text = " ".join(s["text"].split())
        if len(text) > 90:
            text = text[:87] + "..."
        lines.append(f"{uid}  #{i:<3} {s['start']:>6} {s['end']:>6}  {s['label']:<14}  {text}")
    for lk in result["links"]:
        lines.append(f"{uid}  {lk['type']}  #{lk['source']} -> #{lk['target']}")
    return lines


def _run_spans(args: argparse.Namespace) -> int:
    from db.suggest import load_pipeline
    from db.suggest.article import article_refs, resolve_article, suggest_for_article

    if args.story:
        raise NewsmarkError("--story goes with --links; use --article to choose an article for --spans.")
    with open_project(args.project, create=False) as project:
        nlp = load_pipeline(args.model)
        if args.article:
            ids = [resolve_article(project, args.article)]
        else:
            ids = [i for i, _ in article_refs(project)]
        results = [suggest_for_article(project, i, args.annotator, nlp=nlp).to_dict() for i in ids]
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        out: list[str] = []
        for r in results:
            out += [*_spans_table(r), ""]
        print("\n".join(out).rstrip() or "(no articles)")
    return 0


def _run_links(args: argparse.Namespace) -> int:
    """Candidate links across outlets (``db.link_suggest``), for ``--story`` or every story, best first.

    Text: per candidate, the score and both sides' article ids and code-point offsets, then both
    passages. ``--json``: a list of ``LinkCandidate.to_dict()``."""
    from db.link_suggest import suggest_links_for_project

    if args.article:
        raise NewsmarkError("--article goes with --spans; use --story to choose a story for --links.")
    with open_project(args.project, create=False) as project:
        candidates = suggest_links_for_project(project, story=args.story)
    if args.json:
        print(json.dumps([c.to_dict() for c in candidates], indent=2, ensure_ascii=False))
        return 0
    lines: list[str] = []
    for c in candidates:
        lines.append(
            f"{c.score:.2f}  {c.source_article_uid} {c.source_start}-{c.source_end}"
            f"  <->  {c.target_article_uid} {c.target_start}-{c.target_end}"
        )
        lines.append(f"      {' '.join(c.source_text.split())}")
        lines.append(f"      {' '.join(c.target_text.split())}")
    lines.append(f"{len(candidates)} link suggestion(s)" if candidates else "(no link suggestions)")
    print("\n".join(lines))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.links:
        return _run_links(args)
    return _run_spans(args)


if __name__ == "__main__":  # pragma: no cover
    from desktop.cli import main

    sys.exit(main(["suggest", *sys.argv[1:]]))
