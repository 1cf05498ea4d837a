"""The package folder's packages in the worker (docs/packages.md).

The worker installs the packages ``init`` names from the folder's lock file before the first
run. A named package that is not there (or failed to load) makes its import raise an
ImportError saying how to add it, instead of Python's bare "No module named". micropip, when
the folder holds it, looks for packages in the folder only: the worker reaches no index.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Sequence


def setup(missing: Sequence[Sequence[str]], packages_url: str) -> None:
    """Make imports of the ``missing`` packages ([name, why] pairs) raise a clear ImportError,
    and point micropip (if installed) at the folder ``packages_url``."""
    if missing:
        sys.meta_path.append(_Missing({name: why for name, why in missing}))
    if importlib.util.find_spec("micropip") is not None:
        import micropip

        # micropip asks a simple index for <url>/<name>/: no slash of ours before that one.
        micropip.set_index_urls([packages_url.rstrip("/")])


def import_names(package: str) -> set[str]:
    """The names a package not at hand may be imported by: its name as an identifier, and
    without a ``python-`` or ``py`` prefix (python-slugify is ``slugify``)."""
    name = package.replace("-", "_")
    return {name, name.removeprefix("python_"), name.removeprefix("py")} - {""}


class _Missing(importlib.abc.MetaPathFinder):
    """Last on ``sys.meta_path``: asked only for what no other finder found."""

    def __init__(self, missing: dict[str, str]) -> None:
        self.missing = {
            module: (package, why)
            for package, why in missing.items()
            for module in import_names(package)
        }

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name not in self.missing:
            return None
        package, why = self.missing[name]
        raise ModuleNotFoundError(
            f"No module named {name!r}: the package {package!r} named in init's packages "
            f"is not installed ({why}); run `hostcall packages add {package}` in the folder "
            "the page is served from (docs/packages.md)",
            name=name,
        )
