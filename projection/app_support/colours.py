"""One colour per entity label, the same on every page and in every chart.

The base palette is Okabe and Ito's, chosen to stay distinguishable for
colour-blind readers; labels outside it get a stable colour from the spare ones.
"""

from __future__ import annotations

import zlib

LABEL_COLOURS: dict[str, str] = {
    "PER": "#D55E00",
    "ORG": "#0072B2",
    "LOC": "#009E73",
    "DATE": "#E69F00",
    "MISC": "#CC79A7",
}
SPARE_COLOURS = ("#56B4E9", "#8C6D31", "#7F7F7F", "#B8860B", "#6A3D9A", "#1B9E77")


def label_colour(label: str) -> str:
    """``#RRGGBB`` for a label; unknown labels always get the same spare colour."""
    known = LABEL_COLOURS.get(label.upper())
    if known:
        return known
    return SPARE_COLOURS[zlib.crc32(label.encode("utf-8")) % len(SPARE_COLOURS)]


def tint(colour: str, alpha: float) -> str:
    """``rgba(...)`` of a ``#RRGGBB`` colour at the given opacity (for backgrounds)."""
    red, green, blue = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha:g})"
