/**
 * The example gallery, as data: each one a pattern of the seed made real.
 *
 * @typedef {object} Example
 * @property {string} id        stable, used in the URL (#click-counter)
 * @property {string} title
 * @property {string} about     one or two sentences shown above the editor
 * @property {string[]} uses    the host functions (or features) it shows, as Python names them
 * @property {{timeoutMs?: number}} [limits]  limits of its run (the time limit field)
 * @property {string} code
 */

/** @type {Example[]} */
export const EXAMPLES = [
  {
    id: "hello",
    title: "Hello, world",
    about: "Plain Python 3.14 in a Web Worker. print() output streams here as it happens, "
      + "stderr too; the last expression is the run's value.",
    uses: ["print", "browser.sleep"],
    code: `import sys
from hostcall import browser

print(f"Hello from Python {sys.version.split()[0]}!")
for step in range(1, 4):
    browser.sleep(0.2)  # waits on the page's clock: watch the lines arrive
    print(f"step {step} of 3")
print("this line went to stderr", file=sys.stderr)
sum(range(10))  # the last expression is the run's value
`,
  },
  {
    id: "dom",
    title: "Build the page from Python",
    about: "Each element is a handle: an int standing for the real DOM node, which never "
      + "leaves the page. Watch the Live panel's handle table.",
    uses: ["dom.create", "dom.root", "handles"],
    code: `from hostcall import browser, dom

card = dom.create("section", parent=dom.root(), classes=["card"])
dom.create("h3", "Powers of two, built from Python", parent=card)
items = dom.create("ul", parent=card)
for n in range(1, 6):
    dom.create("li", f"2 ** {n} = {2 ** n}", parent=items)

print(f"card is {card!r}; an int? {isinstance(card, int)}")
browser.sleep(1)  # a moment to see the handles in the Live panel
print("the run ends: its handles are released, the elements stay")
`,
  },
  {
    id: "click-counter",
    title: "Click counter",
    about: "A blocking wait: Python stops at wait_click() until you click the button it made. "
      + "Clicks made while Python is busy are queued, never lost.",
    uses: ["el.wait_click", "el.text"],
    code: `from hostcall import dom

label = dom.create("p", "Clicked 0 times", parent=dom.root())
button = dom.create("button", "Click me", parent=dom.root())
for clicks in range(1, 4):
    button.wait_click()  # Python blocks here; the page stays responsive
    label.text = f"Clicked {clicks} time{'s' if clicks > 1 else ''}"
print("Three clicks: done.")
`,
  },
  {
    id: "menu",
    title: "A menu in a while True loop",
    about: "Wait for any of several buttons: one blocking call returns whichever was clicked, "
      + "so a menu is an ordinary loop.",
    uses: ["dom.wait_click_any"],
    code: `from hostcall import dom

menu = dom.create("div", parent=dom.root(), classes=["menu"])
shown = dom.create("p", "Nothing ordered yet.", parent=menu)
tea, coffee, done = (dom.create("button", label, parent=menu) for label in ("Tea", "Coffee", "Done"))
orders = []
while True:
    clicked = dom.wait_click_any([tea, coffee, done])
    if clicked is done:
        break
    orders.append(clicked.text)
    shown.text = f"Ordered: {', '.join(orders)}"
print(f"{len(orders)} drinks: {', '.join(orders) or 'none'}")
`,
  },
  {
    id: "word-count",
    title: "Count the words in a file",
    about: "A browser API as a plain call: upload_file() returns the chosen file's text. "
      + "Run was a click, so the file chooser opens at once.",
    uses: ["browser.upload_file"],
    code: `from collections import Counter
from hostcall import browser

text = browser.upload_file(accept=".txt,.md,.csv,text/plain")
words = [w.strip(".,;:!?\\"'()[]").lower() for w in text.split()]
words = [w for w in words if w]
print(f"{len(words)} words, {len(text.splitlines())} lines")
for word, count in Counter(words).most_common(5):
    print(f"{count:5}  {word}")
`,
  },
  {
    id: "server",
    title: "Python on the server",
    about: "server_info() and word_stats() are Python functions on the server: the page "
      + "relays each call over a websocket, exactly once even if the connection drops, with "
      + "the arguments checked against the function's annotations.",
    uses: ["server_info", "word_stats"],
    code: `info = server_info()
print(f"The server runs Python {info['python']} on {info['platform']}")

stats = word_stats("The cat sat. The cat ran, the dog sat!", top=2)
print(f"{stats['words']} words; most common: {stats['common']}")

try:
    word_stats(42)  # the server checks the annotation: text: str
except TypeError as error:
    print(f"TypeError: {error}")
`,
  },
  {
    id: "runaway",
    title: "A runaway loop",
    about: "Press Stop, or let the time limit end it. With cross-origin isolation Stop raises "
      + "KeyboardInterrupt at once; without, the worker is terminated and restarted.",
    uses: ["Stop", "limits.timeoutMs"],
    limits: { timeoutMs: 2000 },
    code: `n = 0
print("spinning... press Stop, or wait for the time limit")
while True:
    n += 1
`,
  },
  {
    id: "traceback",
    title: "When it goes wrong",
    about: "An exception comes back with Python's traceback, its lines counted in your code: "
      + "click one (or press Enter on it) to jump there.",
    uses: ["error.traceback"],
    code: `def average(values):
    return sum(values) / len(values)


def report(groups):
    for name, values in groups.items():
        print(f"{name}: {average(values):.2f}")


report({"small": [1, 2, 3], "empty": []})
`,
  },
];
