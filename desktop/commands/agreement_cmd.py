"""``newsmark agreement PROJECT ANNOTATOR_A ANNOTATOR_B [--json] [--by article|outlet|project] [--label L]``.

Prints span F1 (exact and overlap), token kappa and alpha and link F1 between two layers, overall
and per label, for the project or per outlet or article. A is the reference for precision/recall.
"""

from __future__ import annotations

import argparse
import json

from db.agreement import BY, Agreement, AgreementReport, agreement
from db.project import open_project


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="project file (*.newsmark) or database URL")
    parser.add_argument("annotator_a", help="the reference layer (precision and recall are relative to it)")
    parser.add_argument("annotator_b", help="the layer compared with it (may be gold)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--by", choices=BY, default="project", help="group the figures (default: project)")
    parser.add_argument(
        "--label",
        action="append",
        default=None,
        metavar="L",
        help="compare only spans with this label (repeatable)",
    )


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_group(group: Agreement, title: str) -> list[str]:
    head = f"{'':<16}{'A':>7}{'B':>7}{'F1 exact':>10}{'F1 overlap':>12}{'kappa':>8}{'alpha':>8}"
    lines = [title, head]
    s, t = group.spans, group.tokens
    lines.append(
        f"{'all labels':<16}{s.n_a:>7}{s.n_b:>7}{_num(s.exact_f1):>10}{_num(s.overlap_f1):>12}"
        f"{_num(t.kappa):>8}{_num(t.alpha):>8}"
    )
    for key, sc in group.labels.items():
        tk = group.label_tokens[key]
        lines.append(
            f"{key:<16}{sc.n_a:>7}{sc.n_b:>7}{_num(sc.exact_f1):>10}{_num(sc.overlap_f1):>12}"
            f"{_num(tk.kappa):>8}{_num(tk.alpha):>8}"
        )
    lines.append(f"{'links':<16}{group.links.n_a:>7}{group.links.n_b:>7}{_num(group.links.f1):>10}")
    for key, ls in group.link_types.items():
        if ls.n_a or ls.n_b:
            lines.append(f"{'  ' + key:<16}{ls.n_a:>7}{ls.n_b:>7}{_num(ls.f1):>10}")
    lines.append(
        f"{group.articles} article(s), {group.token_articles} annotated by both ({t.tokens} tokens for kappa/alpha)"
    )
    return lines


def format_report(report: AgreementReport) -> str:
    lines = [f"Agreement: {report.annotator_a} (A, reference) vs {report.annotator_b} (B)", ""]
    for group in report.groups:
        lines += [*format_group(group, f"{report.by} {group.key}"), ""]
    lines += format_group(report.total, "project")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project, create=False) as project:
        report = agreement(project, args.annotator_a, args.annotator_b, by=args.by, labels=args.label)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0
