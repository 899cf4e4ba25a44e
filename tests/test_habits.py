"""How people write outlines: `label: text` bullets, the JSON Schema agreeing with the tool on
them, and **bold** in every place text is shown."""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path

from conftest import build, make_image, shape_named

from yamldeck.build import check_deck

LABELS = textwrap.dedent("""\
    title: 決算説明
    slides:
      - title: 第2四半期の業績
        bullets:
          - 売上: 1,134百万円（計画比 98.6%）
          - リスク要因: 為替、材料価格
          - 営業利益:  95
          - "見通し": 据え置き
          - 主な施策:
              - 価格改定
              - 新製品の投入
    """)


def body_paragraphs(prs, index: int) -> list[tuple[int, str]]:
    body = shape_named(prs.slides[index], "Body")
    return [(p.level, "".join(r.text for r in p.runs)) for p in body.text_frame.paragraphs]


def test_label_bullets_are_one_bullet_as_typed(tmp_path: Path):
    (tmp_path / "deck.yaml").write_text(LABELS, encoding="utf-8")
    prs = build(tmp_path / "deck.yaml", tmp_path / "deck.pptx")
    assert body_paragraphs(prs, 1) == [
        (0, "売上: 1,134百万円（計画比 98.6%）"),
        (0, "リスク要因: 為替、材料価格"),
        (0, "営業利益:  95"),  # the spacing as typed
        (0, "見通し: 据え置き"),  # quotes are YAML's, not the text's
        (0, "主な施策"),  # a list under the key: sub-bullets, as before
        (1, "価格改定"),
        (1, "新製品の投入"),
    ]
    label = shape_named(prs.slides[1], "Body").text_frame.paragraphs[0]
    assert not any(r.font.bold for r in label.runs)  # shown as typed: no emphasis added


def test_flow_step_with_text_keeps_it_as_a_detail(tmp_path: Path):
    (tmp_path / "deck.yaml").write_text(
        "title: T\nslides:\n  - title: 工程\n    flow: [{設計: 2週間}, 製造]\n", encoding="utf-8")
    result = check_deck(tmp_path / "deck.yaml", "deck.yaml")
    steps = result.deck.slides[1].steps
    assert [(s.label, [p.text for p in s.details]) for s in steps] == [
        ("設計", ["2週間"]), ("製造", [])]


EVERY_SLOT = textwrap.dedent("""\
    title: 全部に太字
    notes: 表紙で **強調** する
    charts:
      share:
        kind: bar
        data: {region: [東日本, 西日本], share: [60, 40]}
        x: region
        y: share
    slides:
      - title: 表
        table:
          header: [項目, "**実績**"]
          rows:
            - [売上, "**1,134**"]
            - ["**利益**", 95]
        notes: 表は **右列** を見る
      - title: 比較
        columns:
          - {heading: "**強み**", bullets: [技術は **一流**]}
          - {heading: 課題, bullets: [人材]}
      - title: 声
        quote: 作業時間が **半分** になった。
        by: C社 **工場長**
      - title: 写真
        image: plant.png
        caption: 2026年 **竣工**
      - title: 工程
        flow:
          - "**受注**": [見積は **即日**]
          - 設計
        bullets: [全体で **3か月**]
      - title: 構成比
        chart: share
        bullets: [東日本が **6割**]
    """)


def bold_texts(shape) -> list[str]:
    frames = ([shape.text_frame] if shape.has_text_frame else
              [c.text_frame for row in shape.table.rows for c in row.cells])
    return [r.text for tf in frames for p in tf.paragraphs for r in p.runs
            if r.font.bold and r.text.strip()]


def test_bold_everywhere(tmp_path: Path):
    make_image(tmp_path / "plant.png")
    (tmp_path / "deck.yaml").write_text(EVERY_SLOT, encoding="utf-8")
    prs = build(tmp_path / "deck.yaml", tmp_path / "deck.pptx")
    slides = prs.slides
    table = shape_named(slides[1], "Table")
    assert "1,134" in bold_texts(table) and "利益" in bold_texts(table)
    assert table.table.cell(1, 0).text_frame.paragraphs[0].runs[0].font.bold is False
    assert bold_texts(shape_named(slides[2], "Column 1")) == ["一流"]
    assert bold_texts(shape_named(slides[2], "Column Heading 1")) == ["強み"]
    assert "半分" in bold_texts(shape_named(slides[3], "Quote"))
    assert bold_texts(shape_named(slides[3], "Quote By")) == ["工場長"]
    assert bold_texts(shape_named(slides[4], "Caption")) == ["竣工"]
    assert shape_named(slides[5], "Flow Step 1").text_frame.text == "受注"
    assert bold_texts(shape_named(slides[5], "Flow Details 1")) == ["即日"]
    assert bold_texts(shape_named(slides[5], "Flow Body")) == ["3か月"]
    assert bold_texts(shape_named(slides[6], "Takeaways")) == ["6割"]
    for index, word in ((0, "強調"), (1, "右列")):
        notes = slides[index].notes_slide.notes_text_frame
        assert [r.text for p in notes.paragraphs for r in p.runs if r.font.bold] == [word]
    with zipfile.ZipFile(tmp_path / "deck.pptx") as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                assert "**" not in z.read(name).decode("utf-8"), name


def test_fitter_measures_the_runs_it_writes():
    """A table cell with **bold** is measured as the bold runs the writer sets, without
    the markers: at a width where bold text wraps onto more lines, so does the row."""
    from yamldeck.fit import default_metrics
    from yamldeck.fitplan import row_height

    m = default_metrics()
    words = "Revenue grew in every region " * 3
    widths = [w / 20 for w in range(30, 120)]
    width = next(w for w in widths
                 if row_height((words,), (w,), 18, True, m) > row_height((words,), (w,), 18,
                                                                          False, m))
    marked = f"**{words.strip()}**"
    assert row_height((marked,), (width,), 18, False, m) == row_height(
        (words.strip(),), (width,), 18, True, m)


THOUSANDS = textwrap.dedent("""\
    title: 決算説明
    charts:
      sales:
        kind: bar
        data: {月: [4月, 5月], 売上: [{data}]}
        x: 月
        y: 売上
    slides:
      - title: 業績
        chart: sales
        bullets: [{bullets}]
        tags: [{tags}]
    """)


def thousands_errors(tmp_path: Path, data: str, bullets: str, tags: str = "本編"):
    text = THOUSANDS.replace("{data}", data).replace("{bullets}", bullets)
    (tmp_path / "deck.yaml").write_text(text.replace("{tags}", tags), encoding="utf-8")
    result = check_deck(tmp_path / "deck.yaml", "deck.yaml")
    return [d.format() for d in result.diagnostics if d.is_error]


def test_thousands_split_by_a_flow_list_is_named_at_its_comma(tmp_path: Path):
    found = thousands_errors(tmp_path, "1,134, 1,150", "売上 1,134百万円, 営業利益 95",
                             "第1,000回")
    hint = "(separate values need a space after the comma)"
    assert found == [
        (f"deck.yaml:5:31: error: charts.sales.data.売上: YAML split '1,134' at its comma\n"
         f"  hint: quote the value: '1,134' {hint}"),
        (f"deck.yaml:5:38: error: charts.sales.data.売上: YAML split '1,150' at its comma\n"
         f"  hint: quote the value: '1,150' {hint}"),
        (f"deck.yaml:11:19: error: slides[0].bullets: YAML split '1,134' at its comma\n"
         f"  hint: quote the value: '売上 1,134百万円' {hint}"),
        (f"deck.yaml:12:14: error: slides[0].tags: YAML split '1,000' at its comma\n"
         f"  hint: quote the value: '第1,000回' {hint}"),
    ]


def test_commas_that_separate_values_are_left_alone(tmp_path: Path):
    """A space after the comma, quotes, four digits, or no digit before: separate values."""
    assert thousands_errors(tmp_path, "'1,134', \"1,150\"",
                            "1, 134, 2024,2025, 1,1345, 4月,100件, 売上1 ,134") == []


BOLD_SLOTS = textwrap.dedent("""\
    title: "**全部**に太字"
    subtitle: 第3四半期 **速報**
    author: 経営**企画部**
    date: 2026年 **秋**
    footer: "**社外秘**"
    agenda: "**目次**"
    charts:
      share:
        kind: bar
        data: {region: [東日本, 西日本], share: [60, 40]}
        x: region
        y: share
        title: "**構成比**の推移"
        source: 社内 **集計**
    sections:
      - title: "**新製品**の投入"
        slides:
          - title: 構成比
            chart: share
    """)


def runs_of(shape) -> list[tuple[str, bool]]:
    """(text, bold) of every run; a run that inherits its weight counts as not bold."""
    return [(r.text, bool(r.font.bold)) for p in shape.text_frame.paragraphs for r in p.runs
            if r.text]


def no_markers_anywhere(pptx: Path) -> None:
    with zipfile.ZipFile(pptx) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                assert "**" not in z.read(name).decode("utf-8"), name


def test_bold_in_every_slot_of_the_built_in_design(tmp_path: Path):
    """Title slide, agenda, section divider, footer and chart title: bold runs where the
    text is not bold anyway, markers dropped where it is; never a literal **."""
    (tmp_path / "deck.yaml").write_text(BOLD_SLOTS, encoding="utf-8")
    prs = build(tmp_path / "deck.yaml", tmp_path / "deck.pptx")
    no_markers_anywhere(tmp_path / "deck.pptx")
    title, agenda, section, chart = prs.slides
    assert title.shapes.title.text_frame.text == "全部に太字"
    assert runs_of(title.placeholders[1]) == [("第3四半期 ", False), ("速報", True)]
    byline = shape_named(title, "Byline").text_frame.paragraphs
    assert [(r.text, r.font.bold) for r in byline[0].runs] == [("経営", True), ("企画部", True)]
    assert [(r.text, r.font.bold) for r in byline[1].runs] == [("2026年 ", False), ("秋", True)]
    assert agenda.shapes.title.text_frame.text == "目次"
    assert runs_of(shape_named(agenda, "Agenda Item 1")) == [("新製品", True), ("の投入", False)]
    assert section.shapes.title.text_frame.text == "新製品の投入"
    assert runs_of(shape_named(chart, "Footer")) == [
        ("社外秘", True), ("　｜　", False), ("新製品", True), ("の投入", False)]
    assert shape_named(chart, "Chart Title").text_frame.text == "構成比の推移"
    assert runs_of(shape_named(chart, "Chart Source")) == [("社内 ", False), ("集計", True)]
    assert "社内 集計" in shape_named(chart, "Chart share")._element.nvPicPr.cNvPr.get("descr")
    assert (prs.core_properties.title, prs.core_properties.author) == ("全部に太字", "経営企画部")


def test_bold_in_every_slot_of_a_template(tmp_path: Path):
    """In a company template the same text goes into the layouts' placeholders."""
    from conftest import make_template
    from pptx.enum.shapes import PP_PLACEHOLDER

    make_template(tmp_path / "corp.pptx")
    (tmp_path / "deck.yaml").write_text("template: corp.pptx\n" + BOLD_SLOTS, encoding="utf-8")
    prs = build(tmp_path / "deck.yaml", tmp_path / "deck.pptx")
    no_markers_anywhere(tmp_path / "deck.pptx")
    title, agenda, section, chart = prs.slides
    sub = next(ph for ph in title.placeholders
               if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE)
    assert [t for t, bold in runs_of(sub) if bold] == ["速報", "企画部", "秋"]
    assert sub.text_frame.text == "第3四半期 速報\n経営企画部\n2026年 秋"
    assert [t for t, bold in runs_of(shape_named(agenda, "Body")) if bold] == ["新製品"]
    assert section.shapes.title.text_frame.text == "新製品の投入"
    footer = next(sh for sh in chart.placeholders
                  if sh.placeholder_format.type == PP_PLACEHOLDER.FOOTER)
    assert [t for t, bold in runs_of(footer) if bold] == ["社外秘", "新製品"]


def test_agenda_lines_are_measured_with_their_bold_runs(tmp_path: Path):
    """An agenda line is set in regular weight, its **bold** part in bold: the fitter
    measures those runs, so a line whose bold words make it wrap is set smaller."""
    from yamldeck.fit import default_metrics
    from yamldeck.fitplan import fit_deck

    def item_size(section_title: str) -> float:
        (tmp_path / "deck.yaml").write_text(
            f"title: T\nagenda: true\nsections:\n  - title: '{section_title}'\n    slides:\n"
            "      - title: a\n        bullets: [b]\n", encoding="utf-8")
        deck = check_deck(tmp_path / "deck.yaml", "deck.yaml").deck
        fitted, _ = fit_deck(deck, default_metrics())
        return fitted.slides[1].size_of("item", 0)

    words = "Revenue grew strongly in every region and every quarter of the year " * 2
    pairs = [(item_size(words[:n]), item_size(f"**{words[:n]}**")) for n in range(60, 140, 4)]
    assert all(bold <= regular for regular, bold in pairs)
    assert any(bold < regular for regular, bold in pairs)


def test_thousands_split_in_a_set_value(tmp_path: Path):
    from click.testing import CliRunner

    from yamldeck.cli import main

    (tmp_path / "deck.yaml").write_text("title: T\nslides:\n  - title: a\n    bullets: [x]\n",
                                        encoding="utf-8")
    option = "slides[0].bullets=[売上 1,134百万円]"
    result = CliRunner().invoke(main, ["check", str(tmp_path / "deck.yaml"), "--set", option])
    assert result.exit_code == 1
    assert result.stderr == (
        f"--set {option}: error: YAML split '1,134' at its comma\n"
        "  hint: quote the value: '売上 1,134百万円' (separate values need a space after the "
        "comma)\n")
