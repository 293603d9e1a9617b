"""Paths to the files in ``resources/`` (works from a source tree, a wheel and a PyInstaller folder)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


@cache
def default_schema() -> dict[str, Any]:
    import json  # here: the app's first window reads only the stylesheet's path from this module

    with resource("labels.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data
