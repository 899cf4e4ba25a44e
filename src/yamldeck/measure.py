"""Quick text proportions and label breaks; real layout with font metrics lives in ``fit``.

``text_em`` (full-width 1 em, others 0.6 em) is enough for relative column widths and chart
legends, where only proportions matter.
"""

from __future__ import annotations

import unicodedata


def text_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


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
