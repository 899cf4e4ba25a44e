"""Text measurement for layout decisions.

``text_em`` is a quick proportion (full-width 1 em, others 0.6 em) for column widths and
legends; ``estimate_lines`` and ``largest_size`` lay text out with the real font metrics
of ``fit`` for the small boxes the writer sizes itself (labels, headings, source lines).
"""

from __future__ import annotations

import unicodedata


def text_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def estimate_lines(text: str, size_pt: float, width_in: float, bold: bool = False) -> int:
    """Lines ``text`` takes at ``size_pt`` in a box ``width_in`` wide, by real font metrics."""
    from .fit import wrap

    if width_in <= 0:
        return 1
    return len(wrap([(c, bold) for c in text], size_pt, width_in * 72))


def largest_size(text: str, width_in: float, sizes: tuple[float, ...], max_lines: int = 1,
                 bold: bool = False) -> float:
    """The first of ``sizes`` at which ``text`` takes at most ``max_lines`` lines."""
    for size in sizes:
        if estimate_lines(text, size, width_in, bold) <= max_lines:
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
