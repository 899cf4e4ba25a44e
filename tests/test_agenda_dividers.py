"""`dividers: false` and `agenda: {title, repeat: true}` (issue 14), built and reopened."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import build
from templategen import make_dark

SECTIONS = textwrap.dedent("""\
    sections:
      - title: 今月の状況
        notes: 冒頭で状況を共有する。
        slides:
          - {title: 概況, bullets: [売上は計画比 98.6%]}
      - title: 来期の計画
        slides:
          - {title: 計画, bullets: [新工場の立ち上げ]}
          - {title: 体制, bullets: [開発チームを増員]}
    """)


def deck_of(tmp_path: Path, head: str, template: Path | None = None):
    if template is not None:
        head = f"template: {template.name}\n{head}"
    (tmp_path / "deck.yaml").write_text(f"title: 月次経営会議\n{head}{SECTIONS}", encoding="utf-8")
    return build(tmp_path / "deck.yaml", tmp_path / "out.pptx")


def titles(deck) -> list[str]:
    return [s.shapes.title.text_frame.text if s.shapes.title else "" for s in deck.slides]


def footer(slide) -> str:
    return next(sh.text_frame.text for sh in slide.shapes if sh.name in ("Footer", "ftr"))


def agenda_items(slide) -> list:
    return sorted(
        (sh for sh in slide.shapes if sh.name.startswith("Agenda Item")), key=lambda sh: sh.name
    )


def test_no_dividers(tmp_path: Path):
    deck = deck_of(tmp_path, "dividers: false\nagenda: true\n")
    assert titles(deck) == ["月次経営会議", "アジェンダ", "概況", "計画", "体制"]
    # Numbering runs on, and the footer still names the section.
    numbers = [
        next(sh.text_frame.text for sh in s.shapes if sh.name == "Slide Number")
        for s in list(deck.slides)[1:]
    ]
    assert numbers == ["2", "3", "4", "5"]
    assert footer(deck.slides[3]) == "来期の計画"


def test_dividers_stay_by_default(tmp_path: Path):
    deck = deck_of(tmp_path, "")
    assert titles(deck)[1:3] == ["今月の状況", "概況"]


@pytest.mark.parametrize(
    ("head", "title"),
    [("agenda: true\n", "アジェンダ"), ("agenda: 本日の内容\n", "本日の内容")],
)
def test_the_old_agenda_forms_still_work(tmp_path: Path, head: str, title: str):
    deck = deck_of(tmp_path, head)
    assert titles(deck)[:3] == ["月次経営会議", title, "今月の状況"]


def test_a_repeated_agenda_marks_the_section_it_opens(tmp_path: Path):
    deck = deck_of(tmp_path, "agenda: {title: 本日の内容, repeat: true}\n")
    assert titles(deck) == [
        "月次経営会議",
        "本日の内容",  # opens the deck and the first section: no unmarked copy before it
        "今月の状況",
        "概況",
        "本日の内容",
        "来期の計画",
        "計画",
        "体制",
    ]
    first, second = deck.slides[1], deck.slides[4]
    for slide, current in ((first, 0), (second, 1)):
        items = agenda_items(slide)
        assert [sh.text_frame.text for sh in items] == ["今月の状況", "来期の計画"]
        runs = [sh.text_frame.paragraphs[0].runs[0] for sh in items]
        assert [bool(r.font.bold) for r in runs] == [i == current for i in range(2)]
        colors = [str(r.font.color.rgb) for r in runs]
        assert colors[current] != colors[1 - current]
        marks = [sh for sh in slide.shapes if sh.name.startswith("Agenda Number")]
        fills = [str(m.fill.fore_color.rgb) for m in marks]
        assert fills[current] == "C00000" and fills[1 - current] != "C00000"
    assert footer(second) == "来期の計画"


def test_repeat_without_dividers_replaces_them(tmp_path: Path):
    deck = deck_of(tmp_path, "dividers: false\nagenda: {title: 本日の内容, repeat: true}\n")
    assert titles(deck) == [
        "月次経営会議",
        "本日の内容",
        "概況",
        "本日の内容",
        "計画",
        "体制",
    ]
    # The divider's speaker notes move to the agenda that replaces it.
    assert deck.slides[1].notes_slide.notes_text_frame.text == "冒頭で状況を共有する。"


def test_repeated_agenda_on_a_dark_template(tmp_path: Path):
    from yamldeck.theme import contrast

    template = make_dark(tmp_path / "corp.pptx")
    deck = deck_of(
        tmp_path, "dividers: false\nagenda: {title: 本日の内容, repeat: true}\n", template
    )
    slide = deck.slides[1]
    items = agenda_items(slide)
    assert [sh.text_frame.text for sh in items] == ["今月の状況", "来期の計画"]
    assert items[0].text_frame.paragraphs[0].runs[0].font.bold
    for mark in (sh for sh in slide.shapes if sh.name.startswith("Agenda Number")):
        assert contrast(str(mark.fill.fore_color.rgb), "FFFFFF") >= 3
