"""What is written is what was measured: the contract between the fitter and the writer.

For every slide kind, built on the built-in theme and on a company template, each text
shape in the written deck (reopened with python-pptx) has exactly the box and the font
sizes of the shape the fitter measured, and that shape's text fits its box.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from conftest import REPO, make_image
from templategen import make_four_by_three

OUTLINE = textwrap.dedent("""\
    title: 契約テスト用の少し長めのタイトルで改行の位置を確かめる
    subtitle: 副題
    author: 経営企画部
    date: 2026-10-15
    footer: 社外秘
    charts:
      share:
        kind: bar
        data: {region: [東日本, 西日本, 海外], share: [45, 35, 20]}
        x: region
        y: share
        title: 地域別構成比
        source: 社内データ
    sections:
      - title: 全種類
        slides:
          - {title: 箇条書き, bullets: [一つ目の要点, {二つ目: [詳細 a, 詳細 b]}, 三つ目]}
          - {title: グラフ, chart: share, bullets: [海外が伸びた]}
          - {title: グラフと表, chart: share, table: {header: [地域, 構成比], rows: [[海外, '20']]}}
          - {title: 表, table: {header: [案件, 金額], rows: [[A社, '12.5'], [B社, '30']]}}
          - title: 表の色
            table:
              header: [案件, 金額, 状況]
              rows: [[A社, '1,250', 遅延], [B社, '980', 順調]]
              align: [left, right, center]
              colors: {状況: {遅延: accent, 順調: "#2E7D32"}}
            bullets: [A社は 2 週間遅延、挽回策を実施中]
          - title: 比較
            columns: [{heading: 強み, bullets: [技術力]}, {heading: 課題, bullets: [人材]}]
          - {title: 声, quote: 作業時間が半分になった。, by: C社}
          - {title: 新工場, image: plant.png, caption: 2026年9月 竣工}
          - {title: 工程, flow: [{受注: [見積]}, 設計, 製造], bullets: [三週間で出荷]}
          - title: 計画
            timeline:
              items:
                - {label: 要件定義, from: 2026-04, to: 2026-06}
                - {label: 長い名前の準備作業, from: 2026-07-01, to: 2026-07-05, lane: 開発}
                - {label: 本番稼働, on: 2027-01}
              today: 2026-05
          - title: 優先度
            matrix:
              x: [影響 小, 影響 大]
              y: [緊急度 低, 緊急度 高]
              quadrants:
                - {heading: 計画して実施, bullets: [人材育成]}
                - {heading: 最優先, bullets: [A社対応, 取引条件の見直しと再交渉]}
                - {heading: 見送り}
                - {bullets: [定例報告の簡素化]}
          - {title: 現場, images: [plant.png, plant.png], captions: [第1工場, 第2工場 竣工]}
          - title: 主要KPI
            kpis:
              - {label: 売上高, value: "1,134", unit: 百万円, vs_plan: -1.4%, note: 計画比 98.6%}
              - {label: 不良率, value: 0.8, unit: "%", vs_last_year: -0.2pt, good: down}
          - {title: 決裁, callout: B社向け追加投資 3.2億円の承認, bullets: [投資回収 2.5 年]}
    """)


def written_and_planned(tmp_path: Path, template: Path | None):
    from yamldeck.build import build_deck

    text = OUTLINE if template is None else f"template: {template.name}\n{OUTLINE}"
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    make_image(tmp_path / "plant.png")
    result = build_deck(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return Presentation(str(tmp_path / "out.pptx")), result.deck


@pytest.mark.parametrize("templated", [False, True], ids=["builtin", "template"])
def test_every_text_shape_is_written_as_measured(tmp_path: Path, templated: bool):
    from yamldeck.fit import default_metrics
    from yamldeck.fitplan import frame_fits
    from yamldeck.shapes import Placeholder, text_frames

    template = make_four_by_three(tmp_path / "corp.pptx") if templated else None
    prs, deck = written_and_planned(tmp_path, template)
    kinds = {s.kind for s in deck.slides}
    assert kinds == {
        "title",
        "agenda",
        "section",
        "bullets",
        "chart",
        "table",
        "columns",
        "quote",
        "image",
        "flow",
        "timeline",
        "matrix",
        "images",
        "kpis",
        "callout",
    } - {"agenda"}
    checked = 0
    for page, slide in zip(deck.pages, prs.slides, strict=True):
        written = {sh.name: sh for sh in slide.shapes}
        for shape in page.shapes:
            for box, frame in text_frames(shape):
                sh = written[shape.name]
                if not (isinstance(shape, Placeholder) and shape.box is None):
                    assert (sh.left, sh.top, sh.width, sh.height) == (box.x, box.y, box.w, box.h), (
                        shape.name
                    )
                paras = sh.text_frame._txBody.findall(qn("a:p"))
                assert len(paras) == len(frame.paras), shape.name
                for planned, p in zip(frame.paras, paras, strict=True):
                    sizes = {r.get("sz") for r in p.iter(qn("a:rPr"))}
                    want = str(int(round(planned.size * 100))) if planned.own_size else None
                    assert sizes == {want}, (shape.name, planned.text)
                if frame.measure:
                    assert frame_fits(frame, box, default_metrics())[0], shape.name
                checked += 1
    assert checked > 25


def test_the_writer_decides_no_geometry():
    """writer/slides.py holds no numbers for boxes or sizes and never measures text."""
    source = (REPO / "src" / "yamldeck" / "writer" / "slides.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    numbers = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, float | int)
        and not isinstance(node.value, bool)
        and node.value not in (0, 1)
    ]
    assert numbers == []
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in imported if m and ("fit" in m or "layout" in m)}


def test_a_template_title_never_grows(tmp_path: Path):
    """title_sizes_per_layout sets 20 pt titles under a 44 pt master: they stay ≤ 20 pt."""
    from templategen import make_title_sizes_per_layout

    template = make_title_sizes_per_layout(tmp_path / "corp.pptx")
    prs, deck = written_and_planned(tmp_path, template)
    from yamldeck.templates import read_template

    info = read_template(template)
    sizes = {lay.name: lay.title_size for lay in info.layouts}
    for slide, planned in zip(prs.slides, deck.slides, strict=True):
        title = next(sh for sh in slide.shapes if sh.name == "Title")
        written = {int(r.get("sz")) / 100 for r in title._element.iter(qn("a:rPr")) if r.get("sz")}
        limit = sizes[slide.slide_layout.name]
        assert all(size <= limit for size in written), (planned.title, written, limit)
