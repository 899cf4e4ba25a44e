"""The issue's example outline, built for real and reopened with python-pptx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

from conftest import build, shape_named, texts

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture
def deck(example_project: Path):
    return build(example_project / "deck.yaml", example_project / "out.pptx")


def test_slide_size_is_16_9(deck):
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))


def test_slide_order_layouts_and_titles(deck):
    got = [(s.slide_layout.name, s.shapes.title.text_frame.text) for s in deck.slides]
    assert got == [
        ("Title Slide", "2026年度 第3四半期 事業レビュー"),
        ("Title Only", "アジェンダ"),
        ("Section Header", "概況"),
        ("Title Only", "ハイライト"),
        ("Title Only", "地域別売上の推移"),
        ("Title Only", "工程"),
        ("Section Header", "詳細"),
        ("Title Only", "主要案件"),
        ("Title Only", "比較"),
        ("Title Only", "顧客の声"),
        ("Title Only", "新工場"),
        ("Title Only", "構成比"),
    ]


def test_title_slide_carries_subtitle_author_and_japanese_date(deck):
    all_text = " ".join(texts(deck.slides[0]))
    assert "経営会議資料" in all_text
    assert "経営企画部" in all_text
    assert "2026年10月15日" in all_text


def test_agenda_lists_sections_in_order(deck):
    items = [shape_named(deck.slides[1], f"Agenda Item {i}").text_frame.text for i in (1, 2)]
    assert items == ["概況", "詳細"]


def test_bullets_levels_and_bold_runs(deck):
    body = shape_named(deck.slides[3], "Body").text_frame
    paras = [(p.text, p.level) for p in body.paragraphs]
    assert paras == [
        ("売上高は 前年同期比 +12%", 0),
        ("主な要因", 0),
        ("海外案件の拡大", 1),
        ("価格改定", 1),
    ]
    runs = [(r.text, r.font.bold) for r in body.paragraphs[0].runs]
    assert runs == [("売上高は ", False), ("前年同期比 +12%", True)]


def test_notes_written_where_given(deck):
    assert deck.slides[3].notes_slide.notes_text_frame.text == "冒頭で結論を述べる。"
    assert not deck.slides[4].has_notes_slide


def test_chart_slide_has_one_picture_with_bullets_beside(deck):
    slide = deck.slides[4]
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    takeaways = shape_named(slide, "Takeaways")
    assert takeaways.text_frame.text == "海外が成長を牽引"
    assert takeaways.left > pictures[0].left + pictures[0].width  # side by side
    assert "社内データ" in shape_named(slide, "Chart Source").text_frame.text
    descr = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert descr.startswith("折れ線グラフ: 地域別売上")


def test_chart_picture_is_rendered_at_its_box_size_and_200_dpi(deck):
    import io

    from PIL import Image

    picture = next(s for s in deck.slides[4].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    image = Image.open(io.BytesIO(picture.image.blob))
    width_in = picture.width / 914400
    assert image.size[0] / width_in == pytest.approx(200, rel=0.01)


def test_flow_is_native_chevrons_in_order(deck):
    slide = deck.slides[5]
    steps = [shape_named(slide, f"Flow Step {i}") for i in range(1, 5)]
    assert [s.text_frame.text for s in steps] == ["受注", "設計", "製造", "出荷"]
    assert all(s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE for s in steps)
    assert [s.auto_shape_type.name for s in steps] == ["PENTAGON", "CHEVRON", "CHEVRON", "CHEVRON"]
    assert [s.left for s in steps] == sorted(s.left for s in steps)


def test_table_cells_header_style_and_numeric_alignment(deck):
    table = shape_named(deck.slides[7], "Table").table
    cells = [[table.cell(r, c).text for c in range(3)] for r in range(3)]
    assert cells == [
        ["案件", "地域", "金額（億円）"],
        ["A社 基盤更新", "東日本", "12.5"],
        ["B社 新工場", "海外", "30"],
    ]
    header_run = table.cell(0, 0).text_frame.paragraphs[0].runs[0]
    assert header_run.font.bold
    assert str(header_run.font.color.rgb) == "FFFFFF"
    assert table.cell(0, 0).fill.fore_color.rgb == table.cell(0, 2).fill.fore_color.rgb
    amount = table.cell(1, 2).text_frame.paragraphs[0]._p.pPr.get("algn")
    assert amount == "r"
    assert table.cell(1, 0).text_frame.paragraphs[0]._p.pPr.get("algn") == "l"


def test_columns_headings_and_bullets(deck):
    slide = deck.slides[8]
    assert shape_named(slide, "Column Heading 1").text_frame.text == "強み"
    assert shape_named(slide, "Column 2").text_frame.text == "人材\nコスト"


def test_quote_and_attribution(deck):
    slide = deck.slides[9]
    assert shape_named(slide, "Quote").text_frame.text == "「導入後、作業時間が半分になった。」"
    assert shape_named(slide, "Quote By").text_frame.text == "— C社 工場長"


def test_image_fits_its_box_without_distortion(deck):
    slide = deck.slides[10]
    pic = shape_named(slide, "Image")
    assert pic.width / pic.height == pytest.approx(2.0, rel=0.01)  # the source is 800×400
    assert pic.left >= Emu(0) and pic.left + pic.width <= deck.slide_width
    assert shape_named(slide, "Caption").text_frame.text == "2026年9月 竣工"
    assert pic.crop_left == pic.crop_right == pic.crop_top == pic.crop_bottom == 0


def test_footer_and_slide_numbers_on_content_slides(deck):
    slide = deck.slides[3]
    assert shape_named(slide, "Footer").text_frame.text == "社外秘　｜　概況"
    number = shape_named(slide, "Slide Number")
    field = number._element.find(f".//{A}fld")
    assert field.get("type") == "slidenum" and field.find(f"{A}t").text == "4"
    with pytest.raises(AssertionError):
        shape_named(deck.slides[0], "Slide Number")


def _runs(deck):
    for slide in deck.slides:
        yield from slide._element.iter(f"{A}rPr")
        if slide.has_notes_slide:
            yield from slide.notes_slide._element.iter(f"{A}rPr")


def test_every_run_is_japanese_with_all_three_font_slots_in_schema_order(deck):
    runs = list(_runs(deck))
    assert len(runs) > 50
    for rpr in runs:
        assert rpr.get("lang") == "ja-JP" and rpr.get("altLang") == "en-US"
        children = [etree.QName(c).localname for c in rpr]
        fonts = [c for c in children if c in ("latin", "ea", "cs")]
        assert fonts == ["latin", "ea", "cs"]
        assert children.index("solidFill") < children.index("latin")
        assert rpr.find(f"{A}ea").get("typeface") == "Meiryo"
        assert rpr.find(f"{A}latin").get("typeface") == "Segoe UI"


def test_paragraphs_use_japanese_line_breaking(deck):
    body = shape_named(deck.slides[3], "Body").text_frame.paragraphs[0]._p.pPr
    assert (body.get("eaLnBrk"), body.get("latinLnBrk"), body.get("hangingPunct")) == (
        "1",
        "0",
        "1",
    )


def test_theme_font_scheme_names_the_east_asian_font(deck):
    for master in (deck.slide_master, deck.notes_master):
        theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
        for group in ("majorFont", "minorFont"):
            font = theme.find(f".//{A}{group}")
            assert font.find(f"{A}ea").get("typeface") == "Meiryo"
            jpan = [
                f.get("typeface") for f in font.findall(f"{A}font") if f.get("script") == "Jpan"
            ]
            assert jpan == ["Meiryo"]


def test_theme_colours_reach_the_theme_part(example_project: Path, tmp_path: Path):
    text = (example_project / "deck.yaml").read_text(encoding="utf-8")
    (example_project / "deck.yaml").write_text(text.replace("#1F4E79", "#2A9D8F"), "utf-8")
    deck = build(example_project / "deck.yaml", tmp_path / "teal.pptx")
    theme = deck.slide_master.part.part_related_by(RT.THEME).blob.decode()
    assert re.search(r'<a:accent1><a:srgbClr val="2A9D8F"/>', theme)
    title_color = deck.slides[3].shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb
    assert str(title_color) == "2A9D8F"


def test_no_unused_placeholders_remain(deck):
    for slide in deck.slides:
        for ph in slide.placeholders:
            assert ph.has_text_frame and ph.text_frame.text, (slide.slide_layout.name, ph.name)


def test_plain_slides_list_without_sections(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(
        "title: 短い資料\nslides:\n  - title: 一枚目\n    bullets: [あ, い]\n", encoding="utf-8"
    )
    deck = build(tmp_path / "d.yaml", tmp_path / "d.pptx")
    assert [s.shapes.title.text_frame.text for s in deck.slides] == ["短い資料", "一枚目"]
