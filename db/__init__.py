"""Newsmark's headless core: the project database, its services, import and export. No Qt here."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # ``__version__`` is read from the installed metadata on first use: importlib.metadata is a
    # noticeable part of the app's startup, which imports ``db`` before it needs the version.
    if name != "__version__":
        raise AttributeError(f"module 'db' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("newsmark")
    except PackageNotFoundError:  # running from a source tree that is not installed
        found = "0.1.0"
    globals()["__version__"] = found
    return found
