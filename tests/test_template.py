"""Building on a company template: layouts by (Japanese) name, placeholders by idx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from conftest import EXAMPLE, TEMPLATE_ACCENT, build, make_template, shape_named
from yamldeck.cli import main


@pytest.fixture
def templated(example_project: Path) -> Path:
    make_template(example_project / "corp.pptx")
    text = EXAMPLE.replace(
        "theme:                       # optional; every key has a default\n"
        "  fonts: {latin: Segoe UI, east_asian: Meiryo}\n"
        '  colors: {primary: "#1F4E79", accent: "#C00000"}\n',
        "template: corp.pptx\n",
    )
    assert "template: corp.pptx" in text
    (example_project / "deck.yaml").write_text(text, encoding="utf-8")
    return example_project


def test_layouts_are_found_by_japanese_name(templated: Path):
    deck = build(templated / "deck.yaml", templated / "out.pptx")
    assert [s.slide_layout.name for s in deck.slides] == [
        "タイトル スライド",
        "タイトルとコンテンツ",
        "セクション見出し",
        "タイトルとコンテンツ",
        "タイトルのみ",
        "タイトルのみ",
        "セクション見出し",
        "タイトルのみ",
        "タイトルのみ",
        "タイトルのみ",
        "タイトルのみ",
        "タイトルのみ",
    ]


def test_no_template_slide_survives_and_nothing_dangles(templated: Path):
    deck = build(templated / "deck.yaml", templated / "out.pptx")
    assert all(
        "TEMPLATE SLIDE" not in sh.text_frame.text
        for s in deck.slides
        for sh in s.shapes
        if sh.has_text_frame
    )
    with zipfile.ZipFile(templated / "out.pptx") as zf:
        names = zf.namelist()
        pres = zf.read("ppt/presentation.xml").decode()
        rels = zf.read("ppt/_rels/presentation.xml.rels").decode()
    assert "sectionLst" not in pres
    slide_parts = sorted(n for n in names if n.startswith("ppt/slides/slide"))
    assert len(slide_parts) == len(deck.slides) == 12
    assert rels.count('relationships/slide"') == 12


def test_bullets_fill_the_body_placeholder_found_by_idx(templated: Path):
    deck = build(templated / "deck.yaml", templated / "out.pptx")
    slide = deck.slides[3]
    body = [ph for ph in slide.placeholders if ph.placeholder_format.idx == 13]
    assert len(body) == 1
    assert [(p.text, p.level) for p in body[0].text_frame.paragraphs] == [
        ("売上高は 前年同期比 +12%", 0),
        ("主な要因", 0),
        ("海外案件の拡大", 1),
        ("価格改定", 1),
    ]
    rpr = body[0].text_frame.paragraphs[0].runs[0]._r.rPr
    assert rpr.get("lang") == "ja-JP" and rpr.get("sz") is None  # the template's size rules
    assert {ph.placeholder_format.idx for ph in slide.placeholders} >= {0, 13}


def test_footer_and_number_are_the_layouts_placeholders(templated: Path):
    deck = build(templated / "deck.yaml", templated / "out.pptx")
    types = {ph.placeholder_format.type.name: ph for ph in deck.slides[4].placeholders}
    assert types["FOOTER"].text_frame.text == "社外秘　｜　概況"
    assert "SLIDE_NUMBER" in types
    assert not [s for s in deck.slides[4].shapes if s.name == "Title Rule"]


def test_template_theme_colour_reaches_the_chart(templated: Path):
    deck = build(templated / "deck.yaml", templated / "out.pptx")
    chart = next(s for s in deck.slides[4].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    pixels = Image.open(io.BytesIO(chart.image.blob)).convert("RGB")
    colours = {c for _, c in pixels.getcolors(1_000_000)}
    assert tuple(int(TEMPLATE_ACCENT[i : i + 2], 16) for i in (0, 2, 4)) in colours


def test_layouts_map_and_slide_override(templated: Path):
    text = (templated / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "template: corp.pptx\n", "template: corp.pptx\nlayouts: {table: タイトルとコンテンツ}\n"
    )
    text = text.replace(
        "      - title: 顧客の声\n", "      - title: 顧客の声\n        layout: 白紙\n"
    )
    (templated / "deck.yaml").write_text(text, encoding="utf-8")
    deck = build(templated / "deck.yaml", templated / "out.pptx")
    assert deck.slides[7].slide_layout.name == "タイトルとコンテンツ"
    assert deck.slides[9].slide_layout.name == "白紙"
    assert shape_named(deck.slides[9], "Title").text_frame.text == "顧客の声"


def test_missing_layout_is_an_error_at_its_line(templated: Path, monkeypatch):
    text = (templated / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace("template: corp.pptx\n", "template: corp.pptx\nlayouts:\n  chart: グラフ\n")
    (templated / "deck.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(templated)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    line = text.splitlines().index("  chart: グラフ") + 1
    assert result.stderr.startswith(
        f"deck.yaml:{line}:10: error: layouts.chart: no layout "
        "named 'グラフ'\n  hint: layouts: タイトル スライド, "
    )
    assert not (templated / "build").exists()


def test_inspect_lists_layouts_and_placeholders(templated: Path):
    result = CliRunner().invoke(main, ["inspect", str(templated / "corp.pptx")])
    assert result.exit_code == 0
    assert "タイトルとコンテンツ" in result.stdout
    assert "idx 13" in result.stdout and "body" in result.stdout
    assert "13.33 × 7.50 in" in result.stdout


def test_output_opens_again_with_python_pptx_and_keeps_the_template_size(templated: Path):
    build(templated / "deck.yaml", templated / "out.pptx")
    again = Presentation(str(templated / "out.pptx"))
    assert again.slide_width == 12192000


def test_missing_slide_layout_is_an_error_at_the_slide(templated: Path, monkeypatch):
    text = (templated / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "      - title: 顧客の声\n", "      - title: 顧客の声\n        layout: 引用\n"
    )
    (templated / "deck.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(templated)
    result = CliRunner().invoke(main, ["check"])
    line = text.splitlines().index("        layout: 引用") + 1
    assert result.exit_code == 1
    assert (
        f"deck.yaml:{line}:17: error: sections[1].slides[2].layout: no layout named '引用'"
        in result.stderr
    )


def test_built_in_design_without_template_keeps_its_layouts(example_project: Path):
    deck = build(example_project / "deck.yaml", example_project / "plain.pptx")
    assert {s.slide_layout.name for s in deck.slides} == {
        "Title Slide",
        "Title Only",
        "Section Header",
    }


def test_potx_templates_work_too(templated: Path):
    with (
        zipfile.ZipFile(templated / "corp.pptx") as src,
        zipfile.ZipFile(templated / "corp.potx", "w") as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"presentationml.presentation.main+xml", b"presentationml.template.main+xml"
                )
            dst.writestr(item, data)
    text = (templated / "deck.yaml").read_text(encoding="utf-8")
    (templated / "deck.yaml").write_text(text.replace("corp.pptx", "corp.potx"), "utf-8")
    deck = build(templated / "deck.yaml", templated / "out.pptx")
    assert deck.slides[0].slide_layout.name == "タイトル スライド"


def test_text_in_template_placeholders_is_fitted_too(templated: Path):
    text = (templated / "deck.yaml").read_text(encoding="utf-8")
    many = "".join(
        f"              - 第{i}項 国内外の市場環境が大きく変化するなかで構造改革を進める\n"
        for i in range(30)
    )
    old = "          - 売上高は **前年同期比 +12%**\n"
    assert old in text
    text = text.replace(old, old + "          - 詳細:\n" + many)
    assert "      - title: 工程\n" in text
    text = text.replace(
        "      - title: 工程\n",
        "      - title: 工程と品質管理の全体像を一枚で示す長い題名の例です\n",
    )
    (templated / "deck.yaml").write_text(text, encoding="utf-8")
    from yamldeck.build import build_deck

    result = build_deck(templated / "deck.yaml", templated / "out.pptx", "deck.yaml")
    assert result.ok, [d.format() for d in result.diagnostics]
    notes = [d.format() for d in result.diagnostics]
    assert any("body split onto" in n for n in notes), notes
    deck = Presentation(str(templated / "out.pptx"))
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    assert "ハイライト（続き）" in titles
    body = next(ph for ph in deck.slides[3].placeholders if ph.placeholder_format.idx == 13)
    sizes = {r.font.size.pt for p in body.text_frame.paragraphs for r in p.runs}
    assert sizes and max(sizes) < 32  # shrunk below the master's 32 pt, written explicitly
    paras = [
        p.text
        for s in deck.slides
        if s.shapes.title.text_frame.text.startswith("ハイライト")
        for ph in s.placeholders
        if ph.placeholder_format.idx == 13
        for p in ph.text_frame.paragraphs
    ]
    assert [p for p in paras if p.startswith("第")] == [
        f"第{i}項 国内外の市場環境が大きく変化するなかで構造改革を進める" for i in range(30)
    ]
    long_title = next(s for s in deck.slides if "工程と品質" in s.shapes.title.text_frame.text)
    run = long_title.shapes.title.text_frame.paragraphs[0].runs[0]
    assert run.font.size is not None and run.font.size.pt < 44
