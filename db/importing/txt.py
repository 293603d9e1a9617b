"""Plain-text articles: the text exactly as in the file; title, date, outlet and author guessed.

The guesses look only at the first lines, where a copied article carries its headline, byline and
date, and skip page clutter ("Share", "Leave a Reply", photo captions) and section labels.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from db.importing.parsed import ParsedArticle
from db.importing.source import read_text

HEAD_LINES = 15
_CLUTTER = re.compile(
    r"^(leave a (reply|comment)|short ?url|follow( us)?|share( this)?( article)?|print|email|tweet|"
    r"advertisement|subscribe|sign up|read more|related( articles)?|comments?|menu|home|skip to (main )?content|"
    r"listen( to this article)?|copy link)\b[\s:.!]*$",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^(photo|image|picture|file photo|pic)\b.*[:|]|\((reuters|ap|afp|getty images?)\)|image credit|photo credit|credit:",
    re.IGNORECASE,
)
_SENTENCE_PUNCT = re.compile(r"[.!?:;,\"“”]")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATES = (
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b"),
)
_BYLINE = re.compile(r"^\s*by\s+(?P<who>[^\n]+?)\s*$", re.IGNORECASE)
_OUTLET_PATTERNS = (
    re.compile(r"^\s*by\s+[^,\n]+?,\s*(?P<outlet>[A-Z][^,\n]{1,60}?)\s*$", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^\s*\((?P<outlet>[A-Z][^()\n]{1,60})\)\s*(?:[-–—]|$)", re.MULTILINE),
    re.compile(r"©\s*(?:\d{4}\s+)?(?P<outlet>[A-Z][^\n.]{1,60}?)\s*\.?\s*$", re.MULTILINE),
    re.compile(
        r"^\s*(?:source|copyright):\s*(?P<outlet>[A-Z][^\n]{1,60}?)\s*\.?\s*$", re.IGNORECASE | re.MULTILINE
    ),
)


def _is_clutter(line: str) -> bool:
    return bool(_CLUTTER.match(line) or _CAPTION.search(line))


def find_date(lines: list[str]) -> dt.date | None:
    for line in lines[:HEAD_LINES]:
        for pattern in _DATES:
            for m in pattern.finditer(line):
                parts = m.groupdict()
                month = (
                    int(parts["mnum"])
                    if parts.get("mnum")
                    else _MONTHS.get((parts.get("month") or "").lower())
                )
                if not month:
                    continue
                try:
                    return dt.date(int(parts["year"]), month, int(parts["day"]))
                except ValueError:
                    continue
    return None


def _is_date_line(line: str) -> bool:
    return find_date([line]) is not None and len(line.split()) <= 8


def find_title(lines: list[str]) -> str:
    content = [ln.strip() for ln in lines[: HEAD_LINES * 2] if ln.strip()]
    content = [ln for ln in content if not _is_clutter(ln)]
    for i, line in enumerate(content):
        words = line.split()
        following = content[i + 1] if i + 1 < len(content) else ""
        # A lone "World" or "Middle East" above the headline: short, unpunctuated, and followed by
        # a longer line that is itself a headline (not a byline or a date).
        is_section = (
            len(words) <= 2
            and not _SENTENCE_PUNCT.search(line)
            and len(following.split()) > 3
            and not _BYLINE.match(following)
            and not _is_date_line(following)
        )
        if is_section or _is_date_line(line) or _BYLINE.match(line):
            continue
        return line[:500]
    return content[0][:500] if content else ""


def find_outlet(text: str) -> str | None:
    head = "\n".join(text.splitlines()[:HEAD_LINES])
    tail = "\n".join(text.splitlines()[-HEAD_LINES:])
    for pattern in _OUTLET_PATTERNS:
        for part in (head, tail):
            m = pattern.search(part)
            if m:
                name = m.group("outlet").strip().rstrip(".")
                if 0 < len(name.split()) <= 6:
                    return name
    return None


def find_author(lines: list[str]) -> str | None:
    for line in lines[:HEAD_LINES]:
        m = _BYLINE.match(line)
        if m:
            who = m.group("who").split(",")[0].strip()
            who = re.split(r"\s+(?:and|&)\s+|\s*\|\s*", who)[0] if len(who) > 80 else who
            if who and len(who.split()) <= 8:
                return who
    return None


def parse_txt(path: Path, *, outlet: str | None = None) -> list[ParsedArticle]:
    text = read_text(path)
    lines = text.splitlines()
    return [
        ParsedArticle(
            text=text,
            title=find_title(lines),
            outlet=outlet or find_outlet(text),
            author=find_author(lines),
            published=find_date(lines),
            source_file=str(path),
        )
    ]
