"""Reading a file's bytes as text, refusing what is not UTF-8 text with a sentence a user understands."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from db.errors import ImportFormatError

#: A single JSONL line (one article) larger than this is refused rather than parsed.
MAX_LINE_BYTES = 50 * 1024 * 1024
#: A whole .txt / .html / .json file larger than this is refused.
MAX_FILE_BYTES = 200 * 1024 * 1024


def _check_head(path: Path, head: bytes) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFormatError(path, "the file is UTF-16, not UTF-8; save it as UTF-8 and import it again")
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ImportFormatError(path, "the file is UTF-32, not UTF-8; save it as UTF-8 and import it again")
    if b"\x00" in head:
        # UTF-16 without a BOM has a NUL in every other byte of ASCII text.
        if len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4):
            raise ImportFormatError(
                path, "the file looks like UTF-16, not UTF-8; save it as UTF-8 and import it again"
            )
        raise ImportFormatError(path, "this is a binary file, not text")


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text, with a leading BOM removed and nothing else changed (CRLF stays)."""
    _check_head(path, data[:4096])
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            path,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte {exc.start})",
            _line_of(data, exc.start),
        ) from None
    if "\x00" in text:
        raise ImportFormatError(path, "this is a binary file, not text", _line_of(data, data.index(b"\x00")))
    if not text.strip():
        raise ImportFormatError(path, "the file is empty")
    return text


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFormatError(
                path,
                f"the file is too large ({size // (1024 * 1024)} MB; at most {MAX_FILE_BYTES // (1024 * 1024)} MB)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(path, f"cannot read the file ({exc.strerror or exc})") from None
    return decode(path, data)


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) for each non-blank line of a UTF-8 file, refusing oversized lines."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ImportFormatError(path, f"cannot read the file ({exc.strerror or exc})") from None
    with fh:
        first = True
        number = 0
        seen_any = False
        while True:
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            number += 1
            if len(raw) > MAX_LINE_BYTES:
                raise ImportFormatError(
                    path, f"the line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB", number
                )
            if first:
                _check_head(path, raw[:4096])
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                first = False
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ImportFormatError(
                    path, f"the line is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", number
                ) from None
            if not line.strip():
                continue
            if "\x00" in line:
                raise ImportFormatError(path, "this is a binary file, not text", number)
            seen_any = True
            yield number, line
        if not seen_any:
            raise ImportFormatError(path, "the file is empty")
