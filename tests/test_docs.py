"""Every code block of README.md and docs/*.md, run as a reader would run it.

Each block is a test of its own, named by file and the line of its opening fence
(``test_page_block[README.md:80-isolated]``), and a failure quotes the block's first lines.

What each fence means:

- ```` ```js ````: run in a real page of the dev server (``showcase/blank.html``), cross-origin
  isolated (atomics) and open (JSPI), as the body of an async function, so top-level ``await``
  works. A block that does not call ``Hostcall.init(`` itself runs after
  ``await Hostcall.init()``: the docs show the init once and go on from there. It must not
  throw, reject, make the page report an error or end an execution with a Python exception
  (but see ``raises`` below). A line ``expression;  // value`` whose comment starts with a JSON
  value (then nothing, or ``;`` or ``(`` and prose) shows its result: the block fails if it differs.
- ```` ```html ````: served as a page of the dev server (its headers, both modes) and loaded.
  Every inline JavaScript ``<script>`` must run to its end (a module's top-level awaits
  included), with no page error, no failed request and no execution ending with a Python
  exception. Its Python blocks (``<script type="text/python">``, docs/embed.md) must all run
  (``Hostcall.boot()``, which boots a manual page too) with no error shown beside them.
- ```` ```python ````: a script, run by this venv's python in a directory of its own; it must
  exit 0. A block defining top-level ``test_`` functions is a pytest file instead: they all run
  in one pytest (the hostcall plugin starts one browser for them), and each block passes when
  its tests do.
- ```` ```sh ```` and ```` ```text ````: shell commands, signatures, shapes and output listings.
  They are not run. Any other fence (a bare one too) fails
  ``test_every_block_is_run_or_fenced_as_text``: nothing is skipped silently.

The rare block that needs context says so in HTML comments on the lines just above its fence,
one directive each, ``<!-- doc-test: NAME ARGUMENTS -->``:

- ``body HTML`` (a js or in-browser block): the page's body holds ``HTML`` before it runs.
- ``clicks LABEL, LABEL`` (a page block): while the block runs, a person keeps clicking the
  buttons with these labels, in that order, every 50 ms.
- ``in-browser`` (a python block): Python for the browser. It runs in the page (both modes)
  with the standard host functions registered (``Hostcall.register(Hostcall.hostFunctions())``)
  and must end without an exception.
- ``app MODULE:NAME`` (a python block): a server app. It is saved as ``MODULE.py`` and loaded by
  ``hostcall serve --app MODULE:NAME``; a page connects to it and must find its functions.
- ``raises TYPE, TYPE`` (a js or html block): its executions end with these Python exceptions, on
  purpose; without it, an execution (``run``, ``runWithHostFunctions``, ``start``...) that ends
  with a Python exception fails the block, as a handler's ``ReferenceError`` would.
- ``server MODULE`` (a js block): the page is one of the server loaded with the ``app``
  block of that module above it in the same file.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route
from playwright.sync_api import Error as PlaywrightError

import batch
from conftest import MODES
from serverprocess import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN = {"js", "html", "python"}
NOT_CODE = {"sh", "text"}
# Each directive, and the kinds of block it applies to.
DIRECTIVES = {
    "body": {"js", "in-browser"},
    "clicks": {"js", "html", "in-browser"},
    "in-browser": {"python"},
    "app": {"python"},
    "server": {"js"},
    "raises": {"js", "html"},
}
FENCE = re.compile(r"^(?P<indent> *)(?P<ticks>```+)\s*(?P<lang>[^`\s]*)\s*$")
DIRECTIVE = re.compile(r"^\s*<!--\s*doc-test:\s*(?P<name>[\w-]+)\s*(?P<args>.*?)\s*-->\s*$")
HEAD_LINES = 4


@dataclass(frozen=True)
class Block:
    """One fenced block of a document."""

    doc: str  # the file, relative to the repository
    line: int  # the opening fence's line, from 1
    lang: str
    text: str
    directives: tuple[tuple[str, str], ...]

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    def directive(self, name: str) -> str | None:
        """The arguments of directive ``name``, or None when the block has none."""
        return next((args for found, args in self.directives if found == name), None)

    @property
    def kind(self) -> str:
        """What the test does with it: js, html, in-browser, app, pytest, script, or the fence."""
        if self.lang != "python":
            return self.lang
        if self.directive("in-browser") is not None:
            return "in-browser"
        if self.directive("app") is not None:
            return "app"
        return "pytest" if defines_tests(self.text) else "script"

    def failure(self, why: str) -> str:
        """A failure message naming the block, quoting its head, then saying what happened."""
        lines = self.text.splitlines()
        head = "\n".join(lines[:HEAD_LINES]) + ("\n..." if len(lines) > HEAD_LINES else "")
        return (
            f"{self.where}: the ```{self.lang} block ({self.kind}) failed\n"
            f"--- the block begins ---\n{head}\n--- what happened ---\n{why}"
        )

    def fail(self, why: str) -> None:
        pytest.fail(self.failure(why), pytrace=False)


def defines_tests(source: str) -> bool:
    """A block with top-level ``test_`` functions is a pytest file."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False  # run as a script, which reports the error
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
        for node in tree.body
    )


def read_blocks(path: Path, root: Path = ROOT) -> tuple[list[Block], list[str]]:
    """The blocks of one document, and the problems of its structure (stray directives)."""
    doc = path.relative_to(root).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    problems: list[str] = []
    pending: list[tuple[str, str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        directive = DIRECTIVE.match(line)
        fence = FENCE.match(line)
        if directive:
            pending.append((directive["name"], directive["args"]))
        elif fence:
            end = index + 1
            while end < len(lines) and not closes(lines[end], fence["ticks"]):
                end += 1
            if end == len(lines):
                problems.append(f"{doc}:{index + 1}: a fence that is never closed")
            indent = len(fence["indent"])
            body = "\n".join(text[indent:] for text in lines[index + 1 : end])
            blocks.append(Block(doc, index + 1, fence["lang"], body + "\n", tuple(pending)))
            pending = []
            index = end
        elif pending and line.strip():
            problems.append(f"{doc}:{index}: a doc-test directive not followed by a fence")
            pending = []
        index += 1
    if pending:
        problems.append(f"{doc}:{len(lines)}: a doc-test directive not followed by a fence")
    return blocks, problems


def closes(line: str, ticks: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(ticks) and not stripped.strip("`")


def read_all() -> tuple[list[Block], list[str]]:
    blocks: list[Block] = []
    problems: list[str] = []
    for path in DOCS:
        found, trouble = read_blocks(path)
        blocks += found
        problems += trouble
    return blocks, problems


BLOCKS, STRUCTURE_PROBLEMS = read_all()
PAGE_KINDS = {"js", "html", "in-browser", "app"}


def block_problems(block: Block) -> list[str]:
    """What is wrong with a block's fence or directives, before running it."""
    if block.lang not in RUN | NOT_CODE:
        fence = f"```{block.lang}" if block.lang else "a bare ```"
        return [
            f"{block.where}: {fence} fence: fence code as ```js, ```html or ```python (run "
            f"by this test), anything else as ```sh or ```text (see tests/test_docs.py)"
        ]
    problems = []
    for name, args in block.directives:
        if name not in DIRECTIVES:
            problems.append(f"{block.where}: unknown doc-test directive {name!r}")
        elif block.lang not in DIRECTIVES[name] and block.kind not in DIRECTIVES[name]:
            problems.append(
                f"{block.where}: doc-test {name} does not apply to a {block.kind} block"
            )
        elif name == "app" and not re.fullmatch(r"\w+:\w+", args):
            problems.append(f"{block.where}: doc-test app wants MODULE:NAME, not {args!r}")
        elif name == "server" and app_block(block, args) is None:
            problems.append(f"{block.where}: doc-test server {args}: no app block {args} above")
    return problems


def app_block(block: Block, module: str) -> Block | None:
    """The nearest ``app MODULE:...`` block above ``block`` in its document."""
    above = [
        other
        for other in BLOCKS
        if other.doc == block.doc
        and other.line < block.line
        and (other.directive("app") or "").split(":")[0] == module
    ]
    return above[-1] if above else None


def ids(blocks: list[Any]) -> list[str]:
    return [block.where for block in blocks]


def test_every_block_is_run_or_fenced_as_text() -> None:
    """Each block is code this test runs, or fenced as not code; every directive is known."""
    problems = STRUCTURE_PROBLEMS + [p for block in BLOCKS for p in block_problems(block)]
    assert not problems, "\n".join(problems)
    assert sum(block.lang in RUN for block in BLOCKS) >= 20, "the documents lost their examples"


def test_the_reader_names_each_block_and_refuses_what_it_cannot_run(tmp_path: Path) -> None:
    """The mechanism itself, on a document made up for it."""
    doc = tmp_path / "made-up.md"
    doc.write_text(
        "# Made up\n"
        "<!-- doc-test: body <p></p> -->\n"
        "```js\n"
        "(await Hostcall.run('1')).value;  // 1\n"
        "```\n"
        "```\n"
        "a listing\n"
        "```\n"
        "<!-- doc-test: in-browser -->\n"
        "```python\n"
        "def test_x(): pass\n"
        "```\n"
        "<!-- doc-test: shout -->\n"
        "```python\n"
        "def test_y(): pass\n"
        "```\n"
        "<!-- doc-test: in-browser -->\n"
        "prose\n",
        encoding="utf-8",
    )
    blocks, problems = read_blocks(doc, tmp_path)
    assert [(b.where, b.lang, b.kind, b.directives) for b in blocks] == [
        ("made-up.md:3", "js", "js", (("body", "<p></p>"),)),
        ("made-up.md:6", "", "", ()),
        ("made-up.md:10", "python", "in-browser", (("in-browser", ""),)),
        ("made-up.md:14", "python", "pytest", (("shout", ""),)),
    ]
    assert problems == ["made-up.md:17: a doc-test directive not followed by a fence"]
    assert [len(block_problems(block)) for block in blocks] == [0, 1, 0, 1]
    assert "a bare ``` fence" in block_problems(blocks[1])[0]
    assert "unknown doc-test directive 'shout'" in block_problems(blocks[3])[0]
    assert with_checks(blocks[0].text) == "__docCheck((await Hostcall.run('1')).value, 1, 1);\n"


# ---------------------------------------------------------------- Python, here --

PYTHON_BLOCKS = [block for block in BLOCKS if block.kind in {"script", "pytest"}]
PYTEST_RUN = "the pytest run"  # beside the blocks' places, the run of the pytest-file blocks


@batch.reads_a_batch
@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=ids(PYTHON_BLOCKS))
def test_python_block(block: Block, python_outcomes: dict[str, str]) -> None:
    if problems := block_problems(block):
        block.fail("\n".join(problems))
    if python_outcomes[block.where] != "passed":
        block.fail(python_outcomes[block.where])


@pytest.fixture(scope="module")
def python_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every Python block run here, all at once (most start a browser and then wait on it):
    block -> "passed" or what failed. Each script runs in a folder of its own; every
    pytest-file block is a module of one pytest run (the hostcall plugin starts one browser
    for them)."""
    started: dict[str, subprocess.Popen[str]] = {}
    for block in PYTHON_BLOCKS:
        if block.kind == "script":
            folder = tmp_path_factory.mktemp("doc_script")
            (folder / "example.py").write_text(block.text, encoding="utf-8")
            started[block.where] = start_python(["example.py"], folder)
    folder = tmp_path_factory.mktemp("doc_tests")
    modules = {}
    for block in (block for block in PYTHON_BLOCKS if block.kind == "pytest"):
        module = "test_" + re.sub(r"\W", "_", block.where)
        (folder / f"{module}.py").write_text(block.text, encoding="utf-8")
        modules[module] = block.where
    report = folder / "report.xml"
    pytest_args = ["-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}", "."]
    started[PYTEST_RUN] = start_python(pytest_args, folder)
    done = batch.finish(started, batch.TIMEOUT)
    outcomes = {
        where: "passed" if run.returncode == 0 else script_failure(run)
        for where, run in done.items()
        if where != PYTEST_RUN
    }
    return outcomes | pytest_outcomes(modules, report, done[PYTEST_RUN])


def start_python(args: list[str], folder: Path) -> subprocess.Popen[str]:
    """This venv's python in ``folder``, with no stdin."""
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def script_failure(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n--- stderr ---\n{done.stderr[-3000:]}"


def pytest_outcomes(
    modules: dict[str, str], report: Path, done: subprocess.CompletedProcess[str]
) -> dict[str, str]:
    """What the pytest run of the pytest-file blocks (module -> block) found of each."""
    if not report.exists():
        why = f"pytest did not run:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        return dict.fromkeys(modules.values(), why)
    outcomes = {where: "no test ran" for where in modules.values()}
    for case in ElementTree.parse(report).iter("testcase"):
        # A test names its module in classname; a module that failed to import, in name.
        module = case.get("classname") or case.get("name") or ""
        where = modules[module.split(".")[0]]
        trouble = [child for child in case if child.tag in {"failure", "error", "skipped"}]
        if trouble:
            outcomes[where] = f"{case.get('name')}: {trouble[0].text or trouble[0].get('message')}"
        elif outcomes[where] == "no test ran":
            outcomes[where] = "passed"
    return outcomes


# ---------------------------------------------------------------- in a page --

PAGE_BLOCKS = [
    pytest.param(block, mode, id=f"{block.where}-{mode}")
    for block in BLOCKS
    if block.kind in PAGE_KINDS
    for mode in MODES
]

# A spy on the methods that return states (run and runWithHostFunctions go through them):
# it collects the Python exceptions executions end with, since a broken example often ends so.
SPY = """((Hostcall, failed) => {
    const methods = Hostcall.Session.prototype;
    for (const name of ["start", "resume", "resumeWithError"]) {
        const method = methods[name];
        methods[name] = async function (...args) {
            const state = await method.apply(this, args);
            if (state.state === "complete" && !state.ok && !failed.includes(state.error)) {
                failed.push(state.error);
            }
            return state;
        };
    }
})"""

# The body of a js block, as an async function's: top-level await works, a SyntaxError names
# the block. `needsInit`: the block goes on from an initialised bridge. Resolves with the Python
# exceptions its executions ended with.
RUN_JS = """async ([code, needsInit, options]) => {
    const AsyncFunction = (async () => {}).constructor;
    const body = new AsyncFunction("__docCheck", code);
    const failed = [];
    SPY(Hostcall, failed);
    if (needsInit) await Hostcall.init(options);
    await body((actual, expected, line) => {
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            const [got, said] = [JSON.stringify(actual), JSON.stringify(expected)];
            throw new Error(`line ${line} of the block gives ${got}, not ${said} as its comment says`);
        }
        return actual;
    });
    return failed;
}""".replace("SPY", SPY)

# `expression;   // value`: a line whose comment starts with a JSON value (then nothing, or
# `;` or `(` and prose) shows a result, which is checked. Declarations, and lines with a slash before
# the comment, are left alone.
SHOWN = re.compile(r"^(?P<indent>\s*)(?P<expr>[^/\s][^/]*?);\s*//\s*(?P<comment>.+)$")
DECLARATION = re.compile(r"^(const|let|var|for|if|else|try|catch|return|throw)\b|^[}{]")


def with_checks(code: str) -> str:
    """``code`` with each result its comments show checked by ``__docCheck``, line for line."""
    lines = code.splitlines()
    for number, line in enumerate(lines, 1):
        shown = SHOWN.match(line)
        if not shown or DECLARATION.match(shown["expr"]):
            continue
        try:
            expected, end = json.JSONDecoder().raw_decode(shown["comment"])
        except ValueError:
            continue
        if shown["comment"][end:].strip()[:1] not in {"", ";", "("}:
            continue
        literal = json.dumps(expected)
        lines[number - 1] = f"{shown['indent']}__docCheck({shown['expr']}, {literal}, {number});"
    return "\n".join(lines) + "\n"


# Python for the browser, with the standard host functions: the run must succeed.
RUN_IN_BROWSER = """async (code) => {
    await Hostcall.init();
    Hostcall.register(Hostcall.hostFunctions());
    const result = await Hostcall.runWithHostFunctions(code, {});
    return result.ok ? null : result.error;
}"""

# An app block's test: a page connects to its server and lists the functions offered.
CONNECT = """async () => {
    const remote = await Hostcall.connect("/hostcall");
    remote.close();
    return remote.functions.map((f) => f.name);
}"""

# A person clicking: every 50 ms, each button with one of `labels`, in their order.
CLICKER = """(labels) => {
    setInterval(() => {
        for (const label of labels) {
            for (const button of document.querySelectorAll("button")) {
                if (button.textContent.trim() === label) button.click();
            }
        }
    }, 50);
}"""

# Before an html block's page loads: record what goes wrong, count the scripts that end, and
# spy on the bridge as soon as bridge.js defines it.
WATCH_PAGE = """window.__docTest = {done: 0, errors: [], failed: []};
addEventListener("error", (event) => window.__docTest.errors.push(String(event.message)));
addEventListener("unhandledrejection", (event) => window.__docTest.errors.push(String(event.reason)));
let hostcall;
Object.defineProperty(globalThis, "Hostcall", {
    configurable: true,
    get: () => hostcall,
    set: (value) => { hostcall = value; SPY(value, window.__docTest.failed); },
});
""".replace("SPY", SPY)
INLINE_SCRIPT = re.compile(r"(<script\b(?P<attrs>[^>]*)>)(?P<body>.*?)(</script>)", re.S | re.I)
PYTHON_TAG = re.compile(r"""<script\b[^>]*\btype\s*=\s*["']?(text/python|py)\b""", re.I)
JS_TYPE = re.compile(r"""\btype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.I)


def instrument(html: str) -> tuple[str, int]:
    """The page with a marker at the end of each inline JavaScript script, and their count.

    A marker runs only once everything before it has (in a module, every top-level await).
    """
    count = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal count
        attrs = match["attrs"]
        kind = JS_TYPE.search(attrs)
        is_js = kind is None or kind["type"].lower() in {"module", "text/javascript"}
        if "src=" in attrs.lower() or not is_js:
            return match[0]
        count += 1
        return f"{match[1]}{match['body']}\n;window.__docTest.done++;\n</script>"

    return INLINE_SCRIPT.sub(mark, html), count


@pytest.fixture(scope="module")
def app_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServers]:
    servers = AppServers(tmp_path_factory)
    yield servers
    servers.stop()


class AppServers:
    """``hostcall serve --app`` for each app block and mode, started when first needed."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.tmp_path_factory = tmp_path_factory
        self.started: dict[tuple[str, str], ServerProcess] = {}

    def server(self, block: Block, mode: str) -> ServerProcess:
        key = (block.where, mode)
        if key not in self.started:
            spec = block.directive("app") or ""
            folder = self.tmp_path_factory.mktemp("app")
            (folder / f"{spec.split(':')[0]}.py").write_text(block.text, encoding="utf-8")
            self.started[key] = ServerProcess(*MODES[mode], "--app", spec, cwd=folder)
        return self.started[key]

    def stop(self) -> None:
        for server in self.started.values():
            server.stop()


@pytest.mark.parametrize(("block", "mode"), PAGE_BLOCKS)
def test_page_block(
    block: Block,
    mode: str,
    servers: dict[str, ServerProcess],
    contexts: dict[str, BrowserContext],
    app_servers: AppServers,
) -> None:
    if problems := block_problems(block):
        block.fail("\n".join(problems))
    server = servers[mode]
    if block.kind == "app":
        server = app_servers.server(block, mode)
    elif module := block.directive("server"):
        app = app_block(block, module)
        assert app is not None
        server = app_servers.server(app, mode)
    page = contexts[mode].new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        if block.kind == "html":
            run_html(block, page, server)
        else:
            page.goto(server.url + "showcase/blank.html")
            run_in_page(block, page)
        # The harness's own check: the mode's page really is (or is not) isolated.
        assert page.evaluate("crossOriginIsolated") == (mode == "isolated")
        if errors:
            block.fail(f"the page reported errors: {errors}")
    finally:
        page.close()


def prepare(block: Block, page: Page) -> None:
    """The context a block's directives ask for."""
    if (body := block.directive("body")) is not None:
        page.evaluate("(html) => document.body.insertAdjacentHTML('beforeend', html)", body)
    if (labels := block.directive("clicks")) is not None:
        page.evaluate(CLICKER, [label.strip() for label in labels.split(",")])


def run_in_page(block: Block, page: Page) -> None:
    """A js, in-browser or app block, on a page holding the bridge."""
    prepare(block, page)
    try:
        if block.kind == "js":
            code = with_checks(block.text)
            # A page of an app's server is the only one of its origin: a startup snapshot made
            # there would serve nobody, and making one costs more than it saves.
            options = {"startupSnapshot": block.directive("server") is None}
            failed = page.evaluate(RUN_JS, [code, "Hostcall.init(" not in block.text, options])
            check_raised(block, failed)
        elif block.kind == "in-browser":
            error = page.evaluate(RUN_IN_BROWSER, block.text)
            if error is not None:
                block.fail(f"Python raised {format_python_error(error)}")
        else:
            found = page.evaluate(CONNECT)
            if sorted(found) != sorted(host_function_names(block.text)):
                block.fail(f"the server offers {found}")
    except PlaywrightError as error:
        block.fail(error.message)


def check_raised(block: Block, failed: list[dict[str, Any]]) -> None:
    """A js block's executions end without a Python exception, but those it says it raises."""
    said = {name.strip() for name in (block.directive("raises") or "").split(",") if name.strip()}
    unexpected = [error for error in failed if error["type"] not in said]
    if unexpected:
        block.fail("an execution ended with " + "; ".join(map(format_python_error, unexpected)))
    if missing := said - {error["type"] for error in failed}:
        block.fail(f"doc-test raises {', '.join(sorted(missing))}, but no execution ended so")


def format_python_error(error: dict[str, Any]) -> str:
    frames = "".join(
        f"\n  {frame['filename']}, line {frame['line']}, in {frame['name']}"
        for frame in error["traceback"]
    )
    return f"{error['type']}: {error['message']}{frames}"


def host_function_names(source: str) -> list[str]:
    """The names an app block registers with ``@functions.host_function(name=...)``."""
    names = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if isinstance(target, ast.Attribute) and target.attr == "host_function":
                named = [k.value for k in (call.keywords if call else []) if k.arg == "name"]
                given = named[0] if named and isinstance(named[0], ast.Constant) else None
                names.append(str(given.value) if given else node.name)
    return names


def run_html(block: Block, page: Page, server: ServerProcess) -> None:
    """Serve an html block as a page of the server (its headers, the block's text) and load it."""
    html, scripts = instrument(block.text)
    url = server.url + "doc-test/page.html"

    def serve(route: Route) -> None:
        real = route.fetch(url=server.url + "showcase/blank.html")
        route.fulfill(response=real, body=html)

    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url}: failed"))
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.url}: {response.status}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.route(url, serve)
    page.add_init_script(WATCH_PAGE)
    page.goto(url)
    prepare(block, page)
    page.wait_for_function(
        "(n) => window.__docTest.done >= n || window.__docTest.errors.length > 0",
        arg=scripts,
        timeout=0,  # pytest's limit applies: a page that never ends is a hang, not slowness
    )
    if PYTHON_TAG.search(block.text):
        page.evaluate("Hostcall.boot()")
        shown = page.eval_on_selector_all(
            ".hostcall-error", "(all) => all.map((e) => e.textContent)"
        )
        if shown and not block.directive("raises"):
            block.fail(f"its Python blocks showed errors: {shown}")
    outcome = page.evaluate("window.__docTest")
    if outcome["errors"] or failed:
        block.fail(f"the page reported {outcome['errors']}; failed requests: {failed}")
    check_raised(block, outcome["failed"])
