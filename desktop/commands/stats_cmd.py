"""``newsmark stats PROJECT [--json]``: what a project holds."""

from __future__ import annotations

import argparse
import json
from typing import Any

from db.project import open_project
from db.stats import project_stats


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="project file (*.newsmark) or database URL")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def format_stats(stats: dict[str, Any]) -> str:
    lines = [
        f"{stats['project']}: {stats['articles']} article(s), {stats['spans']} span(s), {stats['links']} link(s), "
        f"{stats['stories']} story(ies)",
        "",
        "Articles per outlet",
    ]
    outlets = stats["articles_per_outlet"]
    width = max((len(name) for name in outlets), default=0)
    lines += [f"  {name:<{width}}  {count:>6}" for name, count in outlets.items()] or ["  (none)"]
    lines += ["", "Spans per label and annotator"]
    who = stats["annotators"]
    if who:
        label_w = max(len(k) for k in stats["spans_per_label"])
        cols = [max(len(a), 6) for a in who]
        lines.append("  " + " " * label_w + "".join(f"  {a:>{w}}" for a, w in zip(who, cols, strict=True)))
        for key, by in stats["spans_per_label"].items():
            lines.append(
                f"  {key:<{label_w}}" + "".join(f"  {by[a]:>{w}}" for a, w in zip(who, cols, strict=True))
            )
    else:
        lines.append("  (none)")
    lines += ["", "Links per type"]
    types = stats["links_per_type"]
    type_w = max((len(k) for k in types), default=0)
    lines += [f"  {key:<{type_w}}  {count:>6}" for key, count in types.items()] or ["  (none)"]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project, create=False) as project:
        stats = project_stats(project)
    print(json.dumps(stats, indent=2, ensure_ascii=False) if args.json else format_stats(stats))
    return 0
