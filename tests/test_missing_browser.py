"""Without Chromium or Playwright, every entry point says in one line what to install.

Nothing here starts a browser: the check comes before the server, the runtime and Playwright.
The plugin's side is in test_pytest_plugin.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import hostcall
from hostcall.errors import HostcallError

NO_CHROMIUM = (
    "browser-missing: no Chromium at /nonexistent: install it (apt-get install chromium) "
    "or set HOSTCALL_CHROMIUM to its path"
)
NO_PLAYWRIGHT = (
    "playwright-missing: Playwright is not installed; "
    "install it with: pip install 'hostcall[headless]'"
)
# Runs the command line (or other code) in a process where Playwright cannot be imported.
WITHOUT_PLAYWRIGHT = (
    "import sys\n"
    "sys.modules['playwright'] = sys.modules['playwright.async_api'] = None\n"
    "from hostcall.cli import main\n"
    "sys.exit(main())\n"
)


async def test_browser_start_without_chromium() -> None:
    with pytest.raises(HostcallError) as caught:
        await hostcall.Browser(executable_path="/nonexistent").start()
    assert caught.value.code == "browser-missing"
    assert str(caught.value) == NO_CHROMIUM


def test_sync_browser_without_chromium() -> None:
    with pytest.raises(HostcallError, match=re.escape(NO_CHROMIUM)):
        hostcall.SyncBrowser(executable_path="/nonexistent")


def test_browser_without_playwright() -> None:
    code = (
        "import asyncio, sys\n"
        "sys.modules['playwright'] = sys.modules['playwright.async_api'] = None\n"
        "import hostcall\n"
        "try:\n"
        "    asyncio.run(hostcall.Browser().start())\n"
        "except hostcall.HostcallError as error:\n"
        "    print(error.code, '|', error)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert run.stdout == f"playwright-missing | {NO_PLAYWRIGHT}\n", run.stderr


@pytest.mark.parametrize("command", ["run", "repl"])
@pytest.mark.parametrize("missing", ["chromium", "playwright"])
def test_the_command_line_says_it_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, missing: str
) -> None:
    (tmp_path / "script.py").write_text("print('never')\n")
    if missing == "chromium":
        monkeypatch.setenv("HOSTCALL_CHROMIUM", "/nonexistent")
        start = [sys.executable, "-m", "hostcall"]
    else:
        start = [sys.executable, "-c", WITHOUT_PLAYWRIGHT]
    arguments = ["run", "script.py"] if command == "run" else ["repl"]
    run = subprocess.run(
        [*start, *arguments],
        cwd=tmp_path,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    message = NO_CHROMIUM if missing == "chromium" else NO_PLAYWRIGHT
    assert (run.returncode, run.stdout, run.stderr) == (1, "", f"hostcall: error: {message}\n")
