"""Label Studio's JSON export: a list of tasks, each with ``data`` and ``annotations``.

Each annotation becomes one layer (its ``completed_by``) of the task's article. Label Studio's
text offsets come from the browser and may count UTF-16 units; when the region's text only fits
that way, the offsets are converted to code points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.errors import ImportFormatError
from db.importing.jsonfields import loads, need_object, offset, opt_date, opt_list, opt_str, type_name
from db.importing.parsed import ParsedArticle, ParsedLink, ParsedSpan
from db.importing.source import read_text
from db.text import Utf16Map, new_span_uid

DEFAULT_RELATION = "RELATED"


def parse_labelstudio(path: Path) -> list[ParsedArticle]:
    tasks = loads(path, read_text(path), None)
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise ImportFormatError(path, f"a Label Studio export is a list of tasks, not {type_name(tasks)}")
    out: list[ParsedArticle] = []
    for number, raw in enumerate(tasks, start=1):
        out.extend(_task(path, need_object(path, raw, None, f"task {number}"), number))
    if not out:
        raise ImportFormatError(path, "the export holds no tasks")
    return out


def _where(path: Path, number: int, message: str) -> ImportFormatError:
    return ImportFormatError(path, f"task {number}: {message}")


def _task_text(path: Path, data: dict[str, Any], number: int) -> str:
    text = data.get("text")
    if text is None:
        strings = [v for v in data.values() if isinstance(v, str)]
        text = max(strings, key=len) if strings else None
    if not isinstance(text, str) or not text.strip():
        raise _where(path, number, 'the task has no text ("data.text")')
    return text


def _annotator(ann: dict[str, Any]) -> str | None:
    who = ann.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if who is None or who == "":
        return None
    return str(who)


def _fit(text: str, start: int, end: int, quoted: str | None, u16: list[Utf16Map | None]) -> tuple[int, int]:
    if quoted is None or text[start:end] == quoted:
        return start, end
    m = u16[0]
    if m is None:
        m = u16[0] = Utf16Map(text)
    s, e = m.from_utf16(start), m.from_utf16(end)
    if text[s:e] == quoted:
        return s, e
    return start, end  # validation reports the mismatch


def _region_note(item: dict[str, Any]) -> str | None:
    """The region's "meta" text, which Label Studio shows as the region's note."""
    meta = item.get("meta")
    if not isinstance(meta, dict):
        return None
    text = meta.get("text")
    if isinstance(text, str):
        return text or None
    if isinstance(text, list):
        return "\n".join(t for t in text if isinstance(t, str)) or None
    return None


def _task(path: Path, task: dict[str, Any], number: int) -> list[ParsedArticle]:
    data = need_object(path, task.get("data"), None, f'task {number}: "data"')
    text = _task_text(path, data, number)
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    info = {**meta, **data}
    base = {
        "title": opt_str(path, info, "title", None) or "",
        "outlet": opt_str(path, info, "outlet", None),
        "story": opt_str(path, info, "story", None),
        "author": opt_str(path, info, "author", None),
        "published": opt_date(path, info, "published", None),
        "url": opt_str(path, info, "url", None),
    }
    layers: list[ParsedArticle] = []
    u16: list[Utf16Map | None] = [None]
    for raw_ann in opt_list(path, task, "annotations", None):
        ann = need_object(path, raw_ann, None, f"task {number}: an annotation")
        if ann.get("was_cancelled"):
            continue
        spans: list[ParsedSpan] = []
        regions: dict[str, list[str]] = {}
        relations: list[dict[str, Any]] = []
        for raw in opt_list(path, ann, "result", None):
            item = need_object(path, raw, None, f"task {number}: a result")
            kind = item.get("type")
            if kind == "relation":
                relations.append(item)
                continue
            if kind != "labels":
                continue
            value = need_object(path, item.get("value"), None, f'task {number}: a result\'s "value"')
            start = offset(path, value.get("start"), "start", None)
            end = offset(path, value.get("end"), "end", None)
            quoted = value.get("text") if isinstance(value.get("text"), str) else None
            start, end = _fit(text, start, end, quoted, u16)
            names = value.get("labels")
            if (
                not isinstance(names, list)
                or not names
                or not all(isinstance(n, str) and n.strip() for n in names)
            ):
                raise _where(path, number, f"the region at {start}-{end} has no labels")
            note = _region_note(item)
            for name in names:
                span = ParsedSpan(start, end, name, quoted, note, uid=new_span_uid())
                spans.append(span)
                regions.setdefault(str(item.get("id")), []).append(span.uid)  # type: ignore[arg-type]
        links: list[ParsedLink] = []
        for rel in relations:
            src, dst = regions.get(str(rel.get("from_id"))), regions.get(str(rel.get("to_id")))
            if not src or not dst:
                raise _where(
                    path,
                    number,
                    f"a relation joins region {rel.get('from_id')!r} or {rel.get('to_id')!r}, which has no labels",
                )
            if rel.get("direction") == "left":
                src, dst = dst, src
            kinds = rel.get("labels") or [DEFAULT_RELATION]
            for kind in kinds:
                if not isinstance(kind, str) or not kind.strip():
                    raise _where(path, number, "a relation label must be text")
                links.append(ParsedLink(None, src[0], None, dst[0], kind))
        layers.append(
            ParsedArticle(text=text, annotator=_annotator(ann), spans=spans, links=links, line=None, **base)  # type: ignore[arg-type]
        )
    if not layers:
        layers.append(ParsedArticle(text=text, **base))  # type: ignore[arg-type]
    return layers
