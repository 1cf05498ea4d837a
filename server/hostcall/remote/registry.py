"""The host functions a server offers: registered by name, listed for pages, and called with
their arguments decoded and checked against the functions' annotations."""

from __future__ import annotations

import asyncio
import functools
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

from hostcall.values import decode

HostFunction = Callable[..., Any]


class Function:
    """A host function, with what each call needs of it worked out once."""

    def __init__(self, func: HostFunction) -> None:
        self.func = func
        self.signature = inspect.signature(func, eval_str=True)
        self.is_async = inspect.iscoroutinefunction(func)

    @functools.cached_property
    def hints(self) -> dict[str, Any]:
        # At the first call, not at registration: annotations may name what is defined later.
        return typing.get_type_hints(self.func)


class Registry:
    """The functions by name."""

    def __init__(self) -> None:
        self._functions: dict[str, Function] = {}

    def add(self, name: str, func: HostFunction) -> None:
        if not name.isidentifier():
            raise ValueError(f"a host function name must be an identifier, not {name!r}")
        self._functions[name] = Function(func)

    def listing(self) -> list[dict[str, Any]]:
        """Each function's name, signature and doc, as the welcome tells a page."""
        return [
            {
                "name": name,
                "signature": f"{name}{function.signature}",
                "doc": inspect.getdoc(function.func),
            }
            for name, function in self._functions.items()
        ]

    async def invoke(self, name: str, message: dict[str, Any], blobs: list[bytes]) -> Any:
        """Call ``name`` with the call message's arguments; raises what the call raises."""
        function = self._functions.get(name)
        if function is None:
            raise NameError(f"the server has no host function {name!r}")
        wire_args, wire_kwargs = message.get("args", []), message.get("kwargs", {})
        if not isinstance(wire_args, list) or not isinstance(wire_kwargs, dict):
            raise TypeError(f"{name}(): malformed arguments")
        try:  # each on its own, as the page encodes them: the depth limit is per argument
            args = [decode(arg, blobs) for arg in wire_args]
            kwargs = {key: decode(arg, blobs) for key, arg in wire_kwargs.items()}
        except (ValueError, TypeError) as exc:
            raise TypeError(f"{name}(): {exc}") from None
        bound = function.signature.bind(*args, **kwargs)  # TypeError names what is wrong
        check_arguments(name, function.hints, bound.arguments)
        if function.is_async:
            return await function.func(*bound.args, **bound.kwargs)
        return await asyncio.to_thread(function.func, *bound.args, **bound.kwargs)


# ------------------------------------------------------------ argument checks --


def check_arguments(name: str, hints: dict[str, Any], arguments: dict[str, Any]) -> None:
    """Raise TypeError when an argument does not match its parameter's annotation."""
    for param, value in arguments.items():
        hint = hints.get(param)
        if hint is not None and not matches(value, hint):
            raise TypeError(
                f"{name}() argument {param!r} must be {describe(hint)}, not {type(value).__name__}"
            )


def matches(value: Any, hint: Any) -> bool:
    """Whether ``value`` fits the annotation ``hint``; what cannot be checked passes."""
    if hint is Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(matches(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if hint is float:  # JSON has one number type: 3 is a fine float
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is None:
        return not isinstance(hint, type) or isinstance(value, hint)
    return _matches_container(value, origin, args)


def _matches_container(value: Any, origin: Any, args: tuple[Any, ...]) -> bool:
    if not isinstance(origin, type):
        return True  # a special form we do not check
    if not isinstance(value, origin):
        return False
    items: Any = value
    if not args:
        return True
    if origin is dict:
        return all(matches(k, args[0]) and matches(v, args[1]) for k, v in items.items())
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return all(matches(item, args[0]) for item in items)
        return len(args) == len(items) and all(map(matches, items, args))
    if origin in (list, set, frozenset):
        return all(matches(item, args[0]) for item in items)
    return True


def describe(hint: Any) -> str:
    """An annotation as a person reads it: ``int``, ``list[str]``, ``int | None``."""
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return str(hint).replace("typing.", "")
