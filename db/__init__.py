"""Newsmark's headless core: the project database, its services, import and export. No Qt here."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsmark")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"
