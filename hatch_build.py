"""Hatch build hook: put the browser-side assets inside the wheel as ``hostcall/_assets/``.

A hook rather than a static ``force-include`` table because hatchling applies that table
to editable wheels too, copying the assets into site-packages; an editable install serves
them straight from the checkout instead (see ``hostcall.assets``).
"""

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The built bundles (scripts/build; the worker's Python is inside worker/worker.js, and the
# sources in js/ stay out), and the benchmark's floors, not the benchmark: `hostcall serve`
# serves them to the showcase.
ASSETS = (
    "bridge.js",
    "bridge.d.ts",
    "hostcall-sw.js",
    "worker/worker.js",
    "web",
    "showcase",
    "bench/floor.js",
    "bench/floor-worker.js",
)


class AssetsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Force-include the repository-root assets in standard (non-editable) wheels."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Add each asset to the wheel; a missing one fails the build."""
        if version == "editable":
            return
        for name in ASSETS:
            build_data["force_include"][name] = f"hostcall/_assets/{name}"
