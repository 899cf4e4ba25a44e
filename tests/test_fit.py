"""The line breaker: Japanese kinsoku, unbreakable Latin words, hanging punctuation."""

from __future__ import annotations

from yamldeck.deck import Run
from yamldeck.fit import TextBlock, default_metrics, height_of, phrase_lines, wrap


def lines(text: str, chars_per_line: float, size: float = 10) -> list[str]:
    """Wrap at a width of ``chars_per_line`` full-width characters."""
    return wrap([(c, False) for c in text], size, chars_per_line * size)


def test_full_width_text_breaks_between_any_two_characters():
    assert lines("一二三四五六七八九十", 4) == ["一二三四", "五六七八", "九十"]


def test_closing_punctuation_never_starts_a_line():
    # 「。」 would start line 2. The writer lets it hang, but renderers disagree on when
    # (LibreOffice does not always), so the measure keeps it inside: 四 moves down with it.
    assert lines("一二三四。五六", 4) == ["一二三", "四。五六"]
    assert lines("一二三。五六", 4) == ["一二三。", "五六"]
    # 」 may not start a line and does not hang: 四 moves down with it.
    assert lines("一二三「四」五六", 4) == ["一二三", "「四」五", "六"]
    assert lines("あいうえお）・か", 5) == ["あいうえ", "お）・か"]


def test_japanese_next_to_latin_is_measured_with_the_space_renderers_add():
    # 「8月」 is set 「8 月」 by PowerPoint and LibreOffice: a quarter em more per change.
    m = default_metrics()
    plain = (m.em("8") + m.em("月")) * 10  # the glyphs alone
    assert lines("8月", plain / 10) == ["8", "月"]
    assert lines("8月", plain / 10 + 0.25) == ["8月"]
    assert lines("売上 8月", 10) == ["売上 8月"]


def test_opening_brackets_never_end_a_line():
    assert lines("一二三「四五」", 4) == ["一二三", "「四五」"]


def test_latin_words_are_not_split():
    got = lines("売上 revenue growth", 6)
    assert "revenue" in " ".join(got).split() and all("reven" != g for g in got)
    assert all(not line.startswith(" ") for line in got)


def test_mixed_text_keeps_words_whole():
    got = lines("CAMBRICONはAIチップを開発", 8)
    assert got[0].startswith("CAMBRICON")
    assert "".join(got) == "CAMBRICONはAIチップを開発"


def test_long_urls_break_only_because_they_must():
    url = "https://example.com/a/very/long/path/that/does/not/fit"
    got = lines(f"参照 {url}", 10)
    assert "".join(got).replace(" ", "") == f"参照{url}"
    width = 10 * 10
    m = default_metrics()
    assert all(m.width([(c, False) for c in line], 10) <= width + 1e-6 for line in got)


def test_widths_come_from_real_metrics():
    m = default_metrics()
    assert m.em("あ") == 1.0
    assert 0.2 < m.em("i") < m.em("m") < 1.0


def test_height_counts_lines_spacing_and_indent():
    block = TextBlock.of((Run("一二三四五六七八"),), 10, 1.2)
    height, count = height_of([block, block], 4 * 10 / 72)
    assert count == 4
    assert height == (4 * 10 * 1.2 + 0) / 72  # first paragraph has no space before


def test_titles_break_at_phrase_boundaries():
    got = phrase_lines("日中イノベーションの最新動向とその注目事例", 30, 6.5)
    assert got[0] == "日中イノベーションの最新動向と"
    assert "".join(got) == "日中イノベーションの最新動向とその注目事例"
