"""The showcase's code editor: CodeMirror 6, pinned, fetched at set-up time, served at /vendor/.

The packages are native ES modules that the page loads through the import map in
``showcase/index.html`` (which names each package's module entry), with no bundler. Each
package's own ``dependencies`` are pinned here too, at the versions npm resolves today, so
the set is closed: every bare import in one of them names another.
"""

from collections.abc import Callable
from pathlib import Path

from hostcall import npm

# name, exact version, npm's integrity of the tarball
_PINS = """
@codemirror/autocomplete    6.20.4   sha512-yF8RhOf2SXlg00+qtupzLhrglcas61boqaONiNcbPIebHCpJocpqTBA6dyrtUrQO47hqyTdeob/3XnYilT7TaQ==
@codemirror/commands        6.11.1   sha512-O/4hG3SC1YwcmQ0d2UVNDs+AsaNWd1iHVxbTeEBuqH+6bExAiPK3iS/BvpY6rZGURALv4ZD3sIgcCmRvw3ehBg==
@codemirror/lang-python     6.2.1    sha512-IRjC8RUBhn9mGR9ywecNhB51yePWCGgvHfY1lWN/Mrp3cKuHr0isDKia+9HnvhiWNnMpbGhWrkhuWOc09exRyw==
@codemirror/language        6.13.1   sha512-zfvU2r3TyylQLMj/te+5CnQ0rSqZi8B1oTCBbQkagcLW4Xc6imab6qN+pEJhsuNOLaJqiRyBXp9UhWA1DhVvDw==
@codemirror/state           6.7.6    sha512-kAz+AncRtKuIknedxT1bq4XwXv4UowhbkHU1myPrtVb/jZtImWuV5BXzv5vK6i3kYACsdiZiQKFQQ5Mq7elW8w==
@codemirror/streamparser    6.0.0    sha512-JTFPF6xrfjt0mnfGPgzcLiMwYmvIyNaoizp8BYzv8FE8KrT6GBGDZ190rtt+O7Wke3gG/MFHyiY9YGNeimof4w==
@codemirror/view            6.43.15  sha512-HHsfpqFeHyXLs983pSRe38Xajs0vFWZQ2BuX0m7Ki8w3jZ5iD8cuR3lBz2/5/X53Dhf32SBHKh6rtSTB6tKeGw==
@lezer/common               1.5.5    sha512-Pw7PVCndruF1pb3ebCxpSVpkMHSDjwRCLcTRw+RizUKco5QbWylwq2g4lnG/RYN7yTTQDXE9F77MwtkAyphrjg==
@lezer/highlight            1.2.5    sha512-O1GMVKgtf5YspFaRzpmqkVgMtIk2HG9uMAbH6wdAIdNh3TVzCsch/+cRi+6l2//UGDKe6NB9BW3cvuR5ezMQ0w==
@lezer/lr                   1.4.12   sha512-On9HU4oMMiHPMkQDgoTnGahjgG5n/MkN38CgG77sMraKLL+3JBbeQNi1FcCXV9QRqwF9/BUXP3caHyJC1fBOTQ==
@lezer/python               1.1.19   sha512-MhQIURHRytsNzP/YXnqpYKW6la6voAH3kyplTOOiCdjyFY6cWWGFVmYVdHIPrElqSDf4iCDktQCockB9FxuhzQ==
@marijn/find-cluster-break  1.0.4    sha512-Wy0V7+SGUjnF9/TkiM1hKVDPj7jKXduPNboMVtHTA8dySMURWqfg/JZ9E2Sq8JgSJmkl7k7Qe9FLeMSrSraWmQ==
crelt                       1.0.7    sha512-aK6BbWfhf4U/wCcLHKPJl/xa6VkVstRaPywWtMKGwuOLc/wZTyQYuoxgvZnNsBvv7Kg3YTBQYYBCggcviQczuA==
style-mod                   4.1.4    sha512-XXWIQt633/EpAFx8aZDOTjBzrCaGmhvEQlQo6MVPfa2OzO2cWo+4hV9h+6UkHYlXGfy+ODXKUdP7Pthmcu5ATw==
w3c-keyname                 2.2.8    sha512-dpojBhNsCNN7T82Tm7k26A6G9ML3NkhDsnw9n/eoxSRlVBB4CEtIQ/KTCLI2Fwf3ataSXRhYFkQi3SlnFwPvPQ==
"""  # noqa: E501 (hashes)
EDITOR_PACKAGES = tuple(npm.Pin(*line.split()) for line in _PINS.strip().splitlines())


def editor_dir() -> Path:
    """Where the editor's packages are (or will be) unpacked, one directory per package name.

    ``<cache>/codemirror-<hash of the pins>``: changing a pin installs a fresh copy beside.
    """
    return npm.pinned_dir("codemirror", EDITOR_PACKAGES)


def ensure_editor(log: Callable[[str], None]) -> Path:
    """Return the editor directory, fetching the pinned packages first if needed.

    Raises :class:`hostcall.npm.SetupError` when they are missing and cannot be installed.
    """
    path = editor_dir()
    if npm.is_installed(path):
        return path
    log(
        f"the showcase's editor (CodeMirror, {len(EDITOR_PACKAGES)} packages) not found; "
        "fetching it with npm…"
    )
    npm.install(path, EDITOR_PACKAGES, nested=True)
    log(f"the editor installed in {path}")
    return path
