"""The JavaScript build's tools: esbuild (as ``esbuild-wasm``) and TypeScript, pinned.

Only the build (``scripts/build``) and the test command use them, never ``hostcall serve``
or a wheel: the generated files are committed. Fetched like the runtime (see
:mod:`hostcall.npm`): ``esbuild-wasm`` runs on Node with no platform binary and no install
script, and both packages have no ``dependencies``, so the set is closed.
"""

from collections.abc import Callable
from pathlib import Path

from hostcall import npm

BUILD_TOOLS = (
    npm.Pin(
        "esbuild-wasm",
        "0.28.2",
        "sha512-GccVwhv3mmOUVQHCQm2Ox/rby8n/EqUwvZxE6Pjfikrq/lWw9g9WX/u9EykWnpot3Ko6j426DgQdea2xWKIAQA==",
    ),
    npm.Pin(
        "typescript",
        "5.9.3",
        "sha512-jl1vZzPDinLr9eUt3J/t7V6FgNEw9QjvBPdysz9KfQDD41fQrC2Y4vKQdiaUpFT4bXlb1RHhLpp8wtm6M5TgSw==",
    ),
)


def build_tools_dir() -> Path:
    """Where the tools are (or will be) unpacked: ``<cache>/build-tools-<hash of the pins>``.

    Each package is ``<dir>/<name>``; changing a pin installs a fresh copy beside.
    """
    return npm.pinned_dir("build-tools", BUILD_TOOLS)


def ensure_build_tools(log: Callable[[str], None]) -> Path:
    """Return the tools directory, fetching the pinned packages first if needed.

    Raises :class:`hostcall.npm.SetupError` when they are missing and cannot be installed.
    """
    path = build_tools_dir()
    if not npm.is_installed(path):
        log("the build tools (esbuild-wasm, typescript) not found; fetching them with npm…")
        npm.install(path, BUILD_TOOLS, nested=True)
        log(f"the build tools installed in {path}")
    return path
