"""Previous / next through a data set's sentences."""

from __future__ import annotations

import pytest

from projection.app_support.navigation import position_label, step

IDS = ["ex-0", "ex-1", "ex-2"]


def test_step_moves_and_stops_at_both_ends() -> None:
    assert step(IDS, "ex-0", 1) == "ex-1"
    assert step(IDS, "ex-2", 1) == "ex-2"
    assert step(IDS, "ex-0", -1) == "ex-0"
    assert step(IDS, "gone", 1) == "ex-1"
    assert position_label(IDS, "ex-1") == "2 / 3"
    with pytest.raises(ValueError, match="no sentences"):
        step([], None, 1)
