"""The headless driver's errors: the exceptions of the browser's Python, as raised here.

``PythonError`` mirrors the JavaScript ``Hostcall.PythonError`` (an exception raised by the
browser's Python), so its fields in ``docs/api.md`` mean the same here.
"""

from __future__ import annotations

import linecache
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Frame:
    """One frame of a browser-side traceback, outermost first."""

    filename: str
    line: int | None
    name: str


class PythonError(Exception):
    """An exception raised by the Python running in the browser.

    ``type`` is its class name, ``message`` its ``str()``, ``traceback`` its frames from the
    script's outermost inwards, ``line`` the innermost line in the script (or None).
    """

    def __init__(
        self, type: str, message: str, traceback: Sequence[Frame] = (), line: int | None = None
    ) -> None:
        super().__init__(f"{type}: {message}" if message else type)
        self.type = type
        self.message = message
        self.traceback = tuple(traceback)
        self.line = line

    @classmethod
    def from_wire(cls, error: Mapping[str, Any]) -> PythonError:
        """Build one from the bridge's ``{type, message, traceback, line}``."""
        frames = [Frame(f["filename"], f.get("line"), f["name"]) for f in error["traceback"]]
        return cls(error["type"], error["message"], frames, error.get("line"))

    def format(self, sources: Mapping[str, str] | None = None) -> str:
        """Format it as Python prints a traceback, with the source line of each frame.

        Source lines come from ``sources`` (file name → text) or else from the file of that
        name on this machine (``linecache``), which is where a script shipped from here lives.
        """
        lines = ["Traceback (most recent call last):\n"] if self.traceback else []
        for frame in self.traceback:
            where = f", line {frame.line}" if frame.line is not None else ""
            lines.append(f'  File "{frame.filename}"{where}, in {frame.name}\n')
            text = _source_line(frame, sources)
            if text:
                lines.append(f"    {text}\n")
        lines.append(f"{self}\n")
        return "".join(lines)


def _source_line(frame: Frame, sources: Mapping[str, str] | None) -> str:
    if frame.line is None:
        return ""
    if sources is not None and frame.filename in sources:
        all_lines = sources[frame.filename].splitlines()
        return all_lines[frame.line - 1].strip() if 0 < frame.line <= len(all_lines) else ""
    return linecache.getline(frame.filename, frame.line).strip()


def without_frames_of(error: PythonError, filename: str) -> PythonError:
    """``error`` without the frames of ``filename``: code hostcall ran for the user, whose
    frames (a plugin's or a command's helper) would only clutter the user's traceback."""
    frames = [frame for frame in error.traceback if frame.filename != filename]
    line = frames[-1].line if frames else None
    return PythonError(error.type, error.message, frames, line)
