"""The project's package folder: PyPI wheels for Pyodide, usable with no internet at run time.

The folder (``./hostcall-packages/`` by default) holds the wheels and ``pyodide-lock.json``:
a copy of the runtime's lock file with an entry for each wheel added, which the worker loads
in place of the runtime's (docs/packages.md). pip resolves what to download, for Pyodide's
Python and platform; the pyodide-lock library makes each entry (name, version, imports,
dependencies, sha256) from its wheel. Every change is staged in a temporary folder first and
then moved in, so a refused ``add`` leaves the folder as it was.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hostcall.runtime import PYODIDE_VERSION

DEFAULT_DIR = Path("hostcall-packages")
LOCK_FILE = "pyodide-lock.json"

Lock = dict[str, Any]  # a pyodide-lock.json, as JSON


class PackagesError(Exception):
    """A package could not be added or removed; the message says which and why."""


@dataclass(frozen=True, order=True)
class Added:
    """A package the folder holds: its lock entry's name, version and wheel."""

    name: str
    version: str
    file_name: str


def canonical(name: str) -> str:
    """A package name as PyPI and the lock file compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def listed(folder: Path) -> list[Added]:
    """The packages added to ``folder``, by name (none when it has no lock file)."""
    lock = _read_lock(folder)
    if lock is None:
        return []
    return sorted(
        Added(name, entry["version"], entry["file_name"])
        for name, entry in lock["packages"].items()
        if (folder / entry["file_name"]).is_file()
    )


def add(
    folder: Path, names: Sequence[str], runtime: Path, log: Callable[[str], None]
) -> list[Added]:
    """Download ``names`` and their dependencies into ``folder``; return what was added.

    Raises :class:`PackagesError` (and changes nothing) when pip finds no wheel Pyodide can
    use for one of them, such as a package with compiled code.
    """
    runtime_lock = _load_json(runtime / LOCK_FILE)
    with _staged(folder) as stage:
        wheels = _download(names, stage.parent / "download", runtime_lock, log)
        entries = _entries(wheels, runtime_lock)
        lock = _read_lock(stage) or runtime_lock
        for name in entries:  # a version added before, or the runtime's entry, gives way
            _forget(stage, lock, name, runtime_lock)
        for wheel in wheels:
            wheel.rename(stage / wheel.name)
        lock["packages"].update(entries)
        _write_lock(stage, lock)
    return [Added(name, entry["version"], entry["file_name"]) for name, entry in entries.items()]


def remove(folder: Path, names: Sequence[str], runtime: Path) -> None:
    """Take ``names`` out of ``folder`` (a package the runtime knows gets its entry back).

    Raises :class:`PackagesError`, changing nothing, for a name not added or one another
    added package depends on.
    """
    runtime_lock = _load_json(runtime / LOCK_FILE)
    gone = {canonical(name) for name in names}
    present = {item.name for item in listed(folder)}
    missing = sorted(gone - present)
    if missing:
        raise PackagesError(
            f"not in {folder}: {', '.join(missing)} (hostcall packages list shows what is)"
        )
    lock = _read_lock(folder)
    assert lock is not None  # present is not empty
    for name in sorted(present - gone):
        needs = sorted(gone.intersection(lock["packages"][name]["depends"]))
        if needs:
            raise PackagesError(f"{name} depends on {', '.join(needs)}: remove it too, or keep it")
    with _staged(folder) as stage:
        for name in gone:
            _forget(stage, lock, name, runtime_lock)
        _write_lock(stage, lock)


@contextmanager
def _staged(folder: Path) -> Iterator[Path]:
    """A copy of ``folder`` to change; it replaces ``folder`` only if the block succeeds."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".hostcall-packages-", dir=folder.parent) as tmp:
        stage = Path(tmp) / "stage"
        if folder.is_dir():
            shutil.copytree(folder, stage)
        else:
            stage.mkdir()
        yield stage
        old = Path(tmp) / "old"
        if folder.exists():
            folder.rename(old)
        stage.rename(folder)


def _download(
    names: Sequence[str], into: Path, runtime_lock: Lock, log: Callable[[str], None]
) -> list[Path]:
    """pip's download of ``names`` with their dependencies, as wheels for Pyodide."""
    log(f"resolving {' '.join(names)} for Pyodide (Python {_python(runtime_lock)}) with pip…")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "--progress-bar", "off"),
            *("--only-binary=:all:", *_target(runtime_lock), "--dest", str(into), "--", *names),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise PackagesError(_refusal(done.stderr, runtime_lock))
    return sorted(into.iterdir())


def _python(lock: Lock) -> str:
    """The runtime's Python as ``3.14``."""
    return ".".join(str(lock["info"]["python"]).split(".")[:2])


def _target(lock: Lock) -> list[str]:
    """pip's options for Pyodide's interpreter: its Python, ABI and platform (pure-Python
    wheels, tagged ``none-any``, fit any platform)."""
    python = _python(lock)
    abi = f"cp{python.replace('.', '')}"
    platform = f"pyemscripten_{lock['info']['abi_version']}_{lock['info']['arch']}"
    return [
        *("--python-version", python, "--implementation", "cp"),
        *("--abi", abi, "--abi", "abi3", "--abi", "none"),
        *("--platform", platform, "--platform", platform.replace("pyemscripten", "pyodide")),
    ]


def _refusal(stderr: str, runtime_lock: Lock) -> str:
    """Why pip found nothing to download, naming the package it could not get."""
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    found = re.search(r"No matching distribution found for ([A-Za-z0-9._-]+)", stderr)
    if found is None:
        return "pip could not download the packages:\n" + "\n".join(errors or [stderr.strip()])
    name = found.group(1)
    known = runtime_lock["packages"].get(canonical(name))
    built = (
        f" (Pyodide builds it as {known['file_name']}, but its npm runtime ships no wheels)"
        if known and not known["file_name"].endswith("-none-any.whl")
        else ""
    )
    return (
        f"{name}: no pure-Python wheel and no Pyodide build on the index for Python "
        f"{_python(runtime_lock)}{built}. A package with compiled code "
        "works in the browser only as a Pyodide (WebAssembly) build; check the name too. "
        "Nothing was added.\npip said: " + "; ".join(errors)
    )


def _entries(wheels: Sequence[Path], runtime_lock: Lock) -> dict[str, Any]:
    """The lock entries of ``wheels``, made by pyodide-lock, as JSON."""
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    # pyodide-lock's models forbid fields they do not know (the runtime's lock has "tool"):
    # they get the fields they know, and the runtime's own entries stay as they are.
    spec = PyodideLockSpec.model_validate(
        {
            "info": {**runtime_lock["info"], "version": PYODIDE_VERSION},
            "packages": {
                name: _known_fields(entry) for name, entry in runtime_lock["packages"].items()
            },
        }
    )
    try:
        new = add_wheels_to_spec(spec, list(wheels), base_path=wheels[0].parent)
    except RuntimeError as exc:
        raise PackagesError(f"{exc}. Nothing was added.") from exc
    return {
        name: entry.model_dump()
        for name, entry in new.packages.items()
        if entry.file_name in {wheel.name for wheel in wheels}
    }


def _known_fields(entry: dict[str, Any]) -> dict[str, Any]:
    """A runtime lock entry with only the fields pyodide-lock's model has."""
    from pyodide_lock.spec import PackageSpec

    return {key: value for key, value in entry.items() if key in PackageSpec.model_fields}


def _forget(stage: Path, lock: Lock, name: str, runtime_lock: Lock) -> None:
    """Delete the wheel of ``name`` and its entry, or give the runtime's entry back."""
    entry = lock["packages"].get(name)
    if entry is not None:
        (stage / entry["file_name"]).unlink(missing_ok=True)
    if name in runtime_lock["packages"]:
        lock["packages"][name] = runtime_lock["packages"][name]
    else:
        lock["packages"].pop(name, None)


def _load_json(path: Path) -> Lock:
    lock: Lock = json.loads(path.read_text(encoding="utf-8"))
    return lock


def _read_lock(folder: Path) -> Lock | None:
    path = folder / LOCK_FILE
    return _load_json(path) if path.is_file() else None


def _write_lock(folder: Path, lock: Lock) -> None:
    text = json.dumps(lock, indent=1, sort_keys=True) + "\n"
    (folder / LOCK_FILE).write_text(text, encoding="utf-8")
