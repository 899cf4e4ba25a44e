"""The repo's own deck: the lecture, built end to end."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pptx.enum.shapes import MSO_SHAPE_TYPE

from conftest import REPO, build, texts

CHAPTERS = [
    "本日のメッセージ",
    "GX（グリーントランスフォーメーション）",
    "政策・インフラ整備",
    "半導体・チップ",
    "AI・ロボティクス",
    "日中連携事例",
    "まとめと示唆",
]


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("repo") / "deck.pptx"
    return build(REPO / "deck.yaml", out)


def test_title_slide_and_agenda(deck):
    first = " ".join(texts(deck.slides[0]))
    for part in ("日中イノベーションの最新動向とその注目事例", "田中", "2025年9月25日"):
        assert part in first
    assert deck.slides[1].shapes.title.text_frame.text == "本日の内容"


def test_every_chapter_has_a_divider_in_order(deck):
    dividers = [
        s.shapes.title.text_frame.text
        for s in deck.slides
        if s.slide_layout.name == "Section Header"
    ]
    assert dividers == CHAPTERS


def test_four_charts_each_one_picture_with_a_source(deck):
    charts = []
    for slide in deck.slides:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if pictures:
            assert len(pictures) == 1
            source = [s for s in slide.shapes if s.name == "Chart Source"]
            assert source and "出典" in source[0].text_frame.text
            charts.append(pictures[0])
    assert len(charts) == 4
    for pic in charts:
        image = Image.open(io.BytesIO(pic.image.blob))
        assert image.size[0] / (pic.width / 914400) >= 199


def test_illustrative_stock_data_says_so_on_the_slide(deck):
    slide = next(s for s in deck.slides if "NVIDIA を上回る" in s.shapes.title.text_frame.text)
    source = next(s for s in slide.shapes if s.name == "Chart Source").text_frame.text
    assert "イメージ" in source


def test_tables_for_the_seven_fields_and_the_company_cases(deck):
    tables = [s.table for slide in deck.slides for s in slide.shapes if s.has_table]
    assert len(tables) == 2
    fields = [tables[0].cell(r, 1).text for r in range(1, len(tables[0].rows))]
    assert len(fields) == 7 and fields[0] == "5G 基地局建設"
    companies = [tables[1].cell(r, 0).text for r in range(1, len(tables[1].rows))]
    assert companies == ["ソニー", "ダイキン工業", "三井住友海上火災保険"]


def test_upstream_to_downstream_flow(deck):
    steps = [
        s.text_frame.text.replace("\n", "").replace("\v", "")  # label breaks
        for slide in deck.slides
        for s in slide.shapes
        if s.name.startswith("Flow Step")
    ]
    assert steps == ["GX", "半導体・素材", "チップ", "AI/NEV/ロボティクス"]


def test_every_content_slide_has_speaker_notes(deck):
    content = [s for s in deck.slides if s.slide_layout.name == "Title Only"][1:]  # not agenda
    assert content and all(
        s.has_notes_slide and s.notes_slide.notes_text_frame.text for s in content
    )


def test_build_is_byte_for_byte_reproducible(tmp_path: Path):
    from yamldeck.build import build_deck

    a, b = tmp_path / "a.pptx", tmp_path / "b.pptx"
    build_deck(REPO / "deck.yaml", a)
    build_deck(REPO / "deck.yaml", b)
    assert a.read_bytes() == b.read_bytes()
