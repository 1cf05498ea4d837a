"""Keeps user code away from the worker's JavaScript unless the page allows it.

By default Python reaches the page only through the host functions it was given:
``import js``, ``pyodide`` (``pyodide.ffi``, ``pyodide.code.run_js``, ``pyodide.http``),
Pyodide's private modules and ``ctypes`` (whose ``CDLL(None).emscripten_run_script`` runs
JavaScript) raise :class:`ImportError` in user code, however they are imported. Pyodide's
own code, hostcall's and micropip's keep using them. The page opts in with
``init({allowJs: true})``.

Who asks is decided by the code object of the frame that imports (its identity, never its
file name, which ``compile`` lets a caller choose), and only Pyodide's and hostcall's code,
at an import statement of its own, is trusted: not the standard library, whose helpers import
whatever a caller names (``pkgutil.resolve_name``, ``pydoc.locate``, ``pickle``), nor their
code when it calls something a caller gave it.

This stops accidental and casual use, not a determined attacker: Python has no private
state, so modules already loaded stay reachable through ``sys.modules``, ``gc`` or the import
system's internals. The boundary is the worker and its Content-Security-Policy
(docs/protocol.md, *Sandbox*).
"""

from __future__ import annotations

import builtins
import importlib
import importlib.abc
import importlib.machinery
import opcode
import sys
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

BLOCKED = frozenset(
    {"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "ctypes", "_ctypes"}
)

# The packages whose code may import them: Pyodide's own, hostcall's, and micropip (Pyodide's
# installer, which the page's package folder provides: it fetches with pyodide.http).
_OWNERS = frozenset({"pyodide", "_pyodide", "hostcall", "micropip"})
_IMPORT_NAME = opcode.opmap["IMPORT_NAME"]
# Not the module attribute: install() replaces it with the guarded one.
_bootstrap: Any = importlib._bootstrap


def install() -> None:
    """Refuse the blocked modules to user code from now on, for the worker's lifetime."""
    machinery = {
        importlib.__name__,
        _bootstrap.__name__,
        "importlib._bootstrap_external",
        "zipimport",
        __name__,
    }
    for function in _functions_of(machinery):
        _trust.machinery.update(_codes(function.__code__))
    _trust.register_owners()
    # Module-level functions, not closures: a guard must not hand out an unguarded import.
    builtins.__import__ = guarded_import
    importlib.__import__ = guarded_import
    importlib.import_module = guarded_import_module
    # Anything else that reaches the import machinery (importlib._bootstrap, runpy) ends
    # up asking the finders for a module not yet loaded.
    sys.meta_path.insert(0, _Refuser())


def guarded_import(
    name: str,
    globals: Mapping[str, object] | None = None,
    locals: Mapping[str, object] | None = None,
    fromlist: Sequence[str] | None = (),
    level: int = 0,
) -> types.ModuleType:
    """``__import__``, refusing the blocked modules to untrusted code."""
    _check(_absolute(name, lambda: _bootstrap._calc___package__(globals), level))
    module: types.ModuleType = _bootstrap.__import__(name, globals, locals, fromlist, level)
    return module


def guarded_import_module(name: str, package: str | None = None) -> types.ModuleType:
    """``importlib.import_module``, refusing the blocked modules to untrusted code."""
    level = len(name) - len(name.lstrip("."))
    if level and not package:
        raise TypeError(f"the 'package' argument is required for a relative import of {name!r}")
    _check(_absolute(name[level:], lambda: package, level))
    module: types.ModuleType = _bootstrap._gcd_import(name[level:], package, level)
    return module


def _absolute(name: str, package: Callable[[], str | None], level: int) -> str:
    """The module a relative import names (``from . import code`` in a module that says its
    package is ``pyodide``), or ``name`` if it cannot be resolved: the import then fails
    with the import system's own error."""
    if level == 0:
        return name
    try:
        absolute: str = _bootstrap._resolve_name(name, package(), level)
    except Exception:  # whatever the import system raises for it, it raises again
        return name
    return absolute


class _Refuser(importlib.abc.MetaPathFinder):
    def find_spec(
        self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        _check(name)
        return None  # not ours to find: the next finder goes on


def _check(name: str) -> None:
    if name.partition(".")[0] not in BLOCKED:
        return
    if not _trust.importer_trusted():
        raise ImportError(
            f"import of {name!r} is blocked: Python in this session reaches the page only "
            "through its host functions (the page may allow it with init({allowJs: true}))",
            name=name,
        )
    # A trusted import may have loaded more of Pyodide, whose functions then import lazily too
    # (a module's own body is not trusted: none of Pyodide's loaded later imports js in it).
    _trust.register_owners()


class _Trust:
    """The code that may import the blocked modules, learnt as their owners load.

    One for the interpreter, like the import it guards: the worker's, not a run's or a Runner's.
    """

    def __init__(self) -> None:
        # Trusted code objects, each with the globals it runs in when its own module runs it.
        self.trusted: dict[types.CodeType, dict[str, object]] = {}
        # The import machinery's code and this module's: passed over when looking for who asks.
        self.machinery: set[types.CodeType] = set()
        self._modules_seen = 0  # len(sys.modules) at the last registration
        self._registered: set[str] = set()  # the owner modules whose code is in trusted

    def importer_trusted(self) -> bool:
        """Whether the code asking for an import, past the import machinery, is trusted.

        Trusted: one of Pyodide's or hostcall's functions, run by its own module (not
        ``exec``'d in other globals, not re-wrapped with ``types.FunctionType``), executing an
        import statement (not calling something, such as a caller's
        ``functools.partial(__import__)``).
        """
        frame: types.FrameType | None = sys._getframe(1)
        while frame is not None:
            code = frame.f_code
            if code not in self.machinery:
                owned = self.trusted.get(code) is frame.f_globals
                return owned and code.co_code[frame.f_lasti] == _IMPORT_NAME
            frame = frame.f_back
        # No Python frame at all: called straight from JavaScript or C, such as a callback the
        # garbage collector runs (weakref.ref(x, functools.partial(...))): nobody to trust.
        return False

    def register_owners(self) -> None:
        """Trust the code of every owner module loaded so far (once each)."""
        if len(sys.modules) == self._modules_seen:
            return
        self._modules_seen = len(sys.modules)
        owners = {name for name in list(sys.modules) if name.partition(".")[0] in _OWNERS}
        if owners <= self._registered:
            return
        new, self._registered = owners - self._registered, owners
        for function in _functions_of(new):
            for code in _codes(function.__code__):
                self.trusted.setdefault(code, function.__globals__)


_trust = _Trust()


def _functions_of(names: Iterable[str]) -> Iterable[types.FunctionType]:
    """The functions the modules ``names`` define: in their namespaces, in the classes they
    define (methods, static and class methods, properties) and behind decorators that keep
    ``__wrapped__``. Functions nested in these are found through their code (:func:`_codes`).
    """
    modules = [m for m in map(sys.modules.get, names) if m is not None]
    namespaces = {id(vars(module)) for module in modules}
    classes_of = {module.__name__ for module in modules}
    seen: set[int] = set()
    todo = [value for module in modules for value in vars(module).values()]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        # type(), not isinstance(): that would ask a JavaScript proxy for its __class__.
        kind = type(obj)
        if kind is types.FunctionType:
            if id(obj.__globals__) in namespaces:
                yield obj
            todo.extend(v for k, v in vars(obj).items() if k == "__wrapped__")
        elif issubclass(kind, type) and vars(obj).get("__module__") in classes_of:
            todo.extend(vars(obj).values())
        elif kind in (staticmethod, classmethod):
            todo.append(obj.__func__)
        elif kind is property:
            todo.extend((obj.fget, obj.fset, obj.fdel))


def _codes(code: types.CodeType) -> Iterable[types.CodeType]:
    """``code`` and the code nested in it (its inner functions, lambdas, comprehensions)."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)
