"""The ``newsmark`` command: opens the app, or runs a headless command (import, export, stats, ...).

Headless commands never import Qt. A user error prints one line to stderr and exits 1. Starting
the app imports none of the commands (nor ``db``'s version metadata): it is on the way to the
first window.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence

from db.errors import NewsmarkError

#: command name -> module under desktop.commands with ``configure(parser)`` and ``run(args) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "import": (
        "desktop.commands.import_cmd",
        "import articles (.txt, .html, .jsonl, folders) into a project",
    ),
    "export": ("desktop.commands.export_cmd", "export a project's annotations"),
    "stats": (
        "desktop.commands.stats_cmd",
        "articles per outlet, spans per label and annotator, links per type",
    ),
    "suggest": ("desktop.commands.suggest_cmd", "print suggested spans or links"),
    "agreement": ("desktop.commands.agreement_cmd", "agreement between two annotators"),
}


class _VersionAction(argparse.Action):
    """``--version``, reading the version only when asked."""

    def __init__(
        self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object
    ) -> None:
        super().__init__(
            option_strings, dest, default=argparse.SUPPRESS, nargs=0, help=str(kwargs.get("help"))
        )

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from db import __version__

        print(f"newsmark {__version__}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(1)


def _gui_parser() -> argparse.ArgumentParser:
    commands = "\n".join(f"  {name:<10} {help_}" for name, (_, help_) in COMMANDS.items())
    parser = _Parser(
        prog="newsmark",
        description="Newsmark: annotate claims, attributions, expert opinions and facts across news outlets.",
        epilog=f"commands (newsmark COMMAND --help for each):\n{commands}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", nargs="?", help="project file (*.newsmark) or database URL to open")
    parser.add_argument("--demo", action="store_true", help="open the demo project")
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    return parser


def command_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    module_name, help_ = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = _Parser(prog=f"newsmark {name}", description=help_)
    module.configure(parser)
    return parser, module


def _plain_gui_args(args: list[str]) -> tuple[str | None, bool] | None:
    """(project, demo) for the usual ways to start the app (``newsmark``, ``newsmark PROJECT``,
    ``newsmark --demo``) without building the parser; None for anything else (options, help,
    mistakes), which the parser handles and explains."""
    rest = [a for a in args if a != "--demo"]
    if len(rest) > 1 or any(a.startswith("-") for a in rest):
        return None
    return (rest[0] if rest else None), "--demo" in args


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            parser, module = command_parser(args[0])
            ns = parser.parse_args(args[1:])
            return int(module.run(ns))  # type: ignore[attr-defined]
        plain = _plain_gui_args(args)
        if plain is None:
            ns = _gui_parser().parse_args(args)
            plain = ns.project, ns.demo
        # No garbage collections while the first window is built (Qt's and the app's modules and
        # the window: nothing to collect, yet a few ms of collecting); run_app turns them back on
        # once it is painted.
        gc.disable()
        from desktop.app import run_app

        return run_app(plain[0], demo=plain[1])
    except NewsmarkError as exc:
        print(f"newsmark: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsmark: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
