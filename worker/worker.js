// Generated from js/worker/worker.js by scripts/build; do not edit.

// worker/python/hostcall/__init__.py
var init_default = '"""hostcall inside the worker: what Python code running under hostcall can import.\n\nHost functions themselves need no import: the names a run declares (``extFns``) are\nplaced in the script\'s globals for that run, and :func:`call` reaches any of them by name.\nPage objects arrive as :class:`Handle` ids (DOM elements as :class:`hostcall.dom.Element`).\n"""\n\nfrom __future__ import annotations\n\nfrom ._display import display\nfrom ._host import Handle, call, keep\nfrom .dom import Element\n\n__all__ = [\n    "Element",\n    "Handle",\n    "HostCallLimitError",\n    "HostError",\n    "LimitError",\n    "OutputLimitError",\n    "StaleHandleError",\n    "UserCancelledError",\n    "call",\n    "display",\n    "keep",\n]\n\n\nclass HostError(Exception):\n    """The host answered a call with an error that has no Python builtin of its type.\n\n    ``type`` is the host\'s error name (a JavaScript ``RangeError``, say) and\n    ``message`` its message; ``str(error)`` reads ``"RangeError: message"``.\n    """\n\n    def __init__(self, type: str, message: str) -> None:\n        super().__init__(f"{type}: {message}")\n        self.type = type\n        self.message = message\n\n\nclass _NamedHostError(HostError):\n    """A host error with a class of its own: its message reads as the host\'s message."""\n\n    def __init__(self, message: str) -> None:\n        Exception.__init__(self, message)\n        self.type = type(self).__name__\n        self.message = message\n\n\nclass StaleHandleError(_NamedHostError, LookupError):\n    """A handle that was freed, released at the end of its run, or is another session\'s."""\n\n\nclass UserCancelledError(_NamedHostError):\n    """The person at the page dismissed what a host function asked of them (a file picker)."""\n\n\nclass LimitError(Exception):\n    """A run exceeded one of its limits that has no builtin exception of its own."""\n\n\nclass OutputLimitError(LimitError):\n    """The run wrote more than ``maxOutputBytes`` to stdout and stderr (the rest is dropped)."""\n\n\nclass HostCallLimitError(LimitError):\n    """The run made more than ``maxHostCalls`` host calls."""\n';

// worker/python/hostcall/_codec.py
var codec_default = '"""hostcall\'s value codec, the part both Python sides share (docs/protocol.md, *Values*).\n\nA value travels as JSON plus a list of binary blobs. JSON carries None, bools, strings,\nlists, dicts with string keys and finite numbers as themselves; everything else is a\ntagged object ``{"$hc": tag, ...}``. Here: scalars, containers, tuples, sets, maps, dates,\nnon-finite floats, big ints, the depth limit, cycles, the paths of refusals, and decoding.\nWhat differs between the sides are the extension points of :class:`Encoder` and\n:class:`Decoder`: the worker (worker/python/hostcall/_wire.py) sends handles and exports\ncallables and generators; the server (server/hostcall/values.py) refuses those and carries\nbytes inline as base64 where a text has no blob list beside it.\n\nOne file for both packages: this is worker/python/hostcall/_codec.py, and\nserver/hostcall/_codec.py is a symlink to it. Hence only the standard library here: no\nrelative imports, nothing of Pyodide. The cases of tests/wire-vectors.json are the contract\n(tests/test_wire_vectors.py checks both sides; bridge.js\'s codec passes them under Node).\n"""\n\nfrom __future__ import annotations\n\nimport datetime\nimport functools\nimport json\nimport math\nfrom collections.abc import Callable, Iterable, Sequence\nfrom typing import Any\n\nTAG = "$hc"\nMAX_SAFE_INT = 2**53 - 1\nMAX_DEPTH = 200  # as bridge.js\'s: tests/wire-vectors.json checks both\n\n_FLOAT_NAMES = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}\n\n# Built once: json.dumps with non-default options constructs an encoder on every call,\n# which costs microseconds per host call in Pyodide. Cycles are refused by Encoder.\ndumps = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False).encode\n# A path names a dict\'s key as a JSON string: JavaScript\'s JSON.stringify writes the same,\n# and both languages read it as a subscript (tests/wire-vectors.json, *refusals*).\n_key_text = json.encoder.encode_basestring\n\nInner = Callable[[Any], Any]  # decodes a value nested one level deeper\n\n\nclass Refused(Exception):\n    """A value cannot cross; ``path`` collects the way to it as the encoder unwinds."""\n\n    def __init__(self, what: str) -> None:\n        super().__init__(what)\n        self.what = what\n        self.path: list[str] = []\n\n    def at(self, segment: str) -> Refused:\n        self.path.append(segment)\n        return self\n\n    def error(self, root: str, kind: type[TypeError] = TypeError) -> TypeError:\n        """The error to raise: ``<root><path>: <what>``."""\n        return kind(f"{root}{\'\'.join(reversed(self.path))}: {self.what}")\n\n\nclass Undecodable(ValueError):\n    """A wire value this side does not decode: malformed, an unknown tag, nested too deep."""\n\n\nclass TooDeep(Undecodable):\n    """A wire value nested deeper than :data:`MAX_DEPTH` containers."""\n\n\nclass Encoder:\n    """Python values to their wire form (objects for JSON), for one value at a time.\n\n    A side subclasses it for what differs: :meth:`blob` (how bytes travel) and\n    :meth:`other` (types the core does not know), and names itself in refusals.\n    """\n\n    destination = "the host"  # where a refused value "cannot cross to"\n    refusal: type[TypeError] = TypeError  # what a refusal raises\n\n    def __init__(self, blobs: list[bytes]) -> None:\n        self.blobs = blobs\n        self.active: set[int] = set()  # ids of the containers being encoded: cycles, depth\n\n    def encode(self, value: Any, root: str = "value") -> Any:\n        """The wire form of ``value``; a refusal names its path from ``root``."""\n        try:\n            return self.wire(value)\n        except Refused as refused:\n            raise refused.error(root, self.refusal) from None\n\n    def wire(self, value: Any) -> Any:\n        kind = type(value)\n        if value is None or kind is bool or kind is str:\n            return value\n        if kind is int:\n            return (\n                value if -MAX_SAFE_INT <= value <= MAX_SAFE_INT else {TAG: "int", "v": str(value)}\n            )\n        if kind is float:\n            return value if math.isfinite(value) else {TAG: "float", "v": repr(value)}\n        if isinstance(value, (bytes, bytearray, memoryview)):\n            return self.blob(bytes(value))\n        if isinstance(value, datetime.datetime):\n            moment = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)  # naive: UTC\n            return {TAG: "date", "v": moment.timestamp() * 1000}\n        if isinstance(value, (list, tuple, dict, set, frozenset)):\n            return self.container(value)\n        return self.other(value)\n\n    def blob(self, data: bytes) -> Any:\n        """Bytes go into the blob list; the JSON holds their index."""\n        self.blobs.append(data)\n        return {TAG: "bytes", "i": len(self.blobs) - 1}\n\n    def other(self, value: Any) -> Any:\n        """A value of no type above: a side\'s own types first (then call this), then the\n        subclasses of the scalar types (IntEnum, str enums) as their base type."""\n        for base in (bool, int, float, str):\n            if isinstance(value, base):\n                return self.wire(base(value))\n        raise Refused(\n            f"a value of type {type(value).__name__!r} cannot cross to {self.destination}"\n        )\n\n    def container(self, value: Any) -> Any:\n        # One function with the dispatch below: each Python frame per level of nesting counts\n        # towards the recursion limit, and 200 levels must fit under it with room to spare.\n        active = self.active\n        if id(value) in active:\n            raise Refused(f"a cyclic {type(value).__name__} cannot cross to {self.destination}")\n        if len(active) >= MAX_DEPTH:\n            raise Refused(f"nested deeper than {MAX_DEPTH} levels")\n        active.add(id(value))\n        try:\n            if isinstance(value, list):\n                return self.each(value, lambda i: f"[{i}]")\n            if isinstance(value, tuple):\n                return {TAG: "tuple", "v": self.each(value, lambda i: f"[{i}]")}\n            if isinstance(value, (set, frozenset)):\n                return {TAG: "set", "v": self.each(value, lambda i: f"{{item {i}}}")}\n            if all(type(key) is str for key in value):\n                entries = self.entries(value, lambda key: f"[{_key_text(key)}]")\n                # A "$hc" key would read as a tag: such a dict crosses as a map, paths unchanged.\n                if TAG not in value:\n                    return entries\n                return {TAG: "map", "v": [*map(list, entries.items())]}\n            keys = self.each(value, lambda i: f"{{key {i}}}")\n            items = self.each(value.values(), lambda i: f"{{value {i}}}")\n            return {TAG: "map", "v": [list(pair) for pair in zip(keys, items, strict=True)]}\n        finally:\n            active.discard(id(value))\n\n    def each(self, items: Iterable[Any], segment: Callable[[int], str]) -> list[Any]:\n        """The wire form of each item; a refusal\'s path gets ``segment(index)``."""\n        wire = []\n        for i, item in enumerate(items):\n            try:\n                wire.append(self.wire(item))\n            except Refused as refused:\n                raise refused.at(segment(i)) from None\n        return wire\n\n    def entries(self, items: dict[str, Any], segment: Callable[[str], str]) -> dict[str, Any]:\n        """The wire form of each value of a string-keyed dict; paths get ``segment(key)``."""\n        wire = {}\n        for key, item in items.items():\n            try:\n                wire[key] = self.wire(item)\n            except Refused as refused:\n                raise refused.at(segment(key)) from None\n        return wire\n\n\nclass Decoder:\n    """Wire values back to Python values, for one value (and its blobs) at a time.\n\n    ``blobs`` is called once, and only if the value refers to a blob, so a value without\n    binary data never pays for fetching the blob list. A side subclasses it for the tags\n    only it knows (:meth:`other`) and for the error an unhashable set item raises.\n    """\n\n    unhashable: type[Exception] = TypeError  # a dict as a set item or a dict key\n\n    def __init__(self, blobs: Callable[[], Sequence[bytes]] = list) -> None:\n        self._load_blobs = blobs\n        self._blobs: Sequence[bytes] | None = None\n\n    def walk(self, wire: Any, depth: int = 0) -> Any:\n        """Decode a value already parsed from JSON, refusing one nested deeper than\n        :data:`MAX_DEPTH` containers (deeper than any encoder of hostcall goes)."""\n        if not isinstance(wire, (list, dict)):\n            return wire\n        if depth >= MAX_DEPTH:\n            raise TooDeep(f"a value nested deeper than {MAX_DEPTH} levels")\n\n        # A partial, not a closure, and map, not a comprehension: neither adds a Python frame\n        # per level of nesting, so 200 levels stay well under the recursion limit.\n        inner = functools.partial(self.walk, depth=depth + 1)\n        if isinstance(wire, list):\n            return list(map(inner, wire))\n        if TAG not in wire:\n            return {key: inner(item) for key, item in wire.items()}\n        return self.unwire(wire, inner)\n\n    def unwire(self, wire: dict[str, Any], inner: Inner | None = None) -> Any:\n        """The value of a JSON object: a tagged one\'s, else the object itself. ``inner``\n        decodes the values inside it; None when they are decoded already (as for json\'s\n        ``object_hook``, which this is). A malformed one raises :class:`Undecodable`."""\n        if TAG not in wire:\n            return wire\n        tag = wire[TAG]\n        try:\n            if tag == "bytes":\n                return self.blob(wire)\n            if tag == "tuple":\n                return tuple(wire["v"] if inner is None else map(inner, wire["v"]))\n            if tag == "set":\n                items = wire["v"] if inner is None else map(inner, wire["v"])\n                return {self.hashable(item) for item in items}\n            if tag == "map":\n                pairs = wire["v"] if inner is None else [(inner(k), inner(v)) for k, v in wire["v"]]\n                return {self.hashable(key): item for key, item in pairs}\n            if tag == "int":\n                return int(wire["v"])\n            if tag == "float":\n                return _FLOAT_NAMES[wire["v"]]\n            if tag == "date":\n                return datetime.datetime.fromtimestamp(wire["v"] / 1000, tz=datetime.UTC)\n            return self.other(tag, wire)\n        except (Undecodable, self.unhashable):  # named already (the worker\'s TypeError lets\n            raise  # other TypeErrors through unnamed: from the page, they do not occur)\n        except (KeyError, IndexError, TypeError, ValueError, OverflowError) as exc:\n            raise Undecodable(f"a malformed {tag!r} value: {exc!r}") from None\n\n    def blob(self, wire: dict[str, Any]) -> bytes:\n        """The bytes of a ``bytes`` tag: blob ``i`` of the list beside the JSON."""\n        if self._blobs is None:\n            self._blobs = self._load_blobs()\n        return bytes(self._blobs[wire["i"]])\n\n    def other(self, tag: Any, wire: dict[str, Any]) -> Any:\n        """A tag of no kind above: a side\'s own tags first (then call this)."""\n        raise Undecodable(f"unknown value tag {json.dumps(tag)}")\n\n    def hashable(self, value: Any) -> Any:\n        """Where Python needs a hashable (a set item, a dict key): lists become tuples, sets\n        frozensets; a dict cannot be one."""\n        if isinstance(value, list):\n            return tuple(self.hashable(item) for item in value)\n        if isinstance(value, set):\n            return frozenset(value)\n        if isinstance(value, dict):\n            raise self.unhashable("a dict cannot be a set item or a dict key")\n        return value\n';

// worker/python/hostcall/_display.py
var display_default = '"""``display()``: show a value beside the running ``<script type="text/python">`` block.\n\nIt is a host call the page\'s embed layer answers (js/embed/, docs/embed.md): the page knows\nwhich block runs, or which block installed the event handler that runs, and where its output\ngoes. In a run started from JavaScript nobody answers it, and ``display`` says so.\n"""\n\nfrom __future__ import annotations\n\nfrom typing import Any\n\nfrom ._host import call\n\n# The embed layer declares this host function for every block and event handler it runs.\nHOST_FUNCTION = "hostcall_display"\n\n\ndef display(obj: object, target: Any = None, append: bool = True) -> None:\n    """Show ``obj`` in the block\'s output, or in the element ``target`` names.\n\n    HTML comes from ``obj._repr_html_()`` when it has one; otherwise its text: a ``str`` as\n    it is, anything else as ``repr(obj)``. ``target`` is a CSS selector or a\n    :class:`hostcall.dom.Element`; ``append=False`` replaces what the element holds.\n    """\n    html = _html_of(obj)\n    kind, content = ("html", html) if html is not None else ("text", _text_of(obj))\n    try:\n        call(HOST_FUNCTION, kind, content, target, append)\n    except RuntimeError as error:\n        if HOST_FUNCTION not in str(error):\n            raise\n        raise RuntimeError(\n            \'display() shows output beside a <script type="text/python"> block: this code \'\n            "was not run from one (docs/embed.md)"\n        ) from None\n\n\ndef _html_of(obj: object) -> str | None:\n    repr_html = getattr(obj, "_repr_html_", None)\n    if not callable(repr_html):\n        return None\n    html = repr_html()\n    if html is not None and not isinstance(html, str):\n        kind = type(html).__name__\n        raise TypeError(f"{type(obj).__name__}._repr_html_() returned {kind}, not str")\n    return html\n\n\ndef _text_of(obj: object) -> str:\n    return obj if isinstance(obj, str) else repr(obj)\n';

// worker/python/hostcall/_host.py
var host_default = '"""Python\'s side of the host: calling host functions by name, and opaque handles.\n\nA handle is a page object (a DOM element, a File, ...) that Python holds by an integer id\n(docs/protocol.md, "Handles"). Each one that crosses to Python arrives as a new\n:class:`Handle` (an ``int``), so the seed\'s bare style ``dom_text(btn, "hi")`` keeps working;\nwhen the wrapper is garbage-collected its id is queued and handed back to the page with the\nnext host call or at the end of the run.\n\nWhat the worker\'s Python shares with the page lives in one :class:`HostState`, which the\nRunner makes with :func:`connect` and owns; the functions here reach it through\n:func:`current`.\n"""\n\nfrom __future__ import annotations\n\nfrom collections.abc import Callable\nfrom typing import Any, TypeVar\n\nCallFunction = Callable[[str, tuple[Any, ...], dict[str, Any]], Any]\n\n\nclass HostState:\n    """One session\'s link to the page: how to call it, and what must reach it.\n\n    Handle notes (ids of collected wrappers, ids to keep past their run) wait here for the\n    next message to the page; the Python callables and generators the page holds stay here,\n    by id, until the page lets go of them.\n    """\n\n    def __init__(self, call: CallFunction) -> None:\n        self.call = call  # the Runner\'s: encodes a host call, waits for the page\'s answer\n        self._released: list[int] = []  # ids of collected wrappers, not yet reported\n        self._kept: set[int] = set()  # ids to keep past the end of their run, not yet reported\n        self._exported: dict[int, Any] = {}\n        self._last_export = 0\n\n    def release(self, ref: int) -> None:\n        """A handle\'s wrapper was collected: the page may let go of its object."""\n        self._released.append(ref)\n\n    def keep(self, ref: int) -> None:\n        """The page keeps this handle\'s object past the end of its run."""\n        self._kept.add(ref)\n\n    def export(self, value: Any) -> int:\n        """Hold ``value`` (a callable or a generator) for the page, which refers to it by id."""\n        self._last_export += 1\n        self._exported[self._last_export] = value\n        return self._last_export\n\n    def exported(self, ref: int) -> Any:\n        """The object the page refers to as ``ref``; LookupError once the page let go of it."""\n        try:\n            return self._exported[ref]\n        except KeyError:\n            raise LookupError(f"the page no longer holds Python object {ref}") from None\n\n    def forget(self, refs: list[int]) -> None:\n        """The page collected its proxies of these objects."""\n        for ref in refs:\n            self._exported.pop(ref, None)\n\n    def take_notes(self) -> dict[str, list[int]]:\n        """The handle notes for the next message to the page: released and kept ids."""\n        notes: dict[str, list[int]] = {}\n        if self._released:\n            released = self._released[:]\n            del self._released[: len(released)]  # a __del__ may append meanwhile: keep its id\n            notes["release"] = released\n        if self._kept:\n            notes["keep"] = list(self._kept)\n            self._kept.clear()\n        return notes\n\n\n# The Runner\'s state: a worker runs one session, so one Runner, for the worker\'s lifetime.\n# Handles die whenever the garbage collector says, between runs too, so this outlives a run.\n_state: HostState | None = None\n\n\ndef connect(call: CallFunction) -> HostState:\n    """A new Runner\'s state, the one :func:`call`, handles and the codec use from now on."""\n    global _state\n    _state = HostState(call)\n    return _state\n\n\ndef current() -> HostState:\n    """The Runner\'s state; RuntimeError when no Runner runs this code (plain CPython)."""\n    if _state is None:\n        raise RuntimeError("host functions can only be called while hostcall runs this code")\n    return _state\n\n\nH = TypeVar("H", bound="Handle")\n\n\nclass Handle(int):\n    """An opaque handle to a page object; ``int(handle)`` is its id."""\n\n    __slots__ = ()\n\n    def __repr__(self) -> str:\n        return f"<{type(self).__name__} {int(self)}>"\n\n    def __del__(self) -> None:\n        if _state is not None:  # else there is no page to tell (the codec used on its own)\n            _state.release(int(self))\n\n    def free(self) -> None:\n        """Release the page object now (``dom_free``); using the handle afterwards raises."""\n        call("dom_free", self)\n\n    def __enter__(self: H) -> H:\n        return self\n\n    def __exit__(self, *exc_info: object) -> None:\n        self.free()\n\n\nclass HostIterator(Handle):\n    """A page async iterable (a ReadableStream, an async generator) consumed from Python."""\n\n    __slots__ = ()\n\n    def __iter__(self) -> HostIterator:\n        return self\n\n    def __next__(self) -> Any:\n        step = call("$next", self)\n        if step["done"]:\n            raise StopIteration\n        return step["value"]\n\n\ndef keep(handle: H) -> H:\n    """Keep ``handle`` valid after the run that made it ends (until freed or collected)."""\n    if not isinstance(handle, Handle):\n        raise TypeError(f"keep() takes a handle, not {type(handle).__name__}")\n    current().keep(int(handle))\n    return handle\n\n\ndef call(name: str, *args: Any, **kwargs: Any) -> Any:\n    """Call the host function ``name``, which the current run must declare."""\n    return current().call(name, args, kwargs)\n';

// worker/python/hostcall/_packages.py
var packages_default = '"""The package folder\'s packages in the worker (docs/packages.md).\n\nThe worker installs the packages ``init`` names from the folder\'s lock file before the first\nrun. A named package that is not there (or failed to load) makes its import raise an\nImportError saying how to add it, instead of Python\'s bare "No module named". micropip, when\nthe folder holds it, looks for packages in the folder only: the worker reaches no index.\n"""\n\nfrom __future__ import annotations\n\nimport importlib.abc\nimport importlib.machinery\nimport importlib.util\nimport sys\nimport types\nfrom collections.abc import Sequence\n\n\ndef setup(missing: Sequence[Sequence[str]], packages_url: str) -> None:\n    """Make imports of the ``missing`` packages ([name, why] pairs) raise a clear ImportError,\n    and point micropip (if installed) at the folder ``packages_url``."""\n    if missing:\n        sys.meta_path.append(_Missing({name: why for name, why in missing}))\n    if importlib.util.find_spec("micropip") is not None:\n        import micropip\n\n        # micropip asks a simple index for <url>/<name>/: no slash of ours before that one.\n        micropip.set_index_urls([packages_url.rstrip("/")])\n\n\ndef import_names(package: str) -> set[str]:\n    """The names a package not at hand may be imported by: its name as an identifier, and\n    without a ``python-`` or ``py`` prefix (python-slugify is ``slugify``)."""\n    name = package.replace("-", "_")\n    return {name, name.removeprefix("python_"), name.removeprefix("py")} - {""}\n\n\nclass _Missing(importlib.abc.MetaPathFinder):\n    """Last on ``sys.meta_path``: asked only for what no other finder found."""\n\n    def __init__(self, missing: dict[str, str]) -> None:\n        self.missing = {\n            module: (package, why)\n            for package, why in missing.items()\n            for module in import_names(package)\n        }\n\n    def find_spec(\n        self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None\n    ) -> importlib.machinery.ModuleSpec | None:\n        if name not in self.missing:\n            return None\n        package, why = self.missing[name]\n        raise ModuleNotFoundError(\n            f"No module named {name!r}: the package {package!r} named in init\'s packages "\n            f"is not installed ({why}); run `hostcall packages add {package}` in the folder "\n            "the page is served from (docs/packages.md)",\n            name=name,\n        )\n';

// worker/python/hostcall/_runner.py
var runner_default = '"""The worker\'s Python half: runs user code and turns host-function calls into requests.\n\nworker.js creates one :class:`Runner` per session with a *channel*, a JavaScript object\nwhose ``request(text, ...blobs)`` hands one encoded call to the host and returns the\nencoded reply: directly when the transport blocks the worker (SharedArrayBuffer and\n``Atomics.wait``), or as a Promise that :func:`pyodide.ffi.run_sync` waits for (JSPI).\n"""\n\nfrom __future__ import annotations\n\nimport builtins\nimport inspect\nimport json\nimport keyword\nimport math\nimport os\nimport signal\nimport sys\nimport traceback\nimport types\nfrom collections.abc import Awaitable, Callable\nfrom typing import Any\n\nfrom pyodide.code import eval_code_async\nfrom pyodide.ffi import JsProxy, run_sync, to_js\n\nfrom . import HostCallLimitError, OutputLimitError, _host\nfrom ._wire import decode, encode, encode_call, host_exception\n\n_PACKAGE_DIR = os.path.dirname(__file__)  # frames in hostcall\'s own modules are machinery\n\n\ndef problem_with(ext_fns: Any) -> str | None:\n    """Why ``ext_fns`` cannot be a run\'s host functions, or None when it can."""\n    if not isinstance(ext_fns, list):\n        return "extFns must be an array of function names"\n    for name in ext_fns:\n        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):\n            return f"extFns: {name!r} is not a Python identifier"\n        if hasattr(builtins, name):\n            return f"extFns: {name!r} would shadow the Python builtin of that name"\n    if len(set(ext_fns)) != len(ext_fns):\n        return "extFns: a name is declared twice"\n    return None\n\n\nclass Runner:\n    """One session\'s interpreter state: its globals persist from run to run."""\n\n    def __init__(self, channel: JsProxy, guard: JsProxy) -> None:\n        self._channel = channel\n        self._guard = guard\n        self._request = channel.request  # looked up once: each JsProxy attribute access costs\n        self._calls_left: float = math.inf  # host calls the current execution may still make\n        self._globals: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}\n        self._next_call_id = 0\n        self._declared: frozenset[str] = frozenset()  # the host functions of the current run\n        self._state = _host.connect(self._call)  # handle notes and the objects the page holds\n\n    async def run(self, code: str, filename: str, ext_fns: list[str]) -> Any:\n        """Run ``code``; return ``[done_text, ...blobs]`` as a JavaScript array."""\n        return await self._execute(\n            ext_fns, filename, lambda: eval_code_async(code, self._globals, filename=filename)\n        )\n\n    async def invoke(\n        self, kind: str, ref: str | int, text: str, blobs: JsProxy, ext_fns: list[str]\n    ) -> Any:\n        """Call what the page holds (docs/protocol.md, ``invoke``); return like :meth:`run`.\n\n        ``kind`` is ``name`` (a function among the globals), ``callable`` (one the page got\n        as a value), or ``next``/``close`` (a step of a generator the page got).\n        """\n\n        async def work() -> Any:\n            call = decode(text, lambda: [blob.to_bytes() for blob in blobs])\n            return await self._invoke(kind, ref, call["args"], call["kwargs"])\n\n        return await self._execute(ext_fns, None, work)\n\n    async def _invoke(self, kind: str, ref: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:\n        if kind == "name":  # looked up as Python does: the globals, then the builtins\n            target = self._globals.get(ref, getattr(builtins, ref, _MISSING))\n            if target is _MISSING:\n                raise NameError(f"name {ref!r} is not defined")\n            if not callable(target):\n                raise TypeError(f"{ref!r} is a {type(target).__name__}, not a function")\n            return await _settle(target(*args, **kwargs))\n        if kind == "callable":\n            return await _settle(self._state.exported(ref)(*args, **kwargs))\n        return await self._step(kind, ref)\n\n    async def _step(self, kind: str, ref: int) -> Any:\n        """Advance (``next``) or close (``close``) an exported generator, sync or async."""\n        generator = self._state.exported(ref)\n        is_async = isinstance(generator, types.AsyncGeneratorType)\n        if kind == "close":\n            self._state.forget([ref])\n            return await generator.aclose() if is_async else generator.close()\n        try:\n            value = await anext(generator) if is_async else next(generator)\n        except (StopIteration, StopAsyncIteration):\n            self._state.forget([ref])\n            return {"done": True}\n        return {"done": False, "value": value}\n\n    def forget(self, refs: list[int]) -> None:\n        """The page collected its proxies of these exported objects."""\n        self._state.forget(refs)\n\n    async def _execute(\n        self, ext_fns: list[str], filename: str | None, work: Callable[[], Awaitable[Any]]\n    ) -> Any:\n        shadowed = {name: self._globals.get(name, _MISSING) for name in ext_fns}\n        self._globals.update({name: self._host_function(name) for name in ext_fns})\n        self._declared = frozenset(ext_fns)\n        limits = self._guard.reason().limits\n        recursion_limit = sys.getrecursionlimit()\n        self._calls_left = limits.maxHostCalls or math.inf\n        # Every execution: code of an earlier one may have installed its own handler.\n        signal.signal(signal.SIGINT, self._on_signal)\n        try:\n            try:\n                self._guard.arm()\n                sys.setrecursionlimit(limits.recursionDepth or recursion_limit)  # may refuse\n                value = await work()\n            finally:\n                # At once: describing an error takes time, and a limit still exceeded would\n                # trip the guard again inside the handler below, where nothing catches it.\n                self._guard.disarm()\n            result = {"ok": True, "value": value}\n            del value\n        except BaseException as error:  # every exception, SystemExit too, is a result\n            result = {"ok": False, "error": describe(error, filename)}\n        finally:\n            self._flush()\n            self._declared = frozenset()\n            self._restore(shadowed)\n            sys.setrecursionlimit(recursion_limit)\n        try:\n            text, blobs = encode(result, root="result")\n        except TypeError as error:\n            text, blobs = encode({"ok": False, "error": describe(error, filename)})\n        del result  # its handles\' wrappers die here, so this run\'s notes release them\n        return to_js([_with_notes(text, self._state.take_notes()), *blobs])\n\n    def _restore(self, shadowed: dict[str, Any]) -> None:\n        for name, previous in shadowed.items():\n            if previous is _MISSING:\n                self._globals.pop(name, None)\n            else:\n                self._globals[name] = previous\n\n    def _host_function(self, name: str) -> Callable[..., Any]:\n        def host_function(*args: Any, **kwargs: Any) -> Any:\n            return self._call(name, args, kwargs)\n\n        host_function.__name__ = host_function.__qualname__ = name\n        host_function.__doc__ = f"Call the host function {name!r}; returns the host\'s answer."\n        return host_function\n\n    def _call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:\n        if name not in self._declared and not name.startswith("$"):  # "$...": the bridge\'s own\n            # A stub kept from an earlier run: nobody on the host side would answer it.\n            raise RuntimeError(\n                f"host function {name!r} is not declared for this run: list it in extFns, or "\n                "pass its handler to runWithHostFunctions (Hostcall.hostFunctions() has the "\n                "standard ones)"\n            )\n        self._calls_left -= 1\n        if self._calls_left < 0:\n            raise HostCallLimitError(\n                f"the run made more host calls than its limit (maxHostCalls="\n                f"{self._guard.reason().limits.maxHostCalls})"\n            )\n        self._next_call_id += 1\n        text, blobs = encode_call(self._next_call_id, name, args, kwargs, self._state.take_notes())\n        self._flush()\n        # Most calls carry no bytes: then skip building and spreading an argument list.\n        reply = self._request(text, *map(to_js, blobs)) if blobs else self._request(text)\n        if not isinstance(reply, str):\n            reply = run_sync(reply)\n        answer = decode(reply, self._reply_blobs)\n        if answer["ok"]:\n            return answer["value"]\n        raise host_exception(answer["error"])\n\n    def _on_signal(self, signum: int, frame: object) -> None:\n        """SIGINT comes from the guard (js/worker/guard.js): raise what its cause calls for."""\n        reason = self._guard.reason()\n        raise _LIMIT_ERRORS.get(reason.cause, _interrupted)(reason.limits)\n\n    def _reply_blobs(self) -> list[bytes]:\n        return [blob.to_bytes() for blob in self._channel.replyBlobs()]\n\n    @staticmethod\n    def _flush() -> None:\n        # Output must reach the host before the call it precedes.\n        sys.stdout.flush()\n        sys.stderr.flush()\n\n\n_MISSING = object()\n\n\ndef _interrupted(limits: Any) -> BaseException:\n    return KeyboardInterrupt()\n\n\n_LIMIT_ERRORS: dict[str, Callable[[Any], BaseException]] = {\n    "timeout": lambda limits: TimeoutError(\n        f"the run took longer than its time limit (timeoutMs={limits.timeoutMs})"\n    ),\n    "memory": lambda limits: MemoryError(\n        f"the heap grew past the memory limit (memoryBytes={limits.memoryBytes})"\n    ),\n    "output": lambda limits: OutputLimitError(\n        f"the run wrote more output than its limit (maxOutputBytes={limits.maxOutputBytes})"\n    ),\n}\n\n\nasync def _settle(value: Any) -> Any:\n    """A coroutine function\'s result once awaited; anything else as it is."""\n    return await value if inspect.isawaitable(value) else value\n\n\ndef _with_notes(done_text: str, notes: dict[str, list[int]]) -> str:\n    """Append the handle ``notes`` to a done text (a JSON object)."""\n    if not notes:\n        return done_text\n    return done_text[:-1] + "," + json.dumps(notes, separators=(",", ":"))[1:]\n\n\ndef describe(error: BaseException, filename: str | None) -> dict[str, Any]:\n    """The ``error`` object of a failed result: type, message, frames, and the script\'s line."""\n    frames = _user_frames(error.__traceback__, filename)\n    message = str(error)\n    if isinstance(error, SyntaxError) and filename is not None and error.filename == filename:\n        frames.append({"filename": filename, "line": error.lineno, "name": "<module>"})\n        message = error.msg\n    script_lines = [f["line"] for f in frames if filename is None or f["filename"] == filename]\n    return {\n        "type": type(error).__name__,\n        "message": message,\n        "traceback": frames,\n        "line": script_lines[-1] if script_lines else None,\n    }\n\n\ndef _user_frames(tb: types.TracebackType | None, filename: str | None) -> list[dict[str, Any]]:\n    """Frames from the user\'s script (any code, when None) inward, without hostcall\'s own."""\n    frames = traceback.extract_tb(tb)\n    first = next((i for i, f in enumerate(frames) if filename in (None, f.filename)), len(frames))\n    return [\n        {"filename": f.filename, "line": f.lineno, "name": f.name}\n        for f in frames[first:]\n        if os.path.dirname(f.filename) != _PACKAGE_DIR\n    ]\n';

// worker/python/hostcall/_sandbox.py
var sandbox_default = '"""Keeps user code away from the worker\'s JavaScript unless the page allows it.\n\nBy default Python reaches the page only through the host functions it was given:\n``import js``, ``pyodide`` (``pyodide.ffi``, ``pyodide.code.run_js``, ``pyodide.http``),\nPyodide\'s private modules and ``ctypes`` (whose ``CDLL(None).emscripten_run_script`` runs\nJavaScript) raise :class:`ImportError` in user code, however they are imported. Pyodide\'s\nown code, hostcall\'s and micropip\'s keep using them. The page opts in with\n``init({allowJs: true})``.\n\nWho asks is decided by the code object of the frame that imports (its identity, never its\nfile name, which ``compile`` lets a caller choose), and only Pyodide\'s and hostcall\'s code,\nat an import statement of its own, is trusted: not the standard library, whose helpers import\nwhatever a caller names (``pkgutil.resolve_name``, ``pydoc.locate``, ``pickle``), nor their\ncode when it calls something a caller gave it.\n\nThis stops accidental and casual use, not a determined attacker: Python has no private\nstate, so modules already loaded stay reachable through ``sys.modules``, ``gc`` or the import\nsystem\'s internals. The boundary is the worker and its Content-Security-Policy\n(docs/protocol.md, *Sandbox*).\n"""\n\nfrom __future__ import annotations\n\nimport builtins\nimport importlib\nimport importlib.abc\nimport importlib.machinery\nimport opcode\nimport sys\nimport types\nfrom collections.abc import Callable, Iterable, Mapping, Sequence\nfrom typing import Any\n\nBLOCKED = frozenset(\n    {"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "ctypes", "_ctypes"}\n)\n\n# The packages whose code may import them: Pyodide\'s own, hostcall\'s, and micropip (Pyodide\'s\n# installer, which the page\'s package folder provides: it fetches with pyodide.http).\n_OWNERS = frozenset({"pyodide", "_pyodide", "hostcall", "micropip"})\n_IMPORT_NAME = opcode.opmap["IMPORT_NAME"]\n# Not the module attribute: install() replaces it with the guarded one.\n_bootstrap: Any = importlib._bootstrap\n\n\ndef install() -> None:\n    """Refuse the blocked modules to user code from now on, for the worker\'s lifetime."""\n    machinery = {\n        importlib.__name__,\n        _bootstrap.__name__,\n        "importlib._bootstrap_external",\n        "zipimport",\n        __name__,\n    }\n    for function in _functions_of(machinery):\n        _trust.machinery.update(_codes(function.__code__))\n    _trust.register_owners()\n    # Module-level functions, not closures: a guard must not hand out an unguarded import.\n    builtins.__import__ = guarded_import\n    importlib.__import__ = guarded_import\n    importlib.import_module = guarded_import_module\n    # Anything else that reaches the import machinery (importlib._bootstrap, runpy) ends\n    # up asking the finders for a module not yet loaded.\n    sys.meta_path.insert(0, _Refuser())\n\n\ndef guarded_import(\n    name: str,\n    globals: Mapping[str, object] | None = None,\n    locals: Mapping[str, object] | None = None,\n    fromlist: Sequence[str] | None = (),\n    level: int = 0,\n) -> types.ModuleType:\n    """``__import__``, refusing the blocked modules to untrusted code."""\n    _check(_absolute(name, lambda: _bootstrap._calc___package__(globals), level))\n    module: types.ModuleType = _bootstrap.__import__(name, globals, locals, fromlist, level)\n    return module\n\n\ndef guarded_import_module(name: str, package: str | None = None) -> types.ModuleType:\n    """``importlib.import_module``, refusing the blocked modules to untrusted code."""\n    level = len(name) - len(name.lstrip("."))\n    if level and not package:\n        raise TypeError(f"the \'package\' argument is required for a relative import of {name!r}")\n    _check(_absolute(name[level:], lambda: package, level))\n    module: types.ModuleType = _bootstrap._gcd_import(name[level:], package, level)\n    return module\n\n\ndef _absolute(name: str, package: Callable[[], str | None], level: int) -> str:\n    """The module a relative import names (``from . import code`` in a module that says its\n    package is ``pyodide``), or ``name`` if it cannot be resolved: the import then fails\n    with the import system\'s own error."""\n    if level == 0:\n        return name\n    try:\n        absolute: str = _bootstrap._resolve_name(name, package(), level)\n    except Exception:  # whatever the import system raises for it, it raises again\n        return name\n    return absolute\n\n\nclass _Refuser(importlib.abc.MetaPathFinder):\n    def find_spec(\n        self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None\n    ) -> importlib.machinery.ModuleSpec | None:\n        _check(name)\n        return None  # not ours to find: the next finder goes on\n\n\ndef _check(name: str) -> None:\n    if name.partition(".")[0] not in BLOCKED:\n        return\n    if not _trust.importer_trusted():\n        raise ImportError(\n            f"import of {name!r} is blocked: Python in this session reaches the page only "\n            "through its host functions (the page may allow it with init({allowJs: true}))",\n            name=name,\n        )\n    # A trusted import may have loaded more of Pyodide, whose functions then import lazily too\n    # (a module\'s own body is not trusted: none of Pyodide\'s loaded later imports js in it).\n    _trust.register_owners()\n\n\nclass _Trust:\n    """The code that may import the blocked modules, learnt as their owners load.\n\n    One for the interpreter, like the import it guards: the worker\'s, not a run\'s or a Runner\'s.\n    """\n\n    def __init__(self) -> None:\n        # Trusted code objects, each with the globals it runs in when its own module runs it.\n        self.trusted: dict[types.CodeType, dict[str, object]] = {}\n        # The import machinery\'s code and this module\'s: passed over when looking for who asks.\n        self.machinery: set[types.CodeType] = set()\n        self._modules_seen = 0  # len(sys.modules) at the last registration\n        self._registered: set[str] = set()  # the owner modules whose code is in trusted\n\n    def importer_trusted(self) -> bool:\n        """Whether the code asking for an import, past the import machinery, is trusted.\n\n        Trusted: one of Pyodide\'s or hostcall\'s functions, run by its own module (not\n        ``exec``\'d in other globals, not re-wrapped with ``types.FunctionType``), executing an\n        import statement (not calling something, such as a caller\'s\n        ``functools.partial(__import__)``).\n        """\n        frame: types.FrameType | None = sys._getframe(1)\n        while frame is not None:\n            code = frame.f_code\n            if code not in self.machinery:\n                owned = self.trusted.get(code) is frame.f_globals\n                return owned and code.co_code[frame.f_lasti] == _IMPORT_NAME\n            frame = frame.f_back\n        # No Python frame at all: called straight from JavaScript or C, such as a callback the\n        # garbage collector runs (weakref.ref(x, functools.partial(...))): nobody to trust.\n        return False\n\n    def register_owners(self) -> None:\n        """Trust the code of every owner module loaded so far (once each)."""\n        if len(sys.modules) == self._modules_seen:\n            return\n        self._modules_seen = len(sys.modules)\n        owners = {name for name in list(sys.modules) if name.partition(".")[0] in _OWNERS}\n        if owners <= self._registered:\n            return\n        new, self._registered = owners - self._registered, owners\n        for function in _functions_of(new):\n            for code in _codes(function.__code__):\n                self.trusted.setdefault(code, function.__globals__)\n\n\n_trust = _Trust()\n\n\ndef _functions_of(names: Iterable[str]) -> Iterable[types.FunctionType]:\n    """The functions the modules ``names`` define: in their namespaces, in the classes they\n    define (methods, static and class methods, properties) and behind decorators that keep\n    ``__wrapped__``. Functions nested in these are found through their code (:func:`_codes`).\n    """\n    modules = [m for m in map(sys.modules.get, names) if m is not None]\n    namespaces = {id(vars(module)) for module in modules}\n    classes_of = {module.__name__ for module in modules}\n    seen: set[int] = set()\n    todo = [value for module in modules for value in vars(module).values()]\n    while todo:\n        obj = todo.pop()\n        if id(obj) in seen:\n            continue\n        seen.add(id(obj))\n        # type(), not isinstance(): that would ask a JavaScript proxy for its __class__.\n        kind = type(obj)\n        if kind is types.FunctionType:\n            if id(obj.__globals__) in namespaces:\n                yield obj\n            todo.extend(v for k, v in vars(obj).items() if k == "__wrapped__")\n        elif issubclass(kind, type) and vars(obj).get("__module__") in classes_of:\n            todo.extend(vars(obj).values())\n        elif kind in (staticmethod, classmethod):\n            todo.append(obj.__func__)\n        elif kind is property:\n            todo.extend((obj.fget, obj.fset, obj.fdel))\n\n\ndef _codes(code: types.CodeType) -> Iterable[types.CodeType]:\n    """``code`` and the code nested in it (its inner functions, lambdas, comprehensions)."""\n    yield code\n    for const in code.co_consts:\n        if isinstance(const, types.CodeType):\n            yield from _codes(const)\n';

// worker/python/hostcall/_wire.py
var wire_default = '"""hostcall\'s value encoding inside the worker (docs/protocol.md, "Values").\n\nThe codec itself is _codec.py, which the server shares (server/hostcall/values.py); here is\nwhat only the worker does: page objects (handles) cross both ways, Python callables and\ngenerators are exported for the page to call, a host function\'s call is encoded with a\nfast path for plain arguments, a reply without tagged values is read by a fast path, and a\nhost error becomes the exception Python raises (:func:`host_exception`).\n"""\n\nfrom __future__ import annotations\n\nimport builtins\nimport json\nimport math\nimport types\nfrom collections.abc import Callable\nfrom typing import Any, cast\n\nfrom . import HostError, StaleHandleError, UserCancelledError\nfrom ._codec import MAX_SAFE_INT, TAG, Decoder, Encoder, Refused, dumps\nfrom ._host import Handle, HostIterator, current\nfrom .dom import Element\n\n# The class a handle of each kind arrives as.\n_KINDS: dict[str, type[Handle]] = {"object": Handle, "iterator": HostIterator, "element": Element}\n\n_TAG_KEY = json.dumps(TAG)  # how a tagged object\'s key appears in a JSON text\n_quote = json.encoder.encode_basestring_ascii  # a str as a JSON string, as dumps writes it\n# json.loads checks for whitespace around the document with two regex matches; the texts\n# decoded here are written by JSON.stringify or dumps, without any.\n_raw_decode = json.JSONDecoder().raw_decode\n\n\nclass _Encoder(Encoder):\n    """The core\'s encoder, plus what lives in the page\'s session: handles and exports."""\n\n    def other(self, value: Any) -> Any:\n        if isinstance(value, Handle):\n            return {TAG: "handle", "id": int(value)}\n        if isinstance(value, (types.GeneratorType, types.AsyncGeneratorType)):\n            return {TAG: "iterator", "id": current().export(value)}\n        if callable(value) and not isinstance(value, type):\n            name = getattr(value, "__name__", None)\n            name = name if isinstance(name, str) and name.isidentifier() else "call"\n            return {TAG: "callable", "id": current().export(value), "name": name}\n        return super().other(value)\n\n\nclass _Decoder(Decoder):\n    """The core\'s decoder, plus the page objects held by handle."""\n\n    def other(self, tag: Any, wire: dict[str, Any]) -> Any:\n        if tag == "handle":\n            return _KINDS.get(wire["kind"], Handle)(wire["id"])\n        return super().other(tag, wire)\n\n\ndef encode(value: Any, root: str = "value") -> tuple[str, list[bytes]]:\n    """Return ``(json_text, blobs)`` for ``value``.\n\n    A value that cannot cross raises TypeError whose message names its type and its path\n    from ``root``.\n    """\n    blobs: list[bytes] = []\n    return dumps(_Encoder(blobs).encode(value, root)), blobs\n\n\ndef encode_call(\n    call_id: int,\n    name: str,\n    args: tuple[Any, ...],\n    kwargs: dict[str, Any],\n    notes: dict[str, list[int]],\n) -> tuple[str, list[bytes]]:\n    """Encode a host-function call with the handle ``notes`` (release/keep lists).\n\n    A bad argument\'s error names the function and the argument.\n    """\n    if not kwargs and not notes:\n        # The common call, a few plain positional values, is written directly: the general\n        # path below costs several times more, which matters at microseconds per call.\n        items = [_plain_json(arg) for arg in args]\n        if None not in items:\n            args_json = ",".join(cast("list[str]", items))\n            return f\'{{"id":{call_id},"fn":{_quote(name)},"args":[{args_json}],"kwargs":{{}}}}\', []\n    blobs: list[bytes] = []\n    encoder = _Encoder(blobs)\n    try:\n        wire_args = encoder.each(args, lambda i: f" argument {i + 1}")\n        wire_kwargs = encoder.entries(kwargs, lambda key: f" argument {key!r}")\n    except Refused as refused:\n        raise refused.error(f"{name}()") from None\n    envelope = {"id": call_id, "fn": name, "args": wire_args, "kwargs": wire_kwargs, **notes}\n    return dumps(envelope), blobs\n\n\ndef _plain_json(value: Any) -> str | None:\n    """The JSON text of a value that crosses as itself (as dumps writes it), else None."""\n    kind = type(value)\n    if kind is str:\n        return _quote(value)\n    if kind is int:\n        return repr(value) if -MAX_SAFE_INT <= value <= MAX_SAFE_INT else None\n    if kind is float:\n        return repr(value) if math.isfinite(value) else None\n    if kind is bool:\n        return "true" if value else "false"\n    return "null" if value is None else None\n\n\ndef decode(text: str, blobs: Callable[[], list[bytes]] = list) -> Any:\n    """Inverse of :func:`encode` (and of bridge.js\'s ``encodeValue``).\n\n    ``blobs`` is called once, and only if the text refers to a blob, so a reply without\n    binary data never pays for fetching the blob list.\n    """\n    if _TAG_KEY not in text:  # no tagged value: plain JSON, no hook to call on every object\n        return _raw_decode(text)[0]\n    return json.loads(text, object_hook=_Decoder(blobs).unwire)\n\n\ndef host_exception(error: dict[str, Any]) -> BaseException:\n    """The exception a host error (docs/protocol.md, *Errors*) raises in Python.\n\n    The builtin of that name, built from the error\'s ``args`` when the host sent them (an\n    exception group\'s from its message and ``exceptions``), else from its message;\n    hostcall\'s exception of that name (StaleHandleError, ...); else HostError. The host\'s\n    stack, when it sent one, is a note on it (printed under Python\'s traceback).\n    """\n    exception = _exception(error)\n    if error.get("traceback"):\n        exception.add_note(f"host traceback:\\n{error[\'traceback\']}")\n    return exception\n\n\ndef _exception(error: dict[str, Any]) -> BaseException:\n    type_name, message = error["type"], error["message"]\n    own = _OWN_ERRORS.get(type_name)\n    if own:\n        return own(message)\n    builtin = getattr(builtins, type_name, None)\n    if isinstance(builtin, type) and issubclass(builtin, BaseException):\n        args = error.get("args", [message])\n        if "exceptions" in error:\n            args = [*args[:1], [host_exception(each) for each in error["exceptions"]]]\n        try:\n            return builtin(*args)\n        except (TypeError, ValueError):\n            pass  # args it does not take (UnicodeDecodeError from a message, ...)\n    return HostError(type_name, message)\n\n\n_OWN_ERRORS: dict[str, Callable[[str], HostError]] = {\n    "StaleHandleError": StaleHandleError,\n    "UserCancelledError": UserCancelledError,\n}\n';

// worker/python/hostcall/browser.py
var browser_default = '"""Browser APIs over the standard host functions (docs/host-functions.md)."""\n\nfrom __future__ import annotations\n\nimport datetime\nfrom dataclasses import dataclass\nfrom typing import Any, cast\n\nfrom ._host import call\n\n\n@dataclass(frozen=True)\nclass PickedFile:\n    """A file the person chose: ``text`` when read as text, ``data`` when read as bytes."""\n\n    name: str\n    type: str\n    size: int\n    text: str | None = None\n    data: bytes | None = None\n\n\ndef pick_file(accept: str | None = None, binary: bool = False) -> PickedFile:\n    """Ask the person for a file and read it, as bytes when ``binary``.\n\n    ``accept`` filters the chooser like the HTML attribute (``".csv,text/plain"``). Without a\n    recent click the page shows a "Choose a file…" button first. Raises\n    ``hostcall.UserCancelledError`` when the person cancels.\n    """\n    info = call("pick_file", accept, binary)\n    return PickedFile(info["name"], info["type"], info["size"], info.get("text"), info.get("bytes"))\n\n\ndef upload_file(accept: str | None = None) -> str:\n    """Ask the person for a file and return its text (like :func:`pick_file`)."""\n    return cast(str, call("upload_file", accept))\n\n\ndef download(name: str, data: str | bytes, mime: str = "application/octet-stream") -> None:\n    """Offer ``data`` (text is saved as UTF-8) as a download called ``name``."""\n    call("download", name, data, mime)\n\n\ndef now() -> datetime.datetime:\n    """The page\'s current time, as an aware datetime in UTC."""\n    return datetime.datetime.fromisoformat(cast(str, call("now")))\n\n\ndef sleep(seconds: float) -> None:\n    """Wait ``seconds`` on the page\'s clock; the page keeps working (and queueing events)."""\n    call("sleep", seconds)\n\n\ndef log(*args: Any) -> None:\n    """``console.log`` the values on the page (elements show as elements)."""\n    call("log", *args)\n\n\ndef storage_get(key: str) -> str | None:\n    """The page\'s ``localStorage`` value for ``key``, or None."""\n    return cast("str | None", call("storage_get", key))\n\n\ndef storage_set(key: str, value: str | None) -> None:\n    """Store ``value`` under ``key`` in ``localStorage``; None removes it."""\n    call("storage_set", key, value)\n';

// worker/python/hostcall/dom.py
var dom_default = '"""DOM elements as Python objects, over the standard host functions (docs/host-functions.md).\n\nAn :class:`Element` is still the ``int`` handle the bare ``dom_*`` functions take, so both\nstyles mix freely::\n\n    from hostcall import dom\n\n    counter = dom.create("output", "0", parent=dom.root())\n    button = dom.create("button", "Add one", parent=dom.root(), classes=["primary"])\n    for n in range(1, 4):\n        button.wait_click()\n        counter.text = str(n)\n\nErrors come from the host functions and name them: ``el.text = 5`` raises\n``TypeError("dom_text: argument 2 (text) must be str, not int")``.\n"""\n\nfrom __future__ import annotations\n\nfrom collections.abc import Callable, Iterable, Sequence\nfrom dataclasses import dataclass\nfrom typing import Any, cast\n\nfrom ._host import Handle, call\n\n\n@dataclass(frozen=True)\nclass Event:\n    """What happened, as the page saw it when the event fired.\n\n    ``time`` is in seconds since the epoch (like :func:`time.time`); ``value`` is the value of\n    the input, select or textarea the event happened on; ``key`` is a keyboard event\'s key;\n    ``button``, ``x`` and ``y`` are a mouse event\'s button and position in CSS pixels from the\n    element\'s top-left corner. Fields that do not apply are None.\n    """\n\n    type: str\n    time: float\n    value: str | None = None\n    key: str | None = None\n    button: int | None = None\n    x: float | None = None\n    y: float | None = None\n\n    @classmethod\n    def from_host(cls, info: dict[str, Any]) -> Event:\n        """The event described by the dict ``dom_wait_event`` returns."""\n        fields = ("value", "key", "button", "x", "y")\n        return cls(info["type"], info["time"], **{name: info.get(name) for name in fields})\n\n\nclass Element(Handle):\n    """A page element held by handle; an ``int``, so the bare ``dom_*`` functions take it."""\n\n    __slots__ = ()\n\n    @property\n    def text(self) -> str:\n        """The element\'s text (``textContent``); setting it replaces everything inside."""\n        return cast(str, call("dom_text", self))\n\n    @text.setter\n    def text(self, text: str) -> None:\n        call("dom_text", self, text)\n\n    @property\n    def value(self) -> str:\n        """The current value of an input, select or textarea (TypeError for other elements)."""\n        return cast(str, call("dom_value", self))\n\n    def attr(self, name: str) -> str | None:\n        """The attribute ``name``, or None when the element has none."""\n        return cast("str | None", call("dom_attr", self, name))\n\n    def set_attr(self, name: str, value: str | float | bool | None) -> None:\n        """Set the attribute ``name``; None or False removes it, True sets it empty."""\n        call("dom_attr", self, name, value)\n\n    def prop(self, name: str) -> Any:\n        """The DOM property ``name`` (``checked``, ``disabled``, ...), which must be plain data."""\n        return call("dom_prop", self, name)\n\n    def set_prop(self, name: str, value: Any) -> None:\n        """Set the DOM property ``name`` to plain data (None, bool, number, str, list, dict)."""\n        call("dom_prop", self, name, value)\n\n    def add_class(self, *names: str) -> None:\n        """Add each class name."""\n        for name in names:\n            call("dom_class_add", self, name)\n\n    def remove_class(self, *names: str) -> None:\n        """Remove each class name (absent ones are fine)."""\n        for name in names:\n            call("dom_class_remove", self, name)\n\n    def append(self, *children: Element) -> Element:\n        """Append ``children`` in order, moving them if they are elsewhere; returns the last."""\n        if not children:\n            raise TypeError("append() takes at least one child")\n        for child in children:\n            call("dom_append", self, child)\n        return children[-1]\n\n    def remove(self) -> None:\n        """Detach the element from the page; the handle stays usable (append it again)."""\n        call("dom_remove", self)\n\n    def query(self, selector: str) -> Element | None:\n        """The first element inside this one matching the CSS ``selector``, or None."""\n        return cast("Element | None", call("dom_query", selector, self))\n\n    def wait_click(self, timeout: float | None = None) -> Event:\n        """Block until the element is clicked (or was, since waiting began: clicks queue).\n\n        Raises TimeoutError after ``timeout`` seconds; None waits as long as it takes.\n        """\n        return self.wait_event("click", timeout)\n\n    def wait_event(self, type: str, timeout: float | None = None) -> Event:\n        """Block until an event ``type`` happens on the element; queued ones come first."""\n        return Event.from_host(call("dom_wait_event", self, type, timeout))\n\n    def listen(\n        self, type: str, prevent_default: bool = False, stop_propagation: bool = False\n    ) -> None:\n        """Queue ``type`` events from now on, deciding on the page what Python cannot in time.\n\n        Events before the first wait are kept only after ``listen``; ``prevent_default``\n        stops the browser\'s own action (following a link, submitting a form).\n        """\n        call("dom_listen", self, type, prevent_default, stop_propagation)\n\n    def on(\n        self,\n        type: str,\n        handler: Callable[[Event], object],\n        prevent_default: bool = False,\n        stop_propagation: bool = False,\n    ) -> None:\n        """Call ``handler(event)`` for every ``type`` event from now on, also after this run.\n\n        The page runs it when the worker is idle (after the current run, if one is going);\n        its host calls use the session\'s registered host functions. Not a wait: the run goes\n        on at once. The handler stays until :meth:`off`, even if this handle is freed.\n        """\n\n        def on_event(info: dict[str, Any]) -> object:\n            return handler(Event.from_host(info))\n\n        call("dom_on", self, type, on_event, prevent_default, stop_propagation)\n\n    def off(self, type: str) -> None:\n        """Remove the handlers :meth:`on` attached for ``type``."""\n        call("dom_off", self, type)\n\n\ndef root() -> Element:\n    """The element the host functions work within (the page\'s ``<body>`` by default)."""\n    return cast(Element, call("dom_root"))\n\n\ndef create(\n    tag: str,\n    text: str | None = None,\n    parent: Element | None = None,\n    classes: Iterable[str] = (),\n) -> Element:\n    """A new ``<tag>`` element with ``text`` and ``classes``, appended to ``parent`` if given."""\n    if isinstance(classes, str):\n        raise TypeError("create(): classes must be a list of class names, not str")\n    element = cast(Element, call("dom_create", tag, text))\n    element.add_class(*classes)\n    if parent is not None:\n        parent.append(element)\n    return element\n\n\ndef query(selector: str) -> Element | None:\n    """The first element within the root matching the CSS ``selector``, or None."""\n    return cast("Element | None", call("dom_query", selector))\n\n\ndef wait_click_any(elements: Sequence[Element], timeout: float | None = None) -> Element:\n    """Block until one of ``elements`` is clicked and return it (the object passed in).\n\n    The oldest click queued on any of them comes first, so a ``while True`` menu loop misses\n    no click made while it was busy.\n    """\n    candidates = list(elements)\n    clicked = call("dom_await_click_any", candidates, timeout)\n    return next(element for element in candidates if element == clicked)\n';

// hostcall:python
var python_default = { "__init__.py": init_default, "_codec.py": codec_default, "_display.py": display_default, "_host.py": host_default, "_packages.py": packages_default, "_runner.py": runner_default, "_sandbox.py": sandbox_default, "_wire.py": wire_default, "browser.py": browser_default, "dom.py": dom_default };

// js/wire/frame.js
var SLOT = Object.freeze({ REQUEST: 0, REPLY: 1, OUTPUT_SEQ: 2, INTERRUPT: 3 });
var HEADER_BYTES = 64;
var CHANNEL_BYTES = 1 << 16;
var CHANNEL_MAX_BYTES = 1 << 30;
var encoder = new TextEncoder();
var decoder = new TextDecoder();
var channelViews = /* @__PURE__ */ new WeakMap();
function viewsOf(sab) {
  let views = channelViews.get(sab);
  if (views?.byteLength !== sab.byteLength) {
    views = { byteLength: sab.byteLength, bytes: new Uint8Array(sab), words: new Uint32Array(sab) };
    channelViews.set(sab, views);
  }
  return views;
}
var TABLE = HEADER_BYTES / 4;
var SHORT_TEXT = 2048;
var ASCII = /^[\x00-\x7f]*$/;
function utf8(text) {
  return text.length <= SHORT_TEXT && ASCII.test(text) ? null : encoder.encode(text);
}
function putText(data, at, text, bytes) {
  if (bytes) return data.set(bytes, at);
  for (let i = 0; i < text.length; i++) data[at + i] = text.charCodeAt(i);
}
function getText(data, at, length) {
  if (length <= SHORT_TEXT) {
    const view = data.subarray(at, at + length);
    if (view.every((byte) => byte < 128)) return String.fromCharCode.apply(null, view);
  }
  return decoder.decode(data.slice(at, at + length));
}
function writeFrame(sab, text, blobs) {
  const bytes = utf8(text);
  const textBytes = bytes ? bytes.length : text.length;
  const dataStart = HEADER_BYTES + 8 + 4 * blobs.length;
  const size = blobs.reduce((sum, blob) => sum + blob.byteLength, dataStart + textBytes);
  if (size > CHANNEL_MAX_BYTES) throw new RangeError(`a frame of ${size} bytes exceeds the channel`);
  if (size > sab.byteLength) sab.grow(Math.min(CHANNEL_MAX_BYTES, 2 ** Math.ceil(Math.log2(size))));
  const { words, bytes: data } = viewsOf(sab);
  words[TABLE] = textBytes;
  words[TABLE + 1] = blobs.length;
  putText(data, dataStart, text, bytes);
  let at = dataStart + textBytes;
  blobs.forEach((blob, i) => {
    words[TABLE + 2 + i] = blob.byteLength;
    data.set(blob, at);
    at += blob.byteLength;
  });
}
function readFrame(sab) {
  const { words, bytes: data } = viewsOf(sab);
  const textBytes = words[TABLE];
  const count = words[TABLE + 1];
  let at = HEADER_BYTES + 8 + 4 * count;
  const text = getText(data, at, textBytes);
  at += textBytes;
  const blobs = [];
  for (let i = 0; i < count; i++) {
    const size = words[TABLE + 2 + i];
    blobs.push(data.subarray(at, at + size));
    at += size;
  }
  return { text, blobs };
}

// js/wire/messages.js
var MSG = Object.freeze({
  INIT: "init",
  RUN: "run",
  INVOKE: "invoke",
  REPLY: "reply",
  FORGET: "forget",
  INTERRUPT: "interrupt",
  // bridge -> worker
  READY: "ready",
  PROGRESS: "progress",
  OUTPUT: "output",
  CALL: "call",
  DONE: "done",
  FAILED: "failed",
  CRASHED: "crashed"
  // worker -> bridge
});

// js/wire/pacing.js
var POLL_MS = 0.05;
var MAX_REST = 1024;
function backoff() {
  let resting = 0;
  let rest = 1;
  return {
    /** Whether this wait should sleep at once. */
    resting() {
      if (resting === 0) return false;
      resting--;
      return true;
    },
    missed() {
      resting = rest;
      rest = Math.min(2 * rest, MAX_REST);
    },
    hit() {
      rest = 1;
    }
  };
}
function poller() {
  const pace = backoff();
  return (header, slot, value) => {
    if (pace.resting()) return false;
    const until = performance.now() + POLL_MS;
    while (Atomics.load(header, slot) === value) {
      if (performance.now() > until) {
        pace.missed();
        return false;
      }
    }
    pace.hit();
    return true;
  };
}

// js/worker/guard.js
var SIGINT = 2;
var QUIET_MS = 20;
var QUIET_POLLS = 1e3;
function createGuard(header, slot, heapBytes2) {
  let run2 = 0;
  let armed = false;
  let limits = {};
  let deadline = Infinity;
  let pausedAt = 0;
  let posted = 0;
  let output = 0;
  let cause = null;
  let quietUntil = 0;
  let quietPolls = 0;
  let tick = 0;
  let now = 0;
  const trip = (why) => {
    cause = why;
    quietUntil = performance.now() + QUIET_MS;
    quietPolls = QUIET_POLLS;
    return SIGINT;
  };
  const signals = {
    get 0() {
      if (!armed) return 0;
      const ms = Date.now();
      if (ms !== tick) {
        tick = ms;
        now = performance.now();
      }
      if (quietPolls > 0) quietPolls--;
      if (now < quietUntil || quietPolls > 0) return 0;
      const asked = header ? Atomics.exchange(header, slot, 0) : posted;
      posted = 0;
      if (asked === run2) return trip("interrupt");
      if (now > deadline) return trip("timeout");
      if (heapBytes2() > (limits.memoryBytes ?? Infinity)) return trip("memory");
      if (output > (limits.maxOutputBytes ?? Infinity)) return trip("output");
      return 0;
    },
    set 0(_) {
    }
  };
  return {
    signals,
    /** Guard execution `id` under `runLimits` (docs/api.md, "Limits"). */
    begin(id, runLimits) {
      run2 = id;
      limits = runLimits;
      deadline = limits.timeoutMs == null ? Infinity : performance.now() + limits.timeoutMs;
      output = 0;
      cause = null;
      quietUntil = 0;
      quietPolls = 0;
    },
    end() {
      run2 = 0;
      armed = false;
    },
    /** Called by the runner around the execution proper (a signal outside it would escape). */
    arm() {
      armed = run2 !== 0;
    },
    disarm() {
      armed = false;
    },
    /** Host calls do not count against the time limit: stop the clock while one waits. */
    pause() {
      pausedAt = performance.now();
    },
    resume() {
      deadline += performance.now() - pausedAt;
    },
    /** An interrupt message (jspi): seen at the next poll, if Python is still running `id`. */
    interrupt(id) {
      posted = id;
    },
    /** Count output bytes; false once past the limit (the output is then dropped). */
    wrote(bytes) {
      output += bytes;
      return output <= (limits.maxOutputBytes ?? Infinity);
    },
    /** Why the last SIGINT was raised, with the limit involved: `{cause, limits}`. */
    reason() {
      return { cause, limits };
    }
  };
}

// js/worker/worker.js
var AWAKE_MS = 0.3;
var pyodide = null;
var runner = null;
var runnerModule = null;
var guard = null;
var transport = "none";
var outputSeq = 0;
var awaitingReply = null;
var replyBlobs = [];
var post = (message, transfer = []) => self.postMessage(message, transfer);
var heapBytes = () => pyodide._module.HEAP8.length;
self.onmessage = ({ data }) => {
  switch (data?.type) {
    case MSG.INIT:
      return init(data);
    case MSG.RUN:
      return run(data);
    case MSG.INVOKE:
      return invoke(data);
    case MSG.REPLY:
      return reply(data);
    case MSG.FORGET:
      return runner.forget(data.ids);
    case MSG.INTERRUPT:
      return guard?.interrupt(data.id);
    default:
      return post({ type: MSG.CRASHED, cause: `the worker got an unknown message ${JSON.stringify(data?.type)}` });
  }
};
self.addEventListener("unhandledrejection", (event) => crashIfFatal(event.reason));
async function init({ id, indexURL, channel, lock, allowJs, snapshot, makeSnapshot, packages, packagesURL }) {
  navigator.locks?.request(lock, () => new Promise(() => {
  }));
  try {
    let missing = [];
    const { instance, made } = await withProgress(id, async () => {
      const packageLock = await readPackageLock(packages, packagesURL);
      const config = { indexURL, ...packageConfig(packageLock, packagesURL) };
      const started = await startPyodide(config, snapshot, makeSnapshot);
      missing = await loadPackages(started.instance, packages, packageLock);
      return started;
    });
    pyodide = instance;
    guard = createGuard(channel && new Int32Array(channel, 0, 4), SLOT.INTERRUPT, heapBytes);
    pyodide.setInterruptBuffer(guard.signals);
    installOutput();
    installRunner(channel);
    pyodide.pyimport("hostcall._packages").setup(pyodide.toPy(missing), packagesURL);
    if (!allowJs) pyodide.pyimport("hostcall._sandbox").install();
    const reason = describeTransport(channel);
    post({
      type: MSG.READY,
      id,
      lock,
      transport,
      reason,
      pyodideVersion: pyodide.version,
      pythonVersion: pyodide.runPython("import sys; sys.version.split()[0]"),
      snapshot: made
    }, made ? [made.buffer] : []);
  } catch (error) {
    post({ type: MSG.READY, id, lock, error: String(error?.message ?? error) });
  }
}
async function startPyodide(config, snapshot, makeSnapshot) {
  const { loadPyodide } = await import(`${config.indexURL}pyodide.mjs`);
  if (snapshot) {
    try {
      return { instance: await loadPyodide({ ...config, _loadSnapshot: snapshot }), made: null };
    } catch {
      makeSnapshot = true;
    }
  }
  if (!makeSnapshot) return { instance: await loadPyodide(config), made: null };
  const maker = await loadPyodide({ ...config, _makeSnapshot: true });
  const made = maker.makeMemorySnapshot();
  return { instance: await loadPyodide({ ...config, _loadSnapshot: made.slice() }), made };
}
async function readPackageLock(packages, packagesURL) {
  if (!packages.length) return null;
  const response = await fetch(`${packagesURL}pyodide-lock.json`).catch(() => null);
  return response?.ok ? response.json().catch(() => null) : null;
}
var packageConfig = (packageLock, packagesURL) => packageLock ? { lockFileContents: packageLock, packageBaseUrl: packagesURL } : {};
var canonical = (name) => name.toLowerCase().replace(/[-_.]+/g, "-");
async function loadPackages(instance, packages, packageLock) {
  const names = [...new Set(packages.map(canonical))];
  const known = names.filter((name) => packageLock?.packages[name]);
  const errors = [];
  try {
    if (known.length) await instance.loadPackage(known, { messageCallback: () => {
    }, errorCallback: (text) => errors.push(text) });
  } catch (error) {
    errors.push(String(error?.message ?? error));
  }
  const cause = errors.length ? `it failed to load: ${errors.join("; ")}` : "it is not in the package folder";
  return names.filter((name) => !(name in instance.loadedPackages)).map((name) => [name, known.includes(name) ? cause : "it is not in the package folder"]);
}
async function withProgress(id, load) {
  const realFetch = globalThis.fetch;
  let loaded = 0;
  let total = 0;
  let lastReport = 0;
  const report = (force) => {
    const now = performance.now();
    if (!force && now - lastReport < 50) return;
    lastReport = now;
    post({ type: MSG.PROGRESS, id, loaded, total });
  };
  globalThis.fetch = async (...args) => {
    const response = await realFetch(...args);
    if (!response.body) return response;
    total += Number(response.headers.get("content-length") ?? 0);
    const counter = new TransformStream({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        report(false);
        controller.enqueue(chunk);
      }
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
  };
  try {
    return await load();
  } finally {
    globalThis.fetch = realFetch;
    report(true);
  }
}
function installOutput() {
  for (const stream of ["stdout", "stderr"]) {
    const decoder2 = new TextDecoder();
    const write = (bytes) => {
      if (!guard.wrote(bytes.length)) return bytes.length;
      const text = decoder2.decode(bytes, { stream: true });
      if (text) post({ type: MSG.OUTPUT, stream, text, seq: ++outputSeq });
      return bytes.length;
    };
    (stream === "stdout" ? pyodide.setStdout : pyodide.setStderr)({ write });
  }
}
function installRunner(channel) {
  pyodide.FS.mkdirTree("/hostcall/hostcall");
  for (const [name, source] of Object.entries(python_default)) pyodide.FS.writeFile(`/hostcall/hostcall/${name}`, source);
  pyodide.runPython("import sys; sys.path.insert(0, '/hostcall')");
  runnerModule = pyodide.pyimport("hostcall._runner");
  runner = runnerModule.Runner(channel ? atomicsChannel(channel) : jspiChannel(), guard);
}
function describeTransport(channel) {
  if (channel) {
    transport = "atomics";
    return "the page is cross-origin isolated: host calls block on a SharedArrayBuffer with Atomics.wait";
  }
  if (typeof WebAssembly.Suspending === "function") {
    transport = "jspi";
    return "the page is not cross-origin isolated, so host calls suspend Python with JSPI (run_sync), and interrupt() cannot reach Python while it computes: it is terminated after interruptGraceMs";
  }
  transport = "none";
  return "host functions need either a cross-origin isolated page (headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp) or a browser with WebAssembly JavaScript Promise Integration (WebAssembly.Suspending)";
}
function atomicsChannel(sab) {
  const header = new Int32Array(sab, 0, 4);
  const poll = poller();
  return {
    request(text, ...blobs) {
      const answered = Atomics.load(header, SLOT.REPLY);
      writeFrame(sab, text, blobs);
      Atomics.store(header, SLOT.OUTPUT_SEQ, outputSeq);
      Atomics.add(header, SLOT.REQUEST, 1);
      Atomics.notify(header, SLOT.REQUEST);
      guard.pause();
      poll(header, SLOT.REPLY, answered);
      while (Atomics.load(header, SLOT.REPLY) === answered) Atomics.wait(header, SLOT.REPLY, answered);
      guard.resume();
      const frame = readFrame(sab);
      replyBlobs = frame.blobs;
      return frame.text;
    },
    replyBlobs: () => replyBlobs
  };
}
function jspiChannel() {
  const awake = stayAwake();
  return {
    request(text, ...blobs) {
      guard.pause();
      return new Promise((resolve) => {
        awaitingReply = (reply2) => {
          awake.answered();
          resolve(reply2);
        };
        post({ type: MSG.CALL, text, blobs, outputSeq }, blobs.map((blob) => blob.buffer));
        awake.waiting();
      });
    },
    replyBlobs: () => replyBlobs
  };
}
function stayAwake() {
  const { port1, port2 } = new MessageChannel();
  const pace = backoff();
  let until = 0;
  let turning = false;
  const turn = () => {
    turning = awaitingReply !== null && performance.now() < until;
    if (turning) port2.postMessage(null);
  };
  port1.onmessage = turn;
  return {
    waiting() {
      if (pace.resting()) return;
      until = performance.now() + AWAKE_MS;
      if (!turning) turn();
    },
    answered() {
      if (until === 0) return;
      if (performance.now() < until) pace.hit();
      else pace.missed();
      until = 0;
    }
  };
}
function reply({ text, blobs }) {
  const resolve = awaitingReply;
  awaitingReply = null;
  replyBlobs = blobs;
  guard.resume();
  resolve?.(text);
}
var run = ({ id, code, scriptName, extFns, limits }) => execute(id, "start", extFns, limits, (names) => runner.run(code, scriptName, names));
var invoke = ({ id, target, text, blobs, extFns, limits }) => execute(id, "call", extFns, limits, (names) => runner.invoke(target.kind, target.ref, text, blobs, names));
async function execute(id, method, extFns, limits, work) {
  const names = pyodide.toPy(extFns);
  const problem = runnerModule.problem_with(names);
  if (problem) {
    names.destroy();
    return post({ type: MSG.FAILED, id, code: "invalid-argument", message: `${method}: ${problem}` });
  }
  try {
    guard.begin(id, limits);
    const [text, ...blobs] = await work(names);
    post({ type: MSG.DONE, id, text, blobs, heapBytes: heapBytes() }, blobs.map((blob) => blob.buffer));
  } catch (error) {
    crashIfFatal(error);
    post({ type: MSG.FAILED, id, code: "internal", message: `${method}: ${error?.message ?? error}`, heapBytes: heapBytes() });
  } finally {
    guard.end();
    names.destroy();
  }
}
function crashIfFatal(error) {
  if (!error?.pyodide_fatal_error) return;
  post({ type: MSG.CRASHED, cause: `Pyodide suffered a fatal error: ${error.message ?? error}` });
  self.close();
}
