"""``newsmark import PROJECT PATH...``: import articles and annotations, one line per file."""

from __future__ import annotations

import argparse
import sys

from db.errors import NewsmarkError
from db.importing import FORMATS, FileSummary, ImportSummary, import_paths
from db.project import open_project


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="project file (*.newsmark, created if missing) or database URL")
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or folders (.txt, .html, .jsonl, .json)"
    )
    parser.add_argument(
        "--outlet",
        help="outlet of the imported articles (.txt/.html: instead of the guess; other formats: where the file names none)",
    )
    parser.add_argument("--story", help="story the imported articles belong to (where the file names none)")
    parser.add_argument(
        "--annotator", help='layer for spans whose file names no annotator (default "imported")'
    )
    parser.add_argument("--format", choices=FORMATS, dest="fmt", help="read every file as this format")
    parser.add_argument(
        "--add-labels", action="store_true", help="add labels the project lacks instead of stopping"
    )
    parser.add_argument(
        "--map-label",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="read the file's label OLD as the project's label NEW (repeatable)",
    )
    parser.add_argument(
        "--tokenize",
        action="store_true",
        help="also tokenize the articles for export now (the first JSONL export is then as fast as the "
        "next; the app does this in the background after it opens the project)",
    )


def _label_map(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise NewsmarkError(f"--map-label takes OLD=NEW, not {pair!r}.")
        out[old.strip()] = new.strip()
    return out


def _line(f: FileSummary) -> str:
    parts = [f"{f.articles_added} article(s) added"]
    if f.articles_present:
        parts.append(f"{f.articles_present} already present")
    parts.append(f"{f.spans_added} span(s) added")
    if f.spans_skipped:
        parts.append(f"{f.spans_skipped} duplicate span(s) skipped")
    if f.links_added or f.links_skipped:
        parts.append(f"{f.links_added} link(s) added")
    if f.links_skipped:
        parts.append(f"{f.links_skipped} duplicate link(s) skipped")
    line = f"{f.path} [{f.format}]: " + ", ".join(parts)
    added = f.labels_added + f.link_types_added
    if added:
        line += f"; added to the schema: {', '.join(added)}"
    return line


def run(args: argparse.Namespace) -> int:
    label_map = _label_map(args.map_label)
    with open_project(args.project) as project:
        summary = import_paths(
            project,
            args.paths,
            outlet=args.outlet,
            story=args.story,
            annotator=args.annotator,
            fmt=args.fmt,
            add_labels=args.add_labels,
            label_map=label_map,
        )
        _report(summary)
        if args.tokenize and summary.files:
            # after the import is committed: stopping here (Ctrl+C) keeps every article imported
            from db.exporting.tokens import warm_token_cache

            print(f"tokenized {warm_token_cache(project)} article(s) for export")
    if not summary.files:
        return 1
    return 1 if summary.errors else 0


def _report(summary: ImportSummary) -> None:
    for f in summary.files:
        if f.error is None:
            print(_line(f))
            for warning in f.warnings:
                print(f"{f.path}: warning: {warning}")
    for issue in summary.errors:
        print(f"newsmark: {issue}", file=sys.stderr)
    if not summary.files:
        print("newsmark: no files to import (supported: .txt, .html, .htm, .jsonl, .json)", file=sys.stderr)
        return
    good = len(summary.files) - len(summary.errors)
    print(
        f"total: {good} file(s) imported, {len(summary.errors)} failed; {summary.articles_added} article(s) added, "
        f"{summary.articles_present} already present, {summary.spans_added} span(s) added, "
        f"{summary.spans_skipped} skipped, {summary.links_added} link(s) added",
        flush=True,
    )
