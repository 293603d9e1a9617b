"""Output files that appear whole or not at all.

An export writes to a temporary file beside the target and renames it over the target only when
everything is written, so an interrupted or cancelled export never leaves a truncated file and
never damages the file it would have replaced.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from db.errors import NewsmarkError


def _temp_beside(target: Path) -> Path:
    folder = target.parent
    if not folder.is_dir():
        raise NewsmarkError(f"{folder}: no such folder to export into.")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def atomic_paths(*targets: Path) -> Iterator[list[Path]]:
    """Temporary paths beside ``targets``; on success each replaces its target, on error all vanish."""
    temps: list[Path] = []
    try:
        for target in targets:
            temps.append(_temp_beside(target))
        yield temps
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
    except OSError as exc:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise NewsmarkError(
            f"Cannot write the export: {exc.strerror or exc} ({exc.filename or targets[0]})."
        ) from exc
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_binary(target: Path) -> Iterator[IO[bytes]]:
    """A binary file object whose content replaces ``target`` only if the block completes."""
    with atomic_paths(target) as (temp,), temp.open("wb", buffering=1 << 20) as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_text(target: Path, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    with (
        atomic_paths(target) as (temp,),
        temp.open("w", encoding=encoding, newline=newline, buffering=1 << 20) as fh,
    ):
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
