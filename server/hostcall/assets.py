"""Where the browser-side files (bridge.js, worker/, web/, showcase/) are found."""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def asset_root() -> Path:
    """Return the directory holding ``bridge.js`` and its sibling asset directories.

    A wheel carries the assets in ``hostcall/_assets``; an editable install (or a plain
    checkout) has no copy, so the repository root two levels above the package is used.
    """
    bundled = _PACKAGE_DIR / "_assets"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parents[1]
