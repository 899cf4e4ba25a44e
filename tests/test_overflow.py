"""An overloaded outline still gives a presentable deck: shrunk, split, paginated, reported.

Rendered through LibreOffice where it is installed (CI installs it): no word may lie
outside its shape or off the slide.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from yamldeck.build import build_deck, check_deck

LONG = (
    "国内外の市場環境が大きく変化するなかで、当社は中期経営計画に基づき、成長投資と"
    "構造改革を同時に進めてきました"
)
BULLETS = [
    f"{i + 1:02d}. {LONG}（詳細は別紙 https://example.com/report/2025/q{i % 4 + 1} を参照）"
    for i in range(14)
]
ROWS = [
    [f"案件{i + 1:02d}", "東日本" if i % 2 else "海外", f"{(i + 1) * 1.5:.1f}"] for i in range(40)
]


def overloaded() -> str:
    bullets = "\n".join(f"          - {b}" for b in BULLETS)
    rows = "\n".join(f"            - [{', '.join(r)}]" for r in ROWS)
    return f"""\
title: 詰め込みすぎた資料
footer: テスト
sections:
  - title: 本文
    slides:
      - title: 日中イノベーションの最新動向とその注目事例を踏まえた当社の中期的な事業戦略の方向性について
        bullets:
{bullets}
      - title: 案件一覧
        table:
          header: [案件, 地域, 金額（億円）]
          rows:
{rows}
      - title: 顧客の声
        quote: {LONG}。{LONG}。{LONG}。
        by: C社 工場長
      - title: 比較
        columns:
          - heading: 強み
            bullets: [{", ".join([LONG] * 3)}]
          - heading: 課題
            bullets: [人材, コスト]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("overloaded")
    (root / "deck.yaml").write_text(overloaded(), encoding="utf-8")
    result = build_deck(root / "deck.yaml", root / "deck.pptx", "deck.yaml")
    assert result.ok, [d.format() for d in result.diagnostics]
    return root, result, Presentation(str(root / "deck.pptx"))


def test_bullets_continue_on_slides_titled_zoku_and_nothing_is_lost(built):
    _, _, prs = built
    bodies = [(s, sh) for s in prs.slides for sh in s.shapes if sh.name == "Body"]
    titles = [s.shapes.title.text_frame.text.replace("\v", "") for s, _ in bodies]
    assert len(titles) >= 2
    assert all(t.endswith("（続き）") for t in titles[1:])
    texts = [p.text for _, sh in bodies for p in sh.text_frame.paragraphs]
    assert texts == BULLETS  # every bullet once, in order


def test_long_table_paginates_with_the_header_repeated(built):
    _, _, prs = built
    tables = [(s, sh.table) for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(tables) >= 2
    n = len(tables)
    for i, (slide, table) in enumerate(tables, start=1):
        assert slide.shapes.title.text_frame.text == f"案件一覧（{i}/{n}）"
        assert [table.cell(0, c).text for c in range(3)] == ["案件", "地域", "金額（億円）"]
    rows = [[t.cell(r, c).text for c in range(3)] for _, t in tables for r in range(1, len(t.rows))]
    assert rows == ROWS


def test_long_title_breaks_between_phrases_within_two_lines(built):
    _, _, prs = built
    title = prs.slides[3].shapes.title.text_frame
    lines = title.text.split("\v")
    assert len(lines) == 2
    assert lines[0].endswith(("の", "と", "た", "を", "て", "る"))  # a phrase end, not mid-word
    sizes = {r.font.size.pt for p in title.paragraphs for r in p.runs}
    assert len(sizes) == 1 and 24 <= sizes.pop() <= 30


def test_shrinking_and_splitting_are_reported_as_notes(built):
    _, result, _ = built
    notes = [d.format() for d in result.diagnostics if d.severity.value == "note"]
    assert any(
        re.match(
            r"deck\.yaml:\d+: note: sections\[0\]\.slides\[0\]: slide 3 「.*」: "
            r"body split onto \d slides",
            n,
        )
        for n in notes
    ), notes
    assert any("table of 40 rows paginated onto" in n for n in notes), notes
    assert any("quote shrunk from 30 to" in n for n in notes), notes


def test_what_cannot_fit_is_a_warning_with_numbers(tmp_path: Path):
    huge = "あ" * 2000
    (tmp_path / "d.yaml").write_text(
        f"title: T\nslides:\n  - title: 一枚\n    bullets: [{huge}]\n", encoding="utf-8"
    )
    result = check_deck(tmp_path / "d.yaml", "d.yaml")
    [warning] = [d.format() for d in result.warnings]
    assert re.fullmatch(
        r"d\.yaml:3: warning: slides\[0\]: slide 2 「一枚」: body needs \d+ lines, "
        r"box holds \d+ at 14 pt",
        warning,
    ), warning


def test_no_box_relies_on_autofit(built):
    root, _, _ = built
    import zipfile

    with zipfile.ZipFile(root / "deck.pptx") as zf:
        slides = [zf.read(n).decode() for n in zf.namelist() if n.startswith("ppt/slides/slide")]
    assert not any("normAutofit" in s or "spAutoFit" in s for s in slides)


soffice = shutil.which("soffice") or shutil.which("libreoffice")


def words_outside_shapes(pptx: Path, pdf: Path) -> list[str]:
    prs = Presentation(str(pptx))
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S)
    assert len(pages) == len(prs.slides)
    bad = []
    for (w, h, body), slide in zip(pages, prs.slides):
        boxes = [
            (
                Emu(sh.left).pt,
                Emu(sh.top).pt,
                Emu(sh.left + sh.width).pt,
                Emu(sh.top + sh.height).pt,
            )
            for sh in slide.shapes
            if sh.width is not None and (sh.has_text_frame or sh.has_table or sh.has_chart)
        ]
        for x0, y0, x1, y1, word in re.findall(
            r'xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<', body
        ):
            x0, y0, x1, y1 = map(float, (x0, y0, x1, y1))
            on_slide = x0 >= 0 and y0 >= 0 and x1 <= float(w) and y1 <= float(h)
            # pdftotext boxes span the font's whole ascent and descent (1.45 em for Noto
            # CJK), more than a line is tall; judge a word by the middle of its box.
            middle, half = (y0 + y1) / 2, (y1 - y0) * 0.35
            y0, y1 = middle - half, middle + half
            inside = any(
                x0 >= a - 2 and y0 >= b - 2 and x1 <= c + 2 and y1 <= d + 2 for a, b, c, d in boxes
            )
            if not (on_slide and inside):
                bad.append(f"slide {prs.slides.index(slide) + 1}: {word!r}")
    return bad


@pytest.mark.skipif(soffice is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("which", ["overloaded", "repo"])
def test_rendered_words_stay_inside_their_shapes(built, which: str, tmp_path: Path):
    from conftest import REPO

    if which == "overloaded":
        pptx = built[0] / "deck.pptx"
    else:
        pptx = tmp_path / "deck.pptx"
        assert build_deck(REPO / "deck.yaml", pptx).ok
    out = tmp_path / "pdf"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert words_outside_shapes(pptx, out / f"{pptx.stem}.pdf") == []
