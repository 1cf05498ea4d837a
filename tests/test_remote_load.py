"""The load test of server-side host functions (bench/load.py), marked ``load``: the default
suite skips it, the benchmark runs it (``pytest -m load``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))

from load import run_load

pytestmark = pytest.mark.load


def test_one_server_process_holds_200_sessions_calling_at_once() -> None:
    load = run_load(sessions=200, calls=20)
    print(load.report())
    assert len(load.latencies) == 200 * 20  # every call answered
    assert load.wrong == 0
