"""The pure planner: markup, numbering, agenda, layout decisions (no files written)."""

from __future__ import annotations

from pathlib import Path

from yamldeck.build import check_deck
from yamldeck.deck import Run, column_widths, display_date, parse_inline
from yamldeck.fit import wrap
from yamldeck.measure import break_label


def test_inline_bold_markup():
    assert parse_inline("a **b** c") == (Run("a "), Run("b", True), Run(" c"))
    assert parse_inline("**全部**") == (Run("全部", True),)
    assert parse_inline("閉じない **太字") == (Run("閉じない **太字"),)


def test_iso_dates_read_japanese_other_text_as_written():
    assert display_date("2025-09-25") == "2025年9月25日"
    assert display_date("2025年秋") == "2025年秋"


def test_numbering_agenda_and_sections(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(
        "title: T\nagenda: true\nfooter: F\nsections:\n"
        "  - title: 一\n    slides: [{title: a}, {title: b}]\n"
        "  - title: 二\n    slides: [{title: c}]\n",
        encoding="utf-8",
    )
    deck = check_deck(tmp_path / "d.yaml").deck
    assert [(s.kind, s.number, s.title) for s in deck.slides] == [
        ("title", 1, "T"),
        ("agenda", 2, "アジェンダ"),
        ("section", 3, "一"),
        ("bullets", 4, "a"),
        ("bullets", 5, "b"),
        ("section", 6, "二"),
        ("bullets", 7, "c"),
    ]
    assert deck.slides[1].items == ("一", "二")
    assert [s.section for s in deck.slides[3:]] == ["一", "一", "二", "二"]
    assert deck.slides[0].show_number is False


def test_agenda_false_and_custom_title(tmp_path: Path):
    base = "title: T\nsections:\n  - title: 一\n    slides: [{title: a}]\n"
    (tmp_path / "a.yaml").write_text(base + "agenda: false\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(base + "agenda: 本日の内容\n", encoding="utf-8")
    assert [s.kind for s in check_deck(tmp_path / "a.yaml").deck.slides] == [
        "title",
        "section",
        "bullets",
    ]
    assert check_deck(tmp_path / "b.yaml").deck.slides[1].title == "本日の内容"


def test_column_widths_keep_short_columns_snug_and_fill_the_width():
    widths = column_widths(("No.", "分野"), (("①", "新エネルギー車充電ステーション"),), 12.0, 18)
    assert sum(widths) == __import__("pytest").approx(12.0)
    assert widths[0] < 1.0 < widths[1]


def test_column_widths_let_only_long_text_wrap():
    long = "とても長い説明文" * 8
    widths = column_widths(("企業", "取り組み"), (("三井住友海上火災保険", long),), 12.0, 18)
    name = [(c, False) for c in "三井住友海上火災保険"]
    assert len(wrap(name, 18, (widths[0] - 0.24) * 72)) == 1
    assert sum(widths) == __import__("pytest").approx(12.0)


def test_labels_break_at_marks_not_inside_words():
    assert break_label("AI/NEV/ロボティクス") == "AI/NEV/\nロボティクス"
    assert break_label("半導体・素材") == "半導体・\n素材"
    assert break_label("ロボティクス") == "ロボティクス"
