"""Text that mixes kanji with Latin letters or digits is measured as LibreOffice sets it.

LibreOffice puts a quarter em between an East Asian character and a Latin letter or digit
beside it (「2026 年 12 月」); measured without it, a date in a table column sized to its
text fitted by the numbers but wrapped when rendered, and the rows grown by that pushed the
table's last row out of its frame (the monthly example on three of the four shared
templates, tests/test_monthly_matrix.py).
"""

from __future__ import annotations

import pytest

from yamldeck.deck import column_widths
from yamldeck.fit import AUTOSPACE_EM, default_metrics, wrap
from yamldeck.fitplan import row_height


def chars(text: str) -> list[tuple[str, bool]]:
    return [(c, False) for c in text]


def ems(text: str) -> float:
    m = default_metrics()
    return sum(m.em(c) for c in text)


def test_each_kanji_latin_boundary_adds_libreoffices_space():
    m = default_metrics()
    assert m.width(chars("2026年12月"), 14) == pytest.approx(
        (ems("2026年12月") + 3 * AUTOSPACE_EM) * 14
    )
    assert m.width(chars("A社"), 10) == pytest.approx((ems("A社") + AUTOSPACE_EM) * 10)
    # Also across a space or a symbol, which take the script before them (as rendered:
    # 「A社は 2 週間遅 / 延、」 at 22 pt in a 2.6 in panel of the officer template).
    for text, gaps in (("IoT 基盤", 1), ("は 2 週", 2), ("比 ▼1.4%", 1), ("（3月）", 2)):
        assert m.width(chars(text), 10) == pytest.approx((ems(text) + gaps * AUTOSPACE_EM) * 10)
    # None between two kanji, two Latin letters, or Latin letters and symbols.
    for text in ("基幹システム", "IoT", "1,250", "+7.2%", "(百万円)", "「上回る」、"):
        assert m.width(chars(text), 10) == pytest.approx(ems(text) * 10), text


def test_a_line_holds_the_spaces_between_its_tokens():
    text = "2026年12月"
    bare = ems(text) * 14
    assert wrap(chars(text), 14, bare + 3 * AUTOSPACE_EM * 14 + 0.1) == [text]
    assert len(wrap(chars(text), 14, bare + 4)) == 2  # fits only without the spaces
    # LibreOffice's lines, measured from its PDF: the space sits on both sides of the 2.
    panel = chars("A社は 2 週間遅延、挽回策を実施中")
    assert wrap(panel, 22, 186.9) == ["A社は 2 週間遅", "延、挽回策を実施", "中"]


HEADER = ("案件", "納期")
ROWS = (("物流センター", "2026年12月"), ("検査装置", "2026年5月"))
ONE_LINE = 14 * 1.2 / 72 + 2 * 0.05 + 0.08  # a one-line row at 14 pt (inches)


def test_a_row_is_planned_as_tall_as_libreoffice_sets_it():
    """「2026年12月」 in a column that holds it only without LibreOffice's spaces (the width
    the planner gave the 納期 column before it counted them) is planned two lines tall."""
    m = default_metrics()
    widths = (1.6, (5.6 * 14 / 72) + 2 * 0.12 + 0.1)
    assert row_height(ROWS[1], widths, 14, False, m) == pytest.approx(ONE_LINE)
    assert row_height(ROWS[0], widths, 14, False, m) == pytest.approx(ONE_LINE + 14 * 1.2 / 72)


def test_a_date_column_is_sized_to_hold_its_dates_on_one_line():
    m = default_metrics()
    for total in (3.1, 4.0, 6.0):
        widths = column_widths(HEADER, ROWS, total, 14)
        needed = m.width(chars("2026年12月"), 14) / 72 + 2 * 0.12
        assert widths[1] >= needed, (total, widths)
        assert row_height(ROWS[0], widths, 14, False, m) == pytest.approx(ONE_LINE), total
