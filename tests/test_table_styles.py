"""Table styles (issue 14): `align:` per column and `colors:` by column → cell text → colour.

Built through the real build on the built-in theme, a dark template and a 4:3 template;
the decks are reopened with python-pptx and the cells' alignments, colours and fills read
back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx.enum.text import PP_ALIGN

from conftest import build
from templategen import make_dark, make_four_by_three

# The form exactly as the issue writes it.
ISSUE_TABLE = """\
title: 月次報告
sections:
  - title: 今月の状況
    slides:
      - title: 案件の状況
        table:
          header: [案件, 金額（百万円）, 状況]
          rows:
            - [A社 基幹更新, "1,250", 遅延]
            - [B社 新工場, 980, 順調]
          align: [left, right, center]   # default: numbers right, text left
          colors:                        # by column, cell text → colour (theme name or #hex)
            状況: {遅延: accent, 順調: "#2E7D32"}
        bullets: [A社は 2 週間遅延、挽回策を実施中]   # table + takeaways side by side
      - title: 既定の揃え
        table:
          header: [案件, 金額（百万円）, 状況]
          rows:
            - [A社 基幹更新, "1,250", 遅延]
            - [B社 新工場, 980, 順調]
          colors:
            状況: {遅延: palette3, 順調: primary}
"""


def _project(tmp_path: Path, template: str | None) -> Path:
    text = ISSUE_TABLE
    if template == "dark":
        make_dark(tmp_path / "dark.pptx")
        text = "template: dark.pptx\n" + text
    elif template == "4:3":
        make_four_by_three(tmp_path / "four.pptx")
        text = "template: four.pptx\n" + text
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "deck.yaml"


def _table(slide):
    return next(sh for sh in slide.shapes if sh.has_table).table


def _tables(prs) -> list:
    return [_table(s) for s in prs.slides if any(sh.has_table for sh in s.shapes)]


def _run(cell):
    return cell.text_frame.paragraphs[0].runs[0]


@pytest.mark.parametrize("template", [None, "dark", "4:3"])
def test_align_and_colors_as_written_in_the_issue(tmp_path, template):
    from yamldeck.theme import DEFAULT_PALETTE, Theme, contrast

    prs = build(_project(tmp_path, template), tmp_path / "out.pptx")
    styled, default = _tables(prs)
    assert [c.text for c in styled.rows[1].cells] == ["A社 基幹更新", "1,250", "遅延"]
    # align: [left, right, center], the same on every row, header included
    for row in styled.rows:
        aligns = [c.text_frame.paragraphs[0].alignment for c in row.cells]
        assert aligns == [PP_ALIGN.LEFT, PP_ALIGN.RIGHT, PP_ALIGN.CENTER]
    # no align: numbers right, text left (today's rule)
    for row in list(default.rows)[1:]:
        aligns = [c.text_frame.paragraphs[0].alignment for c in row.cells]
        assert aligns == [PP_ALIGN.LEFT, PP_ALIGN.RIGHT, PP_ALIGN.LEFT]

    def colour(table, r, c) -> str:
        return str(_run(table.cell(r, c)).font.color.rgb)

    def fill(table, r, c) -> str:
        return str(table.cell(r, c).fill.fore_color.rgb)

    plain_text = colour(styled, 1, 0)
    for table, expected in ((styled, (None, "2E7D32")), (default, None)):
        for r in (1, 2):
            cell_run = _run(table.cell(r, 2))
            assert cell_run.font.bold is True
            assert contrast(colour(table, r, 2), fill(table, r, 2)) >= 4.5
            assert colour(table, r, 2) != plain_text
            # the other cells keep the body colour, not bold
            assert colour(table, r, 0) == plain_text
            assert not _run(table.cell(r, 0)).font.bold
        if expected:
            given = dict(zip((1, 2), expected, strict=True))
            for r in (2,):  # the #hex (a template brings its own accent)
                # kept exactly where readable on both bands, else adjusted
                fills = (fill(table, 1, 2), fill(table, 2, 2))
                if min(contrast(given[r], f) for f in fills) >= 4.5:
                    assert colour(table, r, 2) == given[r]
                else:
                    assert colour(table, r, 2) != given[r]
    if template is None:
        assert colour(styled, 1, 2) == "C00000"  # accent, readable as it is
        assert colour(default, 2, 2) == Theme().primary
        # palette3 (a light yellow) is too light on white: darkened to 4.5:1
        assert DEFAULT_PALETTE[2] != colour(default, 1, 2)
    if template == "dark":
        # accent (C00000) cannot be read on a dark row: lightened until it reaches 4.5:1.
        assert colour(styled, 1, 2) != "C00000"


@pytest.mark.parametrize("template", [None, "dark", "4:3"])
def test_table_and_takeaways_side_by_side(tmp_path, template):
    from yamldeck.theme import contrast

    prs = build(_project(tmp_path, template), tmp_path / "out.pptx")
    slide = next(s for s in prs.slides if any(sh.has_table for sh in s.shapes))
    shapes = {sh.name: sh for sh in slide.shapes}
    table, panel, text = shapes["Table"], shapes["Takeaways Panel"], shapes["Takeaways"]
    # On 4:3 a line break keeps 「中」 from standing alone on the last line (test_orphans).
    assert text.text_frame.text.replace("\v", "") == "A社は 2 週間遅延、挽回策を実施中"
    # the table on the left, the panel on the right, the text inside the panel
    assert table.left + table.width <= panel.left
    assert panel.left + panel.width <= prs.slide_width
    assert panel.left < text.left and text.left + text.width < panel.left + panel.width
    area = panel.left + panel.width - table.left
    assert 0.6 < table.width / area < 0.68
    assert panel.top == table.top
    # sized to its content: as tall as the short table (or its text), not down to the footer
    assert panel.height >= table.height - 12700
    assert panel.height < prs.slide_height * 0.45
    # readable on the panel
    run = text.text_frame.paragraphs[0].runs[0]
    assert contrast(str(run.font.color.rgb), str(panel.fill.fore_color.rgb)) >= 4.5
    # the table without takeaways still uses the whole width
    other = [s for s in prs.slides if any(sh.has_table for sh in s.shapes)][1]
    wide = next(sh for sh in other.shapes if sh.has_table)
    assert wide.width > table.width * 1.3
    assert not any(sh.name == "Takeaways" for sh in other.shapes)


def test_a_long_table_with_takeaways_paginates_with_the_panel_on_its_first_page(tmp_path):
    rows = "\n".join(f"      - [案件{i}, {i * 10}, 順調]" for i in range(1, 31))
    (tmp_path / "deck.yaml").write_text(
        f"""\
title: 月次報告
slides:
  - title: 全案件
    table:
      header: [案件, 金額, 状況]
      rows:
{rows}
    bullets: [全件が順調, 遅延なし]
""",
        encoding="utf-8",
    )
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    pages = [s for s in prs.slides if any(sh.has_table for sh in s.shapes)]
    assert len(pages) >= 2
    seen = [r.cells[0].text for p in pages for r in list(_table(p).rows)[1:]]
    assert seen == [f"案件{i}" for i in range(1, 31)]
    names = [{sh.name for sh in p.shapes} for p in pages]
    assert "Takeaways" in names[0]
    assert all("Takeaways" not in n for n in names[1:])
    first = next(sh for sh in pages[0].shapes if sh.name == "Takeaways")
    assert [p.text for p in first.text_frame.paragraphs] == ["全件が順調", "遅延なし"]
