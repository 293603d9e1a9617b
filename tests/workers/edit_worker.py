"""A scripted analyst for the durability tests: random edits through the same services the GUI uses.

Usage: python -m tests.workers.edit_worker PROJECT JOURNAL SEED [MAX_EDITS] [ANNOTATOR]

Before each edit it appends an ``intent`` line to JOURNAL, and after the service call returns
(the edit is committed) a ``done`` line, each flushed and fsynced. The verifier replays the done
edits and allows the last intent to be either applied or not: that is the edit in flight at a kill.
"""

from __future__ import annotations

import json
import os
import random
import sys

from db.articles import add_article
from db.links import add_link, delete_link
from db.project import open_project
from db.spans import add_span, delete_span, relabel_span
from db.text import new_span_uid

LABELS = ["CLAIM", "ATTRIBUTION", "EXPERT_OPINION", "FACT"]
LINK_TYPES = ["SAME_CLAIM", "CONTRADICTS", "SUPPORTS", "SOURCE_OF"]
TEXTS = [
    "The ministry said on Thursday that 3 missiles fell 40 km off the coast, near the Halvik Islands.",
    "Analysts warned the test could derail talks; a professor called it “a calculated signal” 😀.",
    "Fishermen reported that 12 boats stayed in port for 48 hours after the launch.",
]


def _journal(fh, entry: dict) -> None:
    fh.write(json.dumps(entry) + "\n")
    fh.flush()
    os.fsync(fh.fileno())


def main() -> int:
    path, journal_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    max_edits = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    annotator = sys.argv[5] if len(sys.argv) > 5 else "alice"
    rng = random.Random(seed)
    project = open_project(path)
    with project.write() as s:
        ids = [add_article(s, t, title=f"Article {i}")[0].id for i, t in enumerate(TEXTS)]
    from db.links import links_for_articles
    from db.spans import spans_for_article

    with open(journal_path, "a", encoding="utf-8") as fh:
        _journal(fh, {"op": "ready"})
        for _ in range(max_edits):
            spans = [sp for a in ids for sp in spans_for_article(project, a, [annotator])]
            links = [lk for lk in links_for_articles(project, ids) if lk.annotator == annotator]
            choice = rng.random()
            if choice < 0.45 or len(spans) < 2:
                aid = rng.choice(ids)
                text = TEXTS[ids.index(aid)]
                start = rng.randrange(0, len(text) - 2)
                end = rng.randrange(start + 1, min(len(text), start + 30) + 1)
                entry = {
                    "op": "add",
                    "uid": new_span_uid(),
                    "article": aid,
                    "start": start,
                    "end": end,
                    "label": rng.choice(LABELS),
                }
                _journal(fh, {"intent": entry})
                add_span(project, aid, start, end, entry["label"], annotator, uid=entry["uid"])
            elif choice < 0.65:
                sp = rng.choice(spans)
                entry = {"op": "relabel", "uid": sp.uid, "label": rng.choice(LABELS)}
                _journal(fh, {"intent": entry})
                relabel_span(project, sp.id, entry["label"])
            elif choice < 0.8:
                sp = rng.choice(spans)
                entry = {"op": "delete", "uid": sp.uid}
                _journal(fh, {"intent": entry})
                delete_span(project, sp.id)
            elif choice < 0.93 or not links:
                a, b = rng.sample(spans, 2)
                entry = {"op": "link", "source": a.uid, "target": b.uid, "type": rng.choice(LINK_TYPES)}
                _journal(fh, {"intent": entry})
                rec = add_link(project, a.id, b.id, entry["type"], annotator)
                entry["uid"] = rec.uid
            else:
                lk = rng.choice(links)
                entry = {"op": "unlink", "uid": lk.uid}
                _journal(fh, {"intent": entry})
                delete_link(project, lk.id)
            _journal(fh, {"done": entry})
    project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
