"""The server side's packages say where they run: the headless driver is ``hostcall.headless``,
the network codec and the server load none of it, and the blocking twins take the async
classes' option types instead of retyping them (issue 15, item 3). No browser needed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import typing

import hostcall
import hostcall.errors
import hostcall.headless

# What ``import hostcall.values`` and the server's modules may load of hostcall: no driver.
_SERVER_SIDE = ("hostcall.values", "hostcall.remote", "hostcall.app", "hostcall.cli")


def test_the_codec_and_the_server_load_nothing_of_the_driver() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys\nfor name in {_SERVER_SIDE!r}: __import__(name)\nprint(*sorted(sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [name for name in loaded if name.startswith(("hostcall.headless", "playwright"))] == []
    assert "hostcall.errors" in loaded


def test_the_shared_errors_module_holds_only_the_shared_errors() -> None:
    defined = {
        name
        for name, value in vars(hostcall.errors).items()
        if isinstance(value, type) and value.__module__ == "hostcall.errors"
    }
    assert defined == {"HostcallError", "ArgumentTypeError", "ArgumentValueError"}


def test_documented_names_import_from_where_the_docs_say() -> None:
    for name in hostcall.__all__:
        assert getattr(hostcall, name) is not None
    assert hostcall.Browser is hostcall.headless.Browser
    assert hostcall.SyncSession is hostcall.headless.SyncSession
    assert hostcall.PythonError is hostcall.headless.PythonError
    assert issubclass(hostcall.errors.ArgumentTypeError, hostcall.HostcallError)
    assert "--no-sandbox" in hostcall.headless.CHROMIUM_ARGS
    assert hostcall.headless.CHROMIUM


def test_the_server_package_has_no_second_hostcall_browser_nor_test_tooling() -> None:
    # hostcall.browser is the in-browser package's (worker/python/hostcall/browser.py) only.
    assert importlib.util.find_spec("hostcall.browser") is None
    assert importlib.util.find_spec("hostcall.launch") is None  # ServerProcess is in tests/


def _options(method: object) -> object:
    return typing.get_type_hints(method, include_extras=True)["options"]


def test_the_blocking_twins_take_the_same_option_types() -> None:
    headless = hostcall.headless
    pairs = [
        (headless.Browser.__init__, headless.SyncBrowser.__init__, headless.BrowserOptions),
        (headless.Browser.session, headless.SyncBrowser.session, headless.SessionOptions),
        (headless.Session.run, headless.SyncSession.run, headless.RunOptions),
        (
            headless.Session.run_with_host_functions,
            headless.SyncSession.run_with_host_functions,
            headless.RunOptions,
        ),
    ]
    for asynchronous, blocking, options in pairs:
        assert _options(asynchronous) == _options(blocking) == typing.Unpack[options]
