"""Pinned npm packages (the Pyodide runtime, the showcase's editor, the build's tools):
integrity check, safe install, reuse, and npm errors."""

import base64
import hashlib
import io
import shutil
import tarfile
from pathlib import Path

import pytest

from hostcall import buildtools, cli, editor, npm, runtime
from hostcall.editor import editor_dir, ensure_editor
from hostcall.runtime import RuntimeSetupError, ensure_runtime, runtime_dir


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, private cache directory, and no HOSTCALL_PYODIDE_DIR override."""
    monkeypatch.delenv("HOSTCALL_PYODIDE_DIR", raising=False)
    monkeypatch.setenv("HOSTCALL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def make_tarball(path: Path, files: dict[str, bytes]) -> str:
    """Write an npm-style .tgz holding ``files`` and return its npm integrity string."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return integrity(path)


def integrity(path: Path) -> str:
    """npm's integrity string for a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


class FakeNpm:
    """Stands in for ``npm pack``: copies prepared tarballs (one per spec) and counts the calls."""

    def __init__(self, *tarballs: Path) -> None:
        self.tarballs = tarballs
        self.calls = 0

    def __call__(self, into: Path, specs: list[str]) -> list[Path]:
        self.calls += 1
        assert len(specs) == len(self.tarballs)
        return [Path(shutil.copy(tarball, into)) for tarball in self.tarballs]


@pytest.fixture
def good_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeNpm:
    """A fake npm serving a tarball whose hash is pinned as the expected integrity."""
    tarball = tmp_path / "pyodide-314.0.7.tgz"
    files = {
        "package/pyodide.mjs": b"/* pyodide */",
        "package/sub/python_stdlib.zip": b"PK",
        "elsewhere/ignored.txt": b"not part of the package",
    }
    monkeypatch.setattr(runtime, "PYODIDE_INTEGRITY", make_tarball(tarball, files))
    fake = FakeNpm(tarball)
    monkeypatch.setattr(npm, "pack", fake)
    return fake


def test_good_tarball_installs_and_is_reused(good_npm: FakeNpm, cache: Path) -> None:
    logs: list[str] = []
    path = ensure_runtime(logs.append)
    assert path == runtime_dir() == cache / "pyodide-314.0.7"
    assert (path / "pyodide.mjs").read_bytes() == b"/* pyodide */"
    assert (path / "sub" / "python_stdlib.zip").read_bytes() == b"PK"
    assert list(cache.iterdir()) == [path]  # no temp dirs left, nothing outside package/
    assert logs[0] == "Pyodide 314.0.7 runtime not found; fetching it with npm…"

    assert ensure_runtime(logs.append) == path
    assert good_npm.calls == 1
    assert len(logs) == 2  # the second call said nothing


def test_integrity_mismatch_installs_nothing(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bogus = tmp_path / "pyodide-314.0.7.tgz"
    make_tarball(bogus, {"package/pyodide.mjs": b"/* tampered */"})
    monkeypatch.setattr(npm, "pack", FakeNpm(bogus))
    with pytest.raises(RuntimeSetupError, match="does not match the pinned integrity"):
        ensure_runtime(lambda _: None)
    assert not runtime_dir().exists()
    assert list(cache.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "kind", "target"),
    [
        ("package/../../escaped.txt", tarfile.REGTYPE, ""),
        ("package/abs-link", tarfile.SYMTYPE, "/etc/passwd"),
        ("package/rel-link", tarfile.SYMTYPE, "../../escaped.txt"),
        ("package/device", tarfile.CHRTYPE, ""),
    ],
)
def test_unsafe_members_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, kind: bytes, target: str
) -> None:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, target
    tarball = tmp_path / "pyodide-314.0.7.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("package/pyodide.mjs"), io.BytesIO(b""))
        archive.addfile(member, io.BytesIO(b""))
    monkeypatch.setattr(runtime, "PYODIDE_INTEGRITY", integrity(tarball))
    monkeypatch.setattr(npm, "pack", FakeNpm(tarball))
    with pytest.raises(RuntimeSetupError):
        ensure_runtime(lambda _: None)
    assert not runtime_dir().exists()
    assert not (tmp_path / "escaped.txt").exists()


def test_missing_npm_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(RuntimeSetupError) as error:
        ensure_runtime(lambda _: None)
    message = str(error.value)
    assert "npm was not found" in message
    assert "Node.js" in message
    assert "HOSTCALL_PYODIDE_DIR" in message


def test_losing_the_race_uses_the_winner(
    good_npm: FakeNpm, monkeypatch: pytest.MonkeyPatch
) -> None:
    def npm_while_another_process_finishes(into: Path, specs: list[str]) -> list[Path]:
        winner = runtime_dir()
        winner.mkdir(parents=True)
        (winner / "pyodide.mjs").write_text("/* winner */")
        (winner / npm.MARKER).write_text("done")
        return good_npm(into, specs)

    monkeypatch.setattr(npm, "pack", npm_while_another_process_finishes)
    path = ensure_runtime(lambda _: None)
    assert (path / "pyodide.mjs").read_text() == "/* winner */"
    assert list(path.parent.iterdir()) == [path]


def test_incomplete_leftover_is_replaced(good_npm: FakeNpm) -> None:
    leftover = runtime_dir()
    leftover.mkdir(parents=True)
    (leftover / "pyodide.mjs").write_text("/* half-written */")
    path = ensure_runtime(lambda _: None)
    assert (path / "pyodide.mjs").read_bytes() == b"/* pyodide */"
    assert good_npm.calls == 1


def test_pyodide_dir_override(
    tmp_path: Path, good_npm: FakeNpm, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSTCALL_PYODIDE_DIR", str(tmp_path))
    with pytest.raises(RuntimeSetupError, match=r"holds no pyodide\.mjs"):
        ensure_runtime(lambda _: None)
    (tmp_path / "pyodide.mjs").write_text("")
    assert ensure_runtime(lambda _: None) == runtime_dir() == tmp_path
    assert good_npm.calls == 0


def test_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSTCALL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert runtime_dir() == tmp_path / "xdg" / "hostcall" / "pyodide-314.0.7"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert runtime_dir() == tmp_path / "home" / ".cache" / "hostcall" / "pyodide-314.0.7"


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tamper: bool = False) -> FakeNpm:
    """Pin two small packages, one scoped, as the editor; ``tamper`` spoils the second's hash."""
    scoped, plain = tmp_path / "scoped.tgz", tmp_path / "plain.tgz"
    pins = (
        npm.Pin("@scope/view", "1.0.0", make_tarball(scoped, {"package/dist/index.js": b"v"})),
        npm.Pin("crelt", "1.0.7", make_tarball(plain, {"package/index.js": b"c"})),
    )
    if tamper:
        pins = (pins[0], npm.Pin("crelt", "1.0.7", pins[0].integrity))
    monkeypatch.setattr(editor, "EDITOR_PACKAGES", pins)
    fake = FakeNpm(scoped, plain)
    monkeypatch.setattr(npm, "pack", fake)
    return fake


def test_editor_packages_install_side_by_side(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_editor(tmp_path, monkeypatch)
    path = ensure_editor(lambda _: None)
    assert path == editor_dir() and path.parent == cache
    assert (path / "@scope" / "view" / "dist" / "index.js").read_bytes() == b"v"
    assert (path / "crelt" / "index.js").read_bytes() == b"c"
    assert ensure_editor(lambda _: None) == path
    assert fake.calls == 1
    assert list(cache.iterdir()) == [path]


def test_one_bad_editor_package_installs_none(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, tamper=True)
    with pytest.raises(RuntimeSetupError, match=r"pinned integrity of crelt@1\.0\.7"):
        ensure_editor(lambda _: None)
    assert list(cache.iterdir()) == []


def test_editor_pins_are_exact_and_closed() -> None:
    """Every pin is an exact version with a sha512, and no package is pinned twice."""
    names = [pin.name for pin in editor.EDITOR_PACKAGES]
    assert len(names) == len(set(names))
    for pin in editor.EDITOR_PACKAGES:
        assert pin.version.count(".") == 2 and pin.version.replace(".", "").isdigit(), pin
        assert pin.integrity.startswith("sha512-") and len(pin.integrity) == 95, pin


def test_build_tools_install_alone_through_setup(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``hostcall setup --build-tools`` fetches the two tools and nothing else; prints their path."""
    tarballs = [tmp_path / f"{name}.tgz" for name in ("esbuild-wasm", "typescript")]
    pins = tuple(
        npm.Pin(
            path.stem, "1.0.0", make_tarball(path, {"package/package.json": path.stem.encode()})
        )
        for path in tarballs
    )
    monkeypatch.setattr(buildtools, "BUILD_TOOLS", pins)
    fake = FakeNpm(*tarballs)
    monkeypatch.setattr(npm, "pack", fake)
    assert cli.main(["setup", "--build-tools"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == buildtools.build_tools_dir() and path.parent == cache
    assert (path / "esbuild-wasm" / "package.json").read_bytes() == b"esbuild-wasm"
    assert (path / "typescript" / "package.json").read_bytes() == b"typescript"
    assert cli.main(["setup", "--build-tools"]) == 0
    assert fake.calls == 1
    assert list(cache.iterdir()) == [path]  # neither the runtime nor the editor


def test_build_tool_pins_are_exact() -> None:
    """esbuild as esbuild-wasm (no platform binary) and typescript, each at an exact version."""
    assert [pin.name for pin in buildtools.BUILD_TOOLS] == ["esbuild-wasm", "typescript"]
    for pin in buildtools.BUILD_TOOLS:
        assert pin.version.count(".") == 2 and pin.version.replace(".", "").isdigit(), pin
        assert pin.integrity.startswith("sha512-") and len(pin.integrity) == 95, pin
