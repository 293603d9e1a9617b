"""Reading JSON records safely: one line at a time, with the line number in every complaint."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson

from db.errors import ImportFormatError

MAX_BRACKETS_FOR_ORJSON = 10_000


def loads(path: Path, data: str, line: int | None) -> Any:
    """Parse JSON; a syntax error, a nesting too deep or NaN-like constants become ImportFormatError."""
    # orjson is several times faster, but crashes the process on very deep nesting: such input
    # goes to the standard library, which raises RecursionError instead.
    if data.count("[") + data.count("{") < MAX_BRACKETS_FOR_ORJSON:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # parsed again below, for the standard library's clearer message
    try:
        return json.loads(data, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = line if line is not None else exc.lineno
        raise ImportFormatError(
            path, f"this is not valid JSON ({exc.msg}, column {exc.colno})", where
        ) from None
    except RecursionError:
        raise ImportFormatError(path, "the JSON is nested too deeply to be an article record", line) from None
    except ValueError as exc:
        raise ImportFormatError(path, str(exc), line) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"the JSON holds {name}, which is not a number an offset can be")


def need_object(path: Path, value: Any, line: int | None, what: str = "a record") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ImportFormatError(path, f"{what} must be a JSON object, not {type_name(value)}", line)
    return value


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def need_text(path: Path, record: dict[str, Any], line: int | None, key: str = "text") -> str:
    text = record.get(key)
    if text is None:
        raise ImportFormatError(path, f'the record has no "{key}"', line)
    if not isinstance(text, str):
        raise ImportFormatError(path, f'"{key}" must be a string, not {type_name(text)}', line)
    if not text.strip():
        raise ImportFormatError(path, f'"{key}" is empty', line)
    return text


def opt_str(path: Path, record: dict[str, Any], key: str, line: int | None) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ImportFormatError(path, f'"{key}" must be a string, not {type_name(value)}', line)
    return str(value)


def opt_list(path: Path, record: dict[str, Any], key: str, line: int | None) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFormatError(path, f'"{key}" must be a list, not {type_name(value)}', line)
    return value


def opt_date(path: Path, record: dict[str, Any], key: str, line: int | None) -> dt.date | None:
    value = opt_str(path, record, key, line)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ImportFormatError(path, f'"{key}" {value!r} is not a date (YYYY-MM-DD)', line) from None


def offset(path: Path, value: Any, what: str, line: int | None) -> int:
    """An offset as it must be: a whole number (not true/false, not 3.0, not "3")."""
    if type(value) is int:
        return value
    if value is None:
        raise ImportFormatError(path, f"the span has no {what}", line)
    raise ImportFormatError(path, f"the span's {what} must be a whole number, not {value!r}", line)
