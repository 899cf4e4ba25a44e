"""Rough text measurement for layout decisions (sizes, row heights, column widths).

Widths are estimated in ems: full-width characters (kana, kanji, full-width punctuation)
take 1 em, everything else 0.6 em, a little wider than most Latin faces so estimates err
on the side of room.
"""

from __future__ import annotations

import math
import unicodedata


def text_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def estimate_lines(text: str, size_pt: float, width_in: float) -> int:
    """Lines ``text`` needs at ``size_pt`` in a box ``width_in`` wide (at least one)."""
    if width_in <= 0:
        return 1
    per_line = width_in * 72 / size_pt  # ems per line
    lines = 0
    for para in text.split("\n") or [""]:
        lines += max(1, math.ceil(text_em(para) / per_line))
    return lines


def largest_size(text: str, width_in: float, sizes: tuple[float, ...], max_lines: int = 1) -> float:
    """The first of ``sizes`` at which ``text`` takes at most ``max_lines`` lines."""
    for size in sizes:
        if estimate_lines(text, size, width_in) <= max_lines:
            return size
    return sizes[-1]


BREAK_AFTER = "/・、 →"


def break_label(text: str) -> str:
    """Split a short label into two lines at the break mark nearest its middle.

    Marks are ``/``, ``・``, ``、``, spaces and arrows; with none, the label is returned as is
    (a break inside a word is worse than a smaller size).
    """
    middle = text_em(text) / 2
    best, best_gap = -1, float("inf")
    for i, ch in enumerate(text[:-1]):
        if ch in BREAK_AFTER:
            gap = abs(text_em(text[: i + 1]) - middle)
            if gap < best_gap:
                best, best_gap = i, gap
    if best < 0:
        return text
    return text[: best + 1].rstrip() + "\n" + text[best + 1 :].lstrip()
