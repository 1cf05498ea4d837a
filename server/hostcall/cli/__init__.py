"""The ``hostcall`` command line.

``hostcall serve`` runs the development server; ``hostcall setup`` only makes sure the
pinned Pyodide runtime and the showcase's editor are installed (``--build-tools``: the
JavaScript build's tools instead). Progress goes to stderr;
stdout carries the one ``serving`` line (or the runtime path) so scripts and tests can
read it. ``hostcall run`` and ``hostcall repl`` run Python in headless Chromium
(:mod:`hostcall.headless`), imported only when used: the server does without Playwright.

The parser and its options' types are here; the commands are in serve.py (``serve``,
``setup``) and browser.py (``run``, ``repl``), what they share in common.py.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hostcall import __version__
from hostcall.cli.browser import _repl, _run
from hostcall.cli.common import INTERRUPTED, RESTART_NOTE, error_line
from hostcall.cli.packages import _add, _build_site, _list, _remove
from hostcall.cli.serve import _serve, _setup
from hostcall.packages import DEFAULT_DIR
from hostcall.remote import HostFunctions
from hostcall.runtime import RuntimeSetupError

if TYPE_CHECKING:
    from hostcall.headless import HostFunction

__all__ = ["INTERRUPTED", "RESTART_NOTE", "error_line", "main"]

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = _parser().parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except RuntimeSetupError as exc:
        print(f"hostcall: error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hostcall", description="Run Python in a browser tab with calls to its host."
    )
    parser.add_argument("--version", action="version", version=f"hostcall {__version__}")
    commands = parser.add_subparsers(metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="run the development server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (%(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port, 0 for any free one")
    serve.add_argument(
        "--no-isolation",
        dest="isolation",
        action="store_false",
        help="omit the COOP/COEP/CORP headers (to try the non-isolated fallback)",
    )
    serve.add_argument(
        "--allow-connect",
        dest="connect",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin the worker's Python may reach besides its runtime (repeatable)",
    )
    serve.add_argument(
        "--cors",
        action="append",
        nargs="?",
        const="*",
        type=_cors_origin,
        metavar="ORIGIN",
        help="let pages of ORIGIN (repeatable; alone: any origin) load bridge.js, its worker and "
        "the runtime from this server: CORS and Cross-Origin-Resource-Policy (docs/hosting.md)",
    )
    serve.add_argument(
        "--app",
        type=_app_functions,
        metavar="MODULE:NAME",
        help="serve the host functions of a hostcall.HostFunctions (docs/remote.md); "
        "default: the showcase's demo functions (hostcall.demo)",
    )
    serve.add_argument(
        "--origin",
        dest="origins",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a page origin allowed to use the host functions, in place of their own "
        "origins= (repeatable; needed beyond loopback unless the app sets origins=)",
    )
    _packages_option(serve, "serve")
    serve.set_defaults(command=_serve)

    setup = commands.add_parser(
        "setup",
        help="install the Pyodide runtime and the showcase's editor; print the runtime's path",
    )
    setup.add_argument(
        "--build-tools",
        action="store_true",
        help="install only the JavaScript build's tools (esbuild, TypeScript); print their path",
    )
    setup.set_defaults(command=_setup)

    run = commands.add_parser("run", help="run a Python script in headless Chromium's Pyodide")
    run.add_argument("script", type=Path, help="the script to run")
    _browser_options(run)
    run.add_argument(
        "--timeout",
        type=_seconds,
        metavar="S",
        help="stop the script with TimeoutError after S seconds (not counting host calls)",
    )
    run.add_argument(
        "--host-functions",
        dest="handlers",
        type=_host_functions,
        default={},
        metavar="MODULE:DICT",
        help="a dict of Python callables (name -> function) the script may call; "
        "MODULE is imported from the current directory",
    )
    run.set_defaults(command=_run)

    repl = commands.add_parser("repl", help="an interactive prompt in headless Chromium's Pyodide")
    _browser_options(repl)
    repl.set_defaults(command=_repl)

    _packages_commands(commands)
    site = commands.add_parser(
        "build-site", help="write a static site: runtime, bridge, packages and pages"
    )
    site.add_argument("dest", type=Path, metavar="DIR", help="a new or empty folder")
    site.add_argument(
        "--page",
        dest="pages",
        action="append",
        type=Path,
        default=[],
        metavar="PAGE.html",
        help="a page to include (repeatable); default: an example page",
    )
    _packages_option(site, "include")
    site.set_defaults(command=_build_site)
    return parser


def _packages_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``hostcall packages add|list|remove``: the package folder (docs/packages.md)."""
    packages = commands.add_parser(
        "packages", help="PyPI packages for the browser, kept in a local folder"
    )
    actions = packages.add_subparsers(metavar="ACTION", required=True)
    add = actions.add_parser("add", help="download pure-Python wheels and their dependencies")
    add.add_argument("names", nargs="+", metavar="NAME", help="a requirement, as pip takes it")
    add.set_defaults(command=_add)
    listing = actions.add_parser("list", help="the packages in the folder")
    listing.set_defaults(command=_list)
    remove = actions.add_parser("remove", help="take packages out of the folder")
    remove.add_argument("names", nargs="+", metavar="NAME")
    remove.set_defaults(command=_remove)
    for action in (add, listing, remove):
        action.add_argument(
            "--dir", type=Path, default=DEFAULT_DIR, help="the package folder (%(default)s)"
        )


def _packages_option(parser: argparse.ArgumentParser, verb: str) -> None:
    parser.add_argument(
        "--packages",
        type=Path,
        default=DEFAULT_DIR,
        metavar="DIR",
        help=f"the package folder to {verb} at packages/ (%(default)s)",
    )


def _browser_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-isolation",
        dest="isolation",
        action="store_false",
        help="serve the page without cross-origin isolation: host calls use JSPI",
    )
    parser.add_argument(
        "--allow-js", action="store_true", help="let the code import js and pyodide"
    )
    parser.add_argument(
        "--package",
        dest="packages",
        action="append",
        default=[],
        metavar="NAME",
        help="load a package of ./hostcall-packages before the code runs (repeatable; "
        "hostcall packages add puts it there)",
    )


def _seconds(text: str) -> float:
    seconds = float(text)
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return seconds


_ORIGIN = re.compile(r"^https?://[^/\s;,'*]+$")


def _cors_origin(text: str) -> str:
    """A page origin for ``--cors`` (``scheme://host[:port]``, no path), or ``*``."""
    if text != "*" and not _ORIGIN.match(text):
        raise argparse.ArgumentTypeError(
            f"expected an origin such as https://example.org (no path), or *, not {text!r}"
        )
    return text


def _import(spec: str, what: str) -> Any:
    """Import ``module:name`` with the current directory importable (as ``python -m`` has it)."""
    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise argparse.ArgumentTypeError(f"expected MODULE:{what}, not {spec!r}")
    sys.path.insert(0, os.getcwd())
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise argparse.ArgumentTypeError(f"cannot import {spec}: {exc}") from exc


def _host_functions(spec: str) -> Mapping[str, HostFunction]:
    """``--host-functions``: a dict of callables."""
    table = _import(spec, "DICT")
    if not isinstance(table, Mapping) or not all(
        isinstance(key, str) and callable(value) for key, value in table.items()
    ):
        raise argparse.ArgumentTypeError(f"{spec} is not a dict of names to callables")
    return table


def _app_functions(spec: str) -> HostFunctions:
    """``--app``: the server's host functions (docs/remote.md)."""
    found = _import(spec, "NAME")
    if not isinstance(found, HostFunctions):
        raise argparse.ArgumentTypeError(
            f"{spec} is a {type(found).__name__}, not a hostcall.HostFunctions"
        )
    return found
