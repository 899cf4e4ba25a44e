"""One outline, many meetings: --set, --with overlays, tags with --only/--skip, theme files."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from conftest import make_image, shape_named, texts
from yamldeck.cli import main

OUTLINE = """\
title: 事業レビュー
date: 2025-09-01
footer: 社外秘
agenda: true
charts:
  share:
    kind: bar
    data: {地域: [東, 西], 構成比: [60, 40]}
    x: 地域
    y: 構成比
sections:
  - title: 概況
    slides:
      - title: ハイライト
        tags: [board]
        bullets: [売上は増加]
      - title: 構成比
        chart: share
  - title: 詳細
    tags: [full]
    slides:
      - title: 案件一覧
        bullets: [A社, B社]
  - title: 付録
    slides:
      - title: 用語集
        tags: [appendix]
        bullets: [GX]
"""


def run(project: Path, *args: str):
    old = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    return tmp_path


def titles(path: Path) -> list[str]:
    prs = Presentation(str(path))
    return [s.shapes.title.text_frame.text for s in prs.slides]


def test_set_changes_values_by_dotted_path(project: Path):
    result = run(
        project,
        "build",
        "--set",
        "date=2025-10-02",
        "--set",
        "sections[0].slides[0].title=本日の要点",
        "--set",
        "theme.colors.primary=#C00000",
    )
    assert result.exit_code == 0, result.stderr
    prs = Presentation(str(project / "build" / "deck.pptx"))
    assert "2025年10月2日" in " ".join(texts(prs.slides[0]))
    assert prs.slides[3].shapes.title.text_frame.text == "本日の要点"
    title_run = prs.slides[3].shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(title_run.font.color.rgb) == "C00000"
    chart = next(s for s in prs.slides[4].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    colours = {
        c for _, c in Image.open(io.BytesIO(chart.image.blob)).convert("RGB").getcolors(1_000_000)
    }
    assert (0xC0, 0x00, 0x00) in colours  # the new primary colours the bars


def test_set_errors_name_the_option(project: Path):
    result = run(project, "build", "--set", "theme.colors.primary=red")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "--set theme.colors.primary=red: error: theme.colors.primary: expected a colour like "
        "\"#1F4E79\", found 'red'"
    )
    result = run(project, "check", "--set", "sections[9].title=x")
    assert "error: sections[9]: no item 9 here (the list has 3)" in result.stderr
    assert run(project, "check", "--set", "nonsense").exit_code == 1


def test_overlays_deep_merge_and_errors_point_into_the_overlay(project: Path):
    (project / "board.yaml").write_text(
        'subtitle: 取締役会\ntheme:\n  colors: {accent: "#2A9D8F"}\n', encoding="utf-8"
    )
    (project / "seminar.yaml").write_text("footer: 公開セミナー\nagenda: false\n", encoding="utf-8")
    result = run(project, "build", "--with", "board.yaml", "--with", "seminar.yaml")
    assert result.exit_code == 0, result.stderr
    prs = Presentation(str(project / "build" / "deck.pptx"))
    assert "取締役会" in " ".join(texts(prs.slides[0]))
    assert prs.slides[1].slide_layout.name == "Section Header"  # agenda: false
    assert shape_named(prs.slides[2], "Footer").text_frame.text == "公開セミナー　｜　概況"
    rule = shape_named(prs.slides[2], "Title Rule")
    assert str(rule.fill.fore_color.rgb) == "2A9D8F"
    (project / "bad.yaml").write_text("footer: x\nagenda: maybe\n  oops: [\n", encoding="utf-8")
    result = run(project, "check", "--with", "bad.yaml")
    assert result.exit_code == 1 and result.stderr.startswith("bad.yaml:")
    (project / "typo.yaml").write_text("footer: x\nsubtitel: y\n", encoding="utf-8")
    result = run(project, "check", "--with", "typo.yaml")
    assert "typo.yaml:2:1: error: (top level): unknown key 'subtitel'" in result.stderr


def test_only_and_skip_cut_slides_and_the_agenda_follows(project: Path):
    assert (
        run(project, "build", "--skip", "full", "--skip", "appendix", "-o", "short.pptx").exit_code
        == 0
    )
    assert titles(project / "short.pptx") == [
        "事業レビュー",
        "アジェンダ",
        "概況",
        "ハイライト",
        "構成比",
    ]
    prs = Presentation(str(project / "short.pptx"))
    items = [s.text_frame.text for s in prs.slides[1].shapes if s.name.startswith("Agenda Item")]
    assert items == ["概況"]
    number = shape_named(prs.slides[4], "Slide Number").text_frame.text
    assert number == "5"  # numbers follow the cut
    assert run(project, "build", "--only", "board", "-o", "board.pptx").exit_code == 0
    assert titles(project / "board.pptx") == ["事業レビュー", "アジェンダ", "概況", "ハイライト"]
    assert run(project, "build", "--only", "full", "-o", "full.pptx").exit_code == 0
    assert titles(project / "full.pptx") == ["事業レビュー", "アジェンダ", "詳細", "案件一覧"]


def test_unknown_only_tag_fails_and_unknown_skip_tag_warns(project: Path):
    result = run(project, "check", "--only", "bord")
    assert (
        "--only bord: error: no slide is tagged 'bord'\n  hint: did you mean 'board'?"
        in result.stderr
    )
    assert result.exit_code == 1
    result = run(project, "check", "--skip", "bord")
    assert "--skip bord: warning: no slide is tagged 'bord'" in result.stderr
    assert run(project, "check", "--strict", "--skip", "bord").exit_code == 3


def test_theme_file_with_logo_footer_and_no_numbers(project: Path):
    themes = project / "themes"
    make_image(themes / "logo.png", (400, 100))
    (themes / "corporate.yaml").write_text(
        "fonts: {latin: Arial, east_asian: Yu Gothic, body_size: 20}\n"
        'colors: {primary: "#003366", palette: ["#003366", "#FF9900"]}\n'
        "logo: {image: logo.png, corner: top-right, width: 1.0}\n"
        "footer: 株式会社サンプル\nslide_numbers: false\n",
        encoding="utf-8",
    )
    text = OUTLINE.replace("footer: 社外秘\n", "theme: themes/corporate.yaml\n")
    (project / "deck.yaml").write_text(text, encoding="utf-8")
    result = run(project, "build")
    assert result.exit_code == 0, result.stderr
    prs = Presentation(str(project / "build" / "deck.pptx"))
    slide = prs.slides[3]
    logo = shape_named(slide, "Logo")
    assert logo.width == 914400 and logo.height == 914400 // 4
    assert logo.left + logo.width < prs.slide_width
    assert shape_named(slide, "Footer").text_frame.text == "株式会社サンプル　｜　概況"
    assert not [s for s in slide.shapes if s.name == "Slide Number"]
    run_props = shape_named(slide, "Body").text_frame.paragraphs[0].runs[0]._r.rPr
    # the theme's 20 pt, set as large as a short list may go (a lone bullet: the maximum)
    from yamldeck.fitplan import SHORT_LIST_GROW

    assert run_props.get("sz") == str(int(20 * SHORT_LIST_GROW) * 100)
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    assert run_props.find(f"{ns}ea").get("typeface") == "Yu Gothic"


def test_theme_file_errors_point_into_the_theme_file(project: Path):
    (project / "t.yaml").write_text("colors: {primary: blue}\n", encoding="utf-8")
    (project / "deck.yaml").write_text(
        OUTLINE.replace("footer: 社外秘\n", "theme: t.yaml\n"), encoding="utf-8"
    )
    result = run(project, "check")
    assert result.stderr.startswith("t.yaml:1:19: error: theme.colors.primary: expected a colour")


def test_new_scaffolds_a_project_that_builds(tmp_path: Path):
    result = run(tmp_path, "new", "meeting")
    assert result.exit_code == 0
    assert (tmp_path / "meeting" / "deck.yaml").is_file()
    assert run(tmp_path / "meeting", "build").exit_code == 0
    assert len(Presentation(str(tmp_path / "meeting" / "build" / "deck.pptx")).slides) == 7
    assert run(tmp_path, "new", "meeting").exit_code == 2  # never overwrites


def test_chart_fonts_follow_the_theme_when_installed():
    from yamldeck.chartdata import ChartData, Series
    from yamldeck.charts import chart_fonts, render_chart
    from yamldeck.deck import PlannedChart
    from yamldeck.theme import Theme

    assert chart_fonts(Theme()) == ["IPAexGothic"]  # Segoe UI and Meiryo are not on Linux
    dejavu = Theme(latin="DejaVu Sans")  # ships with matplotlib
    assert chart_fonts(dejavu) == ["DejaVu Sans", "IPAexGothic"]
    chart = PlannedChart(
        "c",
        "bar",
        "売上 Sales",
        ChartData(("東", "West"), (Series("v", (1, 2)),)),
        None,
        None,
        None,
        None,
        4.0,
        3.0,
    )
    assert render_chart(chart, Theme()) != render_chart(chart, dejavu)


def test_a_cut_that_leaves_nothing_fails_and_writes_nothing(project: Path):
    result = run(project, "build", "--only", "nothing-has-this")
    assert result.exit_code == 1
    assert "no slide is tagged 'nothing-has-this'" in result.stderr
    assert not (project / "build").exists()
    result = run(project, "build", "--only", "appendix", "--skip", "appendix")
    assert result.exit_code == 1
    assert "the cut leaves no slides but the title slide" in result.stderr
    assert not (project / "build").exists()
