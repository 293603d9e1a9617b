"""Help ▸ Annotation guidelines: what each label marks, with examples from the demo corpus, and
which link to draw between two spans.

The label and link-type definitions come from the open project (a project may have renamed or
added labels); the examples are the hand annotations of the demo story (``resources/demo/spec.json``).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from db.records import LabelRecord, LinkTypeRecord
from db.resources import default_schema, resource

EXAMPLES_PER_LABEL = 3

#: Written guidance on choosing a link type (the definitions themselves come from the project).
LINK_GUIDANCE = """
<h3>Choosing a link</h3>
<p>Ask the questions in this order and draw the first link that fits; if none fits, draw none.</p>
<ol>
<li><b>Same article, an attribution and what it introduces?</b> &rarr; <code>SOURCE_OF</code>, from the
ATTRIBUTION to the CLAIM or EXPERT_OPINION. One attribution may be the source of several claims
("the ministry said A and B"). A claim whose speaker the article never names gets no source.</li>
<li><b>Do both spans assert the same thing?</b> &rarr; <code>SAME_CLAIM</code>. Wording, quotation
versus paraphrase, rounding and the outlet do not matter; the proposition does. Test: if one is
true, is the other true for the same reason? The labels may differ: one outlet reports as a CLAIM
what another asserts as a FACT in its own voice.</li>
<li><b>Can they not both be true?</b> &rarr; <code>CONTRADICTS</code>: three missiles against four, "the
talks were cancelled" against "the talks have not been cancelled". Different opinions about the same
event, or a different emphasis, are not a contradiction unless they assert incompatible things.</li>
<li><b>Does one make the other more credible without saying the same thing?</b> &rarr;
<code>SUPPORTS</code>, from the evidence to what it supports: a FACT (boats diverted, a distance
from the coast) supporting a CLAIM that shipping was put at risk, or an expert's assessment backing
a minister's claim.</li>
</ol>
<p><b>SAME_CLAIM or SUPPORTS?</b> If you could replace one span by the other in the article without
changing what is asserted, it is the same claim. If the source span is a reason to believe the
target, but says something else, it supports it.</p>
<p>Link the spans themselves, not the articles: mark the claim in each outlet first, then link the
claims. Keep the attribution out of a CLAIM span; link the two with SOURCE_OF instead.</p>
"""


@cache
def _spec() -> dict[str, Any]:
    try:
        with resource("demo", "spec.json").open(encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
            return data
    except (OSError, ValueError):
        return {"articles": {}, "links": []}


def examples(label_key: str, limit: int = EXAMPLES_PER_LABEL) -> list[tuple[str, str]]:
    """(quote, outlet) of spans with this label in the demo corpus, one outlet at a time."""
    by_outlet: list[list[tuple[str, str]]] = []
    for article in _spec()["articles"].values():
        quotes = [(s["quote"], article["outlet"]) for s in article["spans"] if s["label"] == label_key]
        if quotes:
            by_outlet.append(quotes)
    picked: list[tuple[str, str]] = []
    depth = 0
    while len(picked) < limit and any(depth < len(q) for q in by_outlet):
        picked += [q[depth] for q in by_outlet if depth < len(q)]
        depth += 1
    return picked[:limit]


def link_example(type_key: str) -> tuple[tuple[str, str, str], tuple[str, str, str]] | None:
    """((quote, label, outlet) of the source, same of the target) of one demo link of this type."""
    spans: dict[str, tuple[str, str, str]] = {}
    for article in _spec()["articles"].values():
        for s in article["spans"]:
            spans[s["name"]] = (s["quote"], s["label"], article["outlet"])
    for link in _spec().get("links", []):
        if link["type"] == type_key and link["source"] in spans and link["target"] in spans:
            return spans[link["source"]], spans[link["target"]]
    return None


def default_records() -> tuple[list[LabelRecord], list[LinkTypeRecord]]:
    """The default schema's labels and link types (when no project is open)."""
    schema = default_schema()
    labels = [
        LabelRecord(0, x["key"], x["name"], x["color"], x.get("shortcut"), x["definition"], i)
        for i, x in enumerate(schema["labels"])
    ]
    types = [
        LinkTypeRecord(0, x["key"], x["name"], x["color"], x["directed"], x["definition"], i)
        for i, x in enumerate(schema["link_types"])
    ]
    return labels, types


def _chip(name: str, color: str) -> str:
    return (
        f"<span style='background:{color};color:white;font-weight:600'>&nbsp;{html.escape(name)}&nbsp;</span>"
    )


def page(labels: Sequence[LabelRecord], link_types: Sequence[LinkTypeRecord]) -> str:
    """The guidelines as HTML."""
    colours = {lb.key: lb.color for lb in labels}
    parts = [
        "<h2>Annotation guidelines</h2>",
        "<p>Select the words, then press the label's key (or its button). Mark the smallest stretch "
        "that carries the meaning: no leading &ldquo;that&rdquo;, no closing punctuation unless it "
        "belongs to a quotation. Spans may overlap and nest.</p>",
        "<h3>Labels</h3>",
    ]
    for lb in labels:
        key = f" &nbsp;key <b>{html.escape(lb.shortcut)}</b>" if lb.shortcut else ""
        parts.append(f"<p>{_chip(lb.name, lb.color)}{key} &nbsp;<code>{lb.key}</code><br>")
        parts.append(f"{html.escape(lb.definition)}</p>")
        quotes = examples(lb.key)
        if quotes:
            items = "".join(
                f"<li>&ldquo;{html.escape(q)}&rdquo; <span style='color:gray'>({html.escape(o)})</span></li>"
                for q, o in quotes
            )
            parts.append(f"<p style='margin-left:12px'><i>From the demo corpus:</i></p><ul>{items}</ul>")
    parts.append("<h3>Link types</h3>")
    for lt in link_types:
        arrow = "directed" if lt.directed else "either way"
        parts.append(
            f"<p>{_chip(lt.name, lt.color)} &nbsp;<code>{lt.key}</code> ({arrow})<br>"
            f"{html.escape(lt.definition)}"
        )
        example = link_example(lt.key)
        if example:
            (sq, sl, so), (tq, tl, to) = example
            parts.append(
                f"<br><span style='color:gray'>Demo:</span> <span style='color:{colours.get(sl, 'gray')}'>"
                f"{html.escape(sl)}</span> &ldquo;{html.escape(sq)}&rdquo; ({html.escape(so)}) &rarr; "
                f"<span style='color:{colours.get(tl, 'gray')}'>{html.escape(tl)}</span> "
                f"&ldquo;{html.escape(tq)}&rdquo; ({html.escape(to)})"
            )
        parts.append("</p>")
    parts.append(LINK_GUIDANCE)
    return "".join(parts)


class GuidelinesDialog(QDialog):
    """A non-modal page of guidelines, to keep open beside the reader."""

    def __init__(
        self,
        labels: Sequence[LabelRecord] | None = None,
        link_types: Sequence[LinkTypeRecord] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinesDialog")
        self.setWindowTitle("Annotation guidelines")
        self.resize(760, 720)
        if labels is None or link_types is None:
            default_labels, default_types = default_records()
            labels = labels if labels is not None else default_labels
            link_types = link_types if link_types is not None else default_types
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guidelinesText")
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDocumentMargin(14)
        self.browser.setHtml(page(labels, link_types))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


def show_guidelines(window: Any) -> GuidelinesDialog:
    """Open the guidelines for the window's project (the default schema without one)."""
    from db.labels import list_labels, list_link_types

    project = getattr(window, "project", None)
    labels = list_labels(project) if project is not None else None
    types = list_link_types(project) if project is not None else None
    dialog = GuidelinesDialog(labels, types, window)
    dialog.show()
    window.guidelines_dialog = dialog
    return dialog
