"""Shared fixtures: real outlines written into tmp_path, built, and reopened with python-pptx."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# The outline format as the issue specifies it, verbatim: every form here must keep working.
EXAMPLE = textwrap.dedent("""\
    title: 2026年度 第3四半期 事業レビュー      # required
    subtitle: 経営会議資料
    author: 経営企画部
    date: 2026-10-15
    footer: 社外秘
    agenda: true                 # an agenda slide listing the sections
    theme:                       # optional; every key has a default
      fonts: {latin: Segoe UI, east_asian: Meiryo}
      colors: {primary: "#1F4E79", accent: "#C00000"}
    charts:
      sales:
        kind: line               # bar | barh | line | stacked_bar, at least
        data: data/sales.csv     # CSV relative to this file, or inline columns (below)
        x: month
        y: [東日本, 西日本, 海外]
        rebase: 100              # index each series to 100 at its first row
        title: 地域別売上（2025年10月=100）
        source: 社内データ
      share:
        kind: bar
        data: {region: [東日本, 西日本, 海外], share: [45, 35, 20]}
        x: region
        y: share
        unit: "%"
        highlight: 海外
    sections:                    # or a top-level `slides:` list without sections
      - title: 概況
        slides:
          - title: ハイライト
            bullets:
              - 売上高は **前年同期比 +12%**
              - 主な要因:                # a one-key mapping = a bullet with sub-bullets
                  - 海外案件の拡大
                  - 価格改定
            notes: 冒頭で結論を述べる。
          - title: 地域別売上の推移
            chart: sales
            bullets: [海外が成長を牽引]     # chart + bullets: side by side
          - title: 工程
            flow: [受注, 設計, 製造, 出荷]
      - title: 詳細
        slides:
          - title: 主要案件
            table:
              header: [案件, 地域, 金額（億円）]
              rows:
                - [A社 基盤更新, 東日本, 12.5]
                - [B社 新工場, 海外, 30]
          - title: 比較
            columns:                         # 2 to 4 columns
              - heading: 強み
                bullets: [技術力, 顧客基盤]
              - heading: 課題
                bullets: [人材, コスト]
          - title: 顧客の声
            quote: 導入後、作業時間が半分になった。
            by: C社 工場長
          - title: 新工場
            image: images/plant.png
            caption: 2026年9月 竣工
          - title: 構成比
            chart: share
    """)

SALES_CSV = "month,東日本,西日本,海外\n2025-10,200,150,50\n2025-11,210,150,60\n2025-12,220,165,80\n"


def make_image(path: Path, size: tuple[int, int] = (800, 400)) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (31, 78, 121)).save(path)
    return path


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A folder holding the issue's example outline with its CSV and image."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sales.csv").write_text(SALES_CSV, encoding="utf-8")
    make_image(tmp_path / "images" / "plant.png")
    (tmp_path / "deck.yaml").write_text(EXAMPLE, encoding="utf-8")
    return tmp_path


def build(outline: Path, out: Path):
    """Build through the public stage function and reopen the result."""
    from pptx import Presentation

    from yamldeck.build import build_deck

    result = build_deck(outline, out)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return Presentation(str(out))


def texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text]


def shape_named(slide, name: str):
    for shape in slide.shapes:
        if shape.name == name:
            return shape
    raise AssertionError(f"no shape {name!r}; shapes: {[s.name for s in slide.shapes]}")


JA_LAYOUTS = {
    "Title Slide": "タイトル スライド",
    "Title and Content": "タイトルとコンテンツ",
    "Section Header": "セクション見出し",
    "Title Only": "タイトルのみ",
    "Blank": "白紙",
}
TEMPLATE_ACCENT = "2A9D8F"


def make_template(path: Path) -> Path:
    """A company-style template: Japanese layout names, body placeholders at idx 13, a teal
    accent1, a slide of its own, and a p14 section list naming that slide."""
    import copy

    from lxml import etree
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    for layout in prs.slide_layouts:
        if layout.name in JA_LAYOUTS:
            layout._element.cSld.set("name", JA_LAYOUTS[layout.name])
        for ph in layout.placeholders:
            if ph.placeholder_format.idx == 1:
                ph._element.ph.set("idx", "13")
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    root = etree.fromstring(theme.blob)
    accent1 = root.find(f".//{a}accent1")
    for child in list(accent1):
        accent1.remove(child)
    etree.SubElement(accent1, f"{a}srgbClr").set("val", TEMPLATE_ACCENT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "TEMPLATE SLIDE"
    slide_id = prs.slides._sldIdLst[0].get("id")
    ext_xml = (
        '<p:extLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        '<p:ext uri="{521415D9-36F7-43E2-AB2F-B90AF26B5E84}">'
        '<p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main">'
        '<p14:section name="既定" id="{6B2E7F10-2F8B-4C5E-9C0A-1D2E3F405060}">'
        f'<p14:sldIdLst><p14:sldId id="{slide_id}"/></p14:sldIdLst></p14:section>'
        "</p14:sectionLst></p:ext></p:extLst>"
    )
    prs.part._element.append(copy.deepcopy(etree.fromstring(ext_xml)))
    prs.save(str(path))
    return path
