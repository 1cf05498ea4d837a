"""The host functions ``hostcall serve`` offers when no ``--app`` names others: the
showcase's "Python on the server" example calls them."""

from __future__ import annotations

import platform
import re
import sys
from collections import Counter

from hostcall.remote import HostFunctions

functions = HostFunctions()


@functions.host_function
async def server_info() -> dict[str, str]:
    """Which Python, on which system, answers on the server."""
    return {"python": sys.version.split()[0], "platform": platform.system()}


@functions.host_function
async def word_stats(text: str, top: int = 3) -> dict[str, object]:
    """Count the words of ``text`` on the server; its ``top`` most common ones."""
    words = re.findall(r"[a-z']+", text.lower())
    return {"words": len(words), "common": Counter(words).most_common(top)}
