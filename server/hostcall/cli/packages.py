"""``hostcall packages add|list|remove`` (the project's package folder, :mod:`hostcall.packages`)
and ``hostcall build-site`` (a static site, :mod:`hostcall.site`)."""

from __future__ import annotations

import argparse
import sys

from hostcall import packages, site
from hostcall.cli.common import _log
from hostcall.runtime import ensure_runtime


def _add(args: argparse.Namespace) -> int:
    try:
        added = packages.add(args.dir, args.names, ensure_runtime(_log), _log)
    except packages.PackagesError as exc:
        print(f"hostcall: error: {exc}", file=sys.stderr)
        return 1
    for item in added:
        print(f"added {item.name} {item.version} ({item.file_name})")
    return 0


def _list(args: argparse.Namespace) -> int:
    for item in packages.listed(args.dir):
        print(f"{item.name} {item.version} ({item.file_name})")
    return 0


def _remove(args: argparse.Namespace) -> int:
    try:
        packages.remove(args.dir, args.names, ensure_runtime(_log))
    except packages.PackagesError as exc:
        print(f"hostcall: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _build_site(args: argparse.Namespace) -> int:
    try:
        site.build(args.dest, args.pages, args.packages, ensure_runtime(_log))
    except site.SiteError as exc:
        print(f"hostcall: error: {exc}", file=sys.stderr)
        return 1
    print(args.dest)
    return 0
