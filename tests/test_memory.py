"""Returning freed memory to the system between windows."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from projection.memory import release_memory


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_heap_pages_between_survivors_go_back_to_the_system() -> None:
    # 4 kB buffers come from glibc's heap; one survivor in a hundred pins the heap's size, as a window's
    # leftovers (cached strings, counters) do, so without a trim the freed pages stay resident.
    buffers = [bytearray(4096) for _ in range(60_000)]
    survivors = buffers[::100]
    del buffers
    before = resident_mb()
    release_memory()
    after = resident_mb()
    assert len(survivors) == 600
    assert before - after > 100, f"resident memory went from {before:.0f} MB to {after:.0f} MB"
