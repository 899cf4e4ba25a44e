"""Read one number as Japanese business files write it (pure: no files, no imports of note).

Accepted: ``1234.5``, thousands separators ``1,234`` (every group after a comma exactly three
digits), negatives ``-12`` ``▲12`` ``△12`` ``▼12`` ``(12)``, full-width digits and signs
(``－１２``, ``１２．５％``; NFKC is applied to the cell being read as a number, never to
labels), ``%`` (``12.5%`` reads as 12.5, as displayed), currency marks before the number
(``¥`` ``\\`` ``$`` ``€`` ``£`` ``₩``; ``\\`` is how CP932 files carry ``¥``) or ``円`` after
it, and exponents (``1.2E+03``).

Gaps (no value): an empty cell, ``-``, ``－``, ``―``, ``—``, ``NA``, ``N/A``.

Refused, each with its own hint: decimal commas and other ambiguous commas (``1,5``,
``1,23``, ``0,123``), European ``1.234,5``, Excel errors (``#DIV/0!``, ``#N/A`` …),
``####`` (a column too narrow when Excel wrote the CSV), units of scale in a cell
(``12億円``: put the unit in the header or ``unit:``), two signs, and anything whose size
is over ``MAX_ABS_VALUE`` or not finite.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

#: Largest magnitude a chart value may have (and a stacked total, and a rebased value).
#: Beyond it floats lose whole units and labels turn into exponents; 1e15 is 1,000兆.
MAX_ABS_VALUE = 1e15

GAPS = frozenset({"", "-", "―", "—", "–", "‐", "−", "NA", "N/A", "n/a"})
NEGATIVE_MARKS = ("▲", "△", "▼", "-", "−")
CURRENCY_BEFORE = ("US$", "¥", "\\", "$", "€", "£", "₩")
CURRENCY_AFTER = ("円",)
#: Units of scale: a cell holding one mixes two magnitudes in one column.
SCALE_UNITS = ("千円", "万円", "百万円", "千万円", "億円", "兆円", "千", "万", "百万", "億", "兆")
EXCEL_ERRORS = (
    "#DIV/0!",
    "#N/A",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
)

_PLAIN = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$")
_EUROPEAN = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+,\d+$|^\d+\.\d+,\d+$")
_SPACES = re.compile(r"(?<=\D)\s+|\s+(?=\D)")

PLAIN_HINT = "write plain numbers (1234.5); leave the cell empty when missing"


@dataclass(frozen=True)
class Unreadable:
    """Why a cell is not a number, and what to do about it."""

    message: str
    hint: str = PLAIN_HINT


def read_number(text: str) -> float | Unreadable | None:
    """The number ``text`` shows, None for a gap, or why it cannot be read."""
    raw = text.strip()
    if raw in GAPS:
        return None
    s = _SPACES.sub("", unicodedata.normalize("NFKC", raw)).replace("−", "-")
    if s in GAPS:
        return None
    if s.startswith("#"):
        upper = s.upper()
        if set(s) == {"#"}:
            return Unreadable(
                f"'{raw}' is what Excel shows when a column is too narrow",
                "widen the column in Excel and save the CSV again",
            )
        if upper in EXCEL_ERRORS or re.fullmatch(r"#[A-Z/0_]+[!?]?", upper):
            return Unreadable(
                f"'{raw}' is an Excel error",
                "fix the formula in the workbook, or leave the cell empty (or "
                "'-') when there is no value",
            )
    core, negative, marks = s, False, 0
    if len(core) > 2 and core[0] == "(" and core[-1] == ")":
        core, negative, marks = core[1:-1], True, 1
    percent = currency = False
    changed = True
    while changed and core:
        changed = False
        for mark in NEGATIVE_MARKS:
            if core.startswith(mark):
                core, negative, marks, changed = core[len(mark) :], True, marks + 1, True
        if core.startswith("+"):
            core, marks, changed = core[1:], marks + 1, True
        for mark in CURRENCY_BEFORE:
            if core.startswith(mark) and not currency:
                core, currency, changed = core[len(mark) :], True, True
    for unit in sorted(SCALE_UNITS, key=len, reverse=True):
        if core.endswith(unit) and core[: -len(unit)][-1:].isdigit():
            return Unreadable(
                f"'{raw}' has a unit of scale ({unit}) in the cell",
                "write the number alone and put the unit in the column's "
                f"header (売上高（{unit}）) or in the chart's `unit:`",
            )
    if core.endswith("%"):
        core, percent = core[:-1], True
    for mark in CURRENCY_AFTER:
        if core.endswith(mark) and not currency:
            core, currency = core[: -len(mark)], True
    if marks > 1:
        return Unreadable(
            f"'{raw}' has more than one sign", "write one minus sign (-12, ▲12 or (12))"
        )
    if percent and currency:
        return Unreadable(f"'{raw}' is both a percentage and an amount of money")
    if "," in core:
        if not _GROUPED.match(core):
            if _EUROPEAN.match(core) and "." in core:
                return Unreadable(
                    f"'{raw}' is written with a decimal comma (1.234,5)",
                    "write 1234.5: a point for decimals, commas (or nothing) between thousands",
                )
            return Unreadable(
                f"'{raw}' is ambiguous: a comma separates thousands only before groups of "
                "exactly three digits (1,234)",
                "write decimals with a point (1.5); convert a file that uses decimal commas "
                "before charting it",
            )
        core = core.replace(",", "")
    elif re.match(r"^\d{1,3}(?:\.\d{3}){2,}$", core):
        return Unreadable(f"'{raw}' uses points between thousands", "write 1234567 or 1,234,567")
    if not _PLAIN.match(core):
        return Unreadable(f"'{raw}' is not a number")
    value = float(core)
    if not math.isfinite(value) or value > MAX_ABS_VALUE:
        return Unreadable(
            f"'{raw}' is larger than {MAX_ABS_VALUE:.0e}",
            "chart a larger unit (百万円, 億円) so the numbers stay readable",
        )
    return (-value if negative else value) + 0.0  # + 0.0 turns -0.0 into 0.0


def check_magnitude(value: float) -> str:
    """Empty when ``value`` is a usable chart value, else what is wrong with it."""
    if not math.isfinite(value):
        return f"{value} is not a finite number"
    if abs(value) > MAX_ABS_VALUE:
        return f"{value:.6g} is larger than {MAX_ABS_VALUE:.0e} in size"
    return ""
