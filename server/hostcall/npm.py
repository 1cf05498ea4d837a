"""Pinned npm packages, fetched at set-up time into a per-user cache.

The Pyodide runtime and the showcase's editor both arrive this way: the ordinary ``npm``
client downloads each tarball (``npm pack``), each is checked against the integrity hash
pinned here, and the packages are unpacked into a staging directory that one rename makes
visible. Nothing fetched is ever committed or run through npm's install scripts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Written into the staged copy just before it is renamed into place, so a directory
# holding it is complete.
MARKER = ".hostcall-complete"


class SetupError(RuntimeError):
    """A pinned package is missing and could not be installed."""


@dataclass(frozen=True)
class Pin:
    """One npm package at an exact version, with npm's recorded integrity of its tarball."""

    name: str
    version: str
    integrity: str

    @property
    def spec(self) -> str:
        """What ``npm pack`` is asked for: ``name@version``."""
        return f"{self.name}@{self.version}"


def cache_dir() -> Path:
    """``$HOSTCALL_CACHE_DIR``, else ``$XDG_CACHE_HOME/hostcall``, else ``~/.cache/hostcall``."""
    explicit = os.environ.get("HOSTCALL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "hostcall"


def pinned_dir(prefix: str, pins: Sequence[Pin]) -> Path:
    """``<cache>/<prefix>-<hash of the pins>``: changing a pin installs a fresh copy beside."""
    text = "".join(f"{pin.spec} {pin.integrity}\n" for pin in pins)
    return cache_dir() / f"{prefix}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def is_installed(dest: Path) -> bool:
    """Whether ``dest`` is a complete install (only a finished install has the marker)."""
    return (dest / MARKER).is_file()


def install(dest: Path, pins: Sequence[Pin], *, nested: bool) -> None:
    """Fetch ``pins``, verify each, and make them appear at ``dest`` in one rename.

    ``nested``: each package's tree goes to ``dest/<name>`` (``dest/@scope/name``), the
    layout an import map points into; otherwise ``pins`` is one package and its tree is
    ``dest`` itself. Raises :class:`SetupError` and leaves nothing behind on any failure.
    """
    if not nested and len(pins) != 1:
        raise ValueError("only one package can be unpacked as dest itself")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Stage beside dest: the final rename must stay on one filesystem to be atomic.
        with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}-") as tmp:
            work = Path(tmp)
            tarballs = pack(work, [pin.spec for pin in pins])
            for pin, tarball in zip(pins, tarballs, strict=True):
                _check_integrity(pin, tarball)
            staged = work / "staged"
            for pin, tarball in zip(pins, tarballs, strict=True):
                _extract(tarball, staged / pin.name if nested else staged)
            (staged / MARKER).write_text("".join(f"{p.spec} {p.integrity}\n" for p in pins))
            _commit(staged, dest, trash=work / "stale")
    except (OSError, tarfile.TarError) as exc:
        raise SetupError(f"could not install {_names(pins)} in {dest}: {exc}") from exc


def pack(into: Path, specs: Sequence[str]) -> list[Path]:
    """Download each package tarball into ``into`` with one ``npm pack``; return their paths."""
    npm = shutil.which("npm")
    if npm is None:
        raise SetupError(
            f"npm was not found on PATH, so {', '.join(specs)} cannot be fetched. "
            "Install Node.js (which provides npm)"
            + (
                ", or set HOSTCALL_PYODIDE_DIR to an unpacked Pyodide runtime "
                "(the directory holding pyodide.mjs)."
                if any(spec.startswith("pyodide@") for spec in specs)
                else "."
            )
        )
    proc = subprocess.run(
        [npm, "pack", *specs, "--pack-destination", str(into), "--json"],
        cwd=into,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SetupError(f"`npm pack {' '.join(specs)}` failed:\n{proc.stderr.strip()}")
    try:
        names = [entry["filename"] for entry in json.loads(proc.stdout)]
    except (ValueError, LookupError, TypeError) as exc:
        raise SetupError(f"unexpected output from npm pack: {proc.stdout!r}") from exc
    if len(names) != len(specs):
        raise SetupError(f"npm pack returned {len(names)} tarballs for {len(specs)} packages")
    # npm names a scoped package's tarball scope-name-version.tgz, in the order asked.
    return [into / Path(name).name for name in names]


def _names(pins: Sequence[Pin]) -> str:
    return pins[0].spec if len(pins) == 1 else f"{len(pins)} npm packages"


def _check_integrity(pin: Pin, tarball: Path) -> None:
    with tarball.open("rb") as f:
        digest = hashlib.file_digest(f, "sha512").digest()
    actual = "sha512-" + base64.b64encode(digest).decode("ascii")
    if actual != pin.integrity:
        raise SetupError(
            f"{tarball.name} does not match the pinned integrity of {pin.spec}"
            f" (expected {pin.integrity}, got {actual}); nothing was installed"
        )


def _extract(tarball: Path, dest: Path) -> None:
    """Unpack the tarball's ``package/`` tree as ``dest``."""
    into = dest.parent / f".{dest.name}-unpacking"
    with tarfile.open(tarball, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("package/")]
        # The "data" filter refuses absolute paths, "..", links leaving the tree and devices.
        archive.extractall(into, members=members, filter="data")
    dest.parent.mkdir(parents=True, exist_ok=True)
    (into / "package").rename(dest)
    into.rmdir()


def _commit(staged: Path, dest: Path, trash: Path) -> None:
    """Rename ``staged`` to ``dest``; this rename is what makes an install visible."""
    try:
        staged.rename(dest)
    except OSError:
        if is_installed(dest):
            return  # another process won the race with an identical copy
        # Complete installs only ever arrive by rename, so this is a leftover of an
        # interrupted or hand-made install: move it into our temp dir, which is deleted.
        dest.rename(trash)
        staged.rename(dest)
