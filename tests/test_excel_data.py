"""Chart data as Japanese offices keep it: CSVs saved by Excel and .xlsx workbooks.

The files are written here with the bytes Excel writes (CP932 with CRLF, UTF-8 with a BOM,
UTF-16 with tabs, sheet XML holding cached formula values), built into a deck through the
CLI with native charts, and the charts' numbers are read back from the .pptx.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table
from pptx import Presentation

from yamldeck.build import check_deck
from yamldeck.cli import main
from yamldeck.outline import input_files, load_outline

# ---------------------------------------------------------------------------- the files

#: Digits, comma, minus as typed with the Japanese IME on.
FULL_WIDTH = str.maketrans("0123456789,-", "０１２３４５６７８９，－")

# Excel's 「CSV (コンマ区切り)」 on Japanese Windows: CP932, CRLF, numbers as displayed.
# The yen sign of a currency format is byte 0x5C in CP932, which decodes as a backslash.
CP932_CSV = (
    "取引先一覧（2025年度）\r\n"
    "会社,売上高（百万円）,前年差\r\n"
    '①髙橋商事㈱,"\\1,200",▲12\r\n'
    '㈱東海製作所,"1,134",△38\r\n'
    "髙島屋㈱,￥980,(5)\r\n"
    "ＡＢＣ物産,１，０５０,－\r\n"
)
CP932_EXPECTED = {"売上高": [1200, 1134, 980, 1050], "前年差": [-12, -38, -5, None]}
CP932_LABELS = ["①髙橋商事㈱", "㈱東海製作所", "髙島屋㈱", "ＡＢＣ物産"]

# 「CSV UTF-8 (コンマ区切り)」: a BOM, CRLF, percentages as displayed.
BOM_CSV = '地域,構成比\r\n東日本,45.5%\r\n西日本,"30.0%"\r\n海外,24.5%\r\n'

# 「Unicode テキスト」: UTF-16 LE with a BOM, tab-separated.
UTF16_TSV = "月\t件数\r\n4月\t1,234\r\n5月\t2,345\r\n"


def cached(path: Path, values: dict[str, dict[str, str]]) -> None:
    """Write Excel's cached results into formula cells, as Excel does when it saves.

    openpyxl writes formulas with an empty ``<v/>``; Excel writes
    ``<c r="E4"><f>C4*2</f><v>2400</v></c>``. ``values`` maps a sheet part to cell → value.
    """
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    for part, cells in values.items():
        xml = parts[part].decode("utf-8")
        for ref, value in cells.items():
            xml, n = re.subn(
                rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?',
                rf"\g<1>\g<2><v>{value}</v>",
                xml,
            )
            assert n == 1, (part, ref)
        parts[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def make_workbook(path: Path, calculated: bool = True) -> Path:
    """Two sheets as an office keeps them: a titled monthly table with a note under it, and
    a named table with a totals row; formulas, percentages, a number typed as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "月次"
    ws["A1"] = "月次売上（2025年度）"
    ws["A2"] = "単位：百万円"
    for col, head in zip("BCDE", ["月", "売上高（百万円）", "利益率", "合計"]):
        ws[f"{col}3"] = head
    rows = [("4月", 1200, 0.125), ("5月", "▲30", 0.1), ("6月", 980, -0.05)]
    for r, (month, sales, margin) in enumerate(rows, start=4):
        ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"] = month, sales, margin
        ws[f"D{r}"].number_format = "0.0%"
        ws[f"E{r}"] = f"=C{r}*2" if r != 5 else "=-60"
    ws["B8"] = "出所：社内集計"  # under an empty row: not data
    regions = wb.create_sheet("地域")
    regions.append(["地域", "売上", "構成比"])
    regions.append(["東日本", 10, "=B2/B4"])
    regions.append(["西日本", 30, "=B3/B4"])
    regions.append(["合計", "=SUBTOTAL(109,B2:B3)", "=SUM(C2:C3)"])
    for r in (2, 3, 4):
        regions[f"C{r}"].number_format = "0%"
    regions.add_table(Table(displayName="地域別", ref="A1:C4", totalsRowCount=1))
    wb.defined_names["売上範囲"] = DefinedName("売上範囲", attr_text="'月次'!$B$3:$E$6")
    wb.save(path)
    if calculated:
        cached(
            path,
            {
                "xl/worksheets/sheet1.xml": {"E4": "2400", "E5": "-60", "E6": "1960"},
                "xl/worksheets/sheet2.xml": {"C2": "0.25", "C3": "0.75", "B4": "40", "C4": "1"},
            },
        )
    return path


DECK = """\
title: データ取込
charts:
  cp932: {kind: bar, data: data/取引先.csv, x: 会社, y: [売上高, 前年差], unit: 百万円}
  bom: {kind: bar, data: data/構成比.csv, x: 地域, y: 構成比, unit: "%"}
  utf16: {kind: line, data: data/件数.txt, x: 月, y: 件数}
  monthly: {kind: bar, data: data/売上.xlsx, sheet: 月次, x: 月, y: [売上高, 利益率, 合計]}
  region: {kind: bar, data: data/売上.xlsx, table: 地域別, x: 地域, y: [売上, 構成比]}
  ranged: {kind: line, data: data/売上.xlsx, sheet: 月次, range: B3:E5, x: 月, y: 合計}
  named: {kind: bar, data: data/売上.xlsx, table: 売上範囲, x: 月, y: 売上高（百万円）}
slides:
  - {title: 取引先, chart: cp932}
  - {title: 構成比, chart: bom}
  - {title: 件数, chart: utf16}
  - {title: 月次, chart: monthly}
  - {title: 地域, chart: region}
  - {title: 範囲, chart: ranged}
  - {title: 名前, chart: named}
"""


@pytest.fixture
def office(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "取引先.csv").write_bytes(CP932_CSV.encode("cp932"))
    (data / "構成比.csv").write_bytes(BOM_CSV.encode("utf-8-sig"))
    (data / "件数.txt").write_bytes(UTF16_TSV.encode("utf-16"))
    make_workbook(data / "売上.xlsx")
    (tmp_path / "deck.yaml").write_text(DECK, encoding="utf-8")
    return tmp_path


def native_charts(pptx: Path) -> dict[str, tuple[list[str], dict[str, list]]]:
    """Chart id → (categories, series name → values) of every native chart in the deck."""
    out = {}
    for slide in Presentation(str(pptx)).slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                out[shape.name.removeprefix("Chart ")] = (
                    list(plot.categories),
                    {s.name: list(s.values) for s in plot.series},
                )
    return out


def build_native(folder: Path, *extra: str) -> dict:
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(folder / "deck.yaml"),
            "--charts",
            "native",
            "-o",
            str(folder / "out.pptx"),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.stderr
    return native_charts(folder / "out.pptx")


# ---------------------------------------------------------------------------- good files


def test_files_saved_by_japanese_excel_become_native_charts_with_their_numbers(office: Path):
    charts = build_native(office)
    categories, series = charts["cp932"]
    assert categories == CP932_LABELS
    assert series == CP932_EXPECTED
    assert charts["bom"] == (["東日本", "西日本", "海外"], {"構成比": [45.5, 30.0, 24.5]})
    assert charts["utf16"] == (["4月", "5月"], {"件数": [1234, 2345]})
    # The title and unit lines above the header and the note under the table are not data;
    # a percent-formatted 0.125 is 12.5 as shown; formulas give Excel's cached results.
    assert charts["monthly"] == (
        ["4月", "5月", "6月"],
        {"売上高": [1200, -30, 980], "利益率": [12.5, 10.0, -5.0], "合計": [2400, -60, 1960]},
    )
    # A table's totals row is not a category.
    assert charts["region"] == (["東日本", "西日本"], {"売上": [10, 30], "構成比": [25, 75]})
    assert charts["ranged"] == (["4月", "5月"], {"合計": [2400, -60]})
    assert charts["named"] == (["4月", "5月", "6月"], {"売上高（百万円）": [1200, -30, 980]})


def test_encoding_and_separator_can_be_given(tmp_path: Path):
    (tmp_path / "d.csv").write_bytes("項目;値\r\nあ;1,5\r\nい;2\r\n".encode("euc-jp"))
    (tmp_path / "deck.yaml").write_text(
        "title: T\ncharts:\n  c: {kind: bar, data: d.csv, encoding: euc-jp, sep: semicolon, "
        "x: 項目, y: 値}\nslides:\n  - {title: S, chart: c}\n",
        encoding="utf-8",
    )
    [message] = [d.format() for d in check_deck(tmp_path / "deck.yaml").diagnostics]
    # Read with the given encoding and separator, the European decimal comma is refused.
    assert "d.csv line 2, column '値': '1,5' is ambiguous" in message
    (tmp_path / "d.csv").write_bytes("項目;値\r\nあ;1.5\r\nい;2\r\n".encode("euc-jp"))
    chart = check_deck(tmp_path / "deck.yaml").deck.slides[1].chart
    assert chart.data.categories == ("あ", "い")
    assert chart.data.series[0].values == (1.5, 2)


def test_check_reads_csv_without_importing_openpyxl(tmp_path: Path):
    (tmp_path / "d.csv").write_text("a,b\nx,1\n", encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(
        "title: T\ncharts:\n  c: {kind: bar, data: d.csv, x: a, y: b}\n"
        "slides:\n  - {title: S, chart: c}\n",
        encoding="utf-8",
    )
    code = (
        "import sys; from yamldeck.build import check_deck; "
        f"r = check_deck(__import__('pathlib').Path({str(tmp_path / 'deck.yaml')!r})); "
        "assert r.ok; print('openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_workbook_is_an_input_of_the_build(office: Path):
    outline, _ = load_outline(office / "deck.yaml")
    assert (office / "data" / "売上.xlsx").resolve() in input_files(outline)


# ---------------------------------------------------------------------------- bad files


def deck_with(folder: Path, chart: str) -> Path:
    (folder / "deck.yaml").write_text(
        f"title: T\ncharts:\n  c: {{{chart}}}\nslides:\n  - {{title: S, chart: c}}\n",
        encoding="utf-8",
    )
    return folder / "deck.yaml"


def problems(path: Path) -> list[str]:
    return [d.format() for d in check_deck(path).diagnostics if d.is_error]


def test_bad_cells_are_reported_at_their_cell(tmp_path: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "月次"
    ws.append(["月", "売上"])
    for row in (["4月", 10], ["5月", "#DIV/0!"], ["6月", "1,5"], ["7月", True], ["8月", 1e300]):
        ws.append(row)
    wb.save(tmp_path / "b.xlsx")
    found = problems(deck_with(tmp_path, "kind: bar, data: b.xlsx, x: 月, y: 売上"))
    assert [f.split(": error: charts.c.data: ", 1)[1].split("\n")[0] for f in found] == [
        "b.xlsx!月次!B3, column '売上': '#DIV/0!' is an Excel error",
        (
            "b.xlsx!月次!B4, column '売上': '1,5' is ambiguous: a comma separates thousands only "
            "before groups of exactly three digits (1,234)"
        ),
        "b.xlsx!月次!B5, column '売上': TRUE is not a number",
        "b.xlsx!月次!B6, column '売上': 1e+300 is larger than 1e+15 in size",
    ]
    assert "hint: fix the formula in the workbook" in found[0]


def test_formulas_never_calculated_are_refused_at_their_cell(tmp_path: Path):
    make_workbook(tmp_path / "売上.xlsx", calculated=False)
    found = problems(deck_with(tmp_path, "kind: bar, data: 売上.xlsx, sheet: 月次, x: 月, y: 合計"))
    assert len(found) == 3
    assert (
        "charts.c.data: 売上.xlsx!月次!E4, column '合計': formula =C4*2 has no calculated "
        "value\n  hint: open the workbook in Excel and save it" in found[0]
    )


def test_sheet_choice_errors_list_the_sheets(tmp_path: Path):
    make_workbook(tmp_path / "売上.xlsx")
    [missing] = problems(
        deck_with(tmp_path, "kind: bar, data: 売上.xlsx, sheet: 月時, x: 月, y: 売上高")
    )
    assert (
        "deck.yaml:3:40: error: charts.c.sheet: 売上.xlsx has no sheet '月時'; sheets: 月次, "
        "地域\n  hint: did you mean '月次'?" in missing
    )
    [unsaid] = problems(deck_with(tmp_path, "kind: bar, data: 売上.xlsx, x: 月, y: 売上高"))
    assert "charts.c.data: 売上.xlsx has 2 sheets: 月次, 地域; say which one" in unsaid
    [table] = problems(
        deck_with(tmp_path, "kind: bar, data: 売上.xlsx, table: 地域, x: 月, y: 売上")
    )
    assert "no table or defined name '地域'; it has: 地域別, 売上範囲" in table


def test_zip_bombs_are_refused_before_inflating(tmp_path: Path):
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    assert (tmp_path / "bomb.xlsx").stat().st_size < 100_000
    [found] = problems(deck_with(tmp_path, "kind: bar, data: bomb.xlsx, x: a, y: b"))
    assert "bomb.xlsx: part xl/worksheets/sheet1.xml inflates to 50,000,000 bytes" in found
    assert "refused as a possible zip bomb" in found


def test_duplicate_and_ambiguous_columns_are_refused(tmp_path: Path):
    (tmp_path / "d.csv").write_text(
        "月,売上,売上,売上高（千円）,売上高（百万円）\n4月,1,2,3,4\n", encoding="utf-8"
    )
    [dup] = problems(deck_with(tmp_path, "kind: bar, data: d.csv, x: 月, y: 売上"))
    assert "charts.c.y: d.csv has 2 columns named '売上' (column 2, column 3)" in dup
    [both] = problems(deck_with(tmp_path, "kind: bar, data: d.csv, x: 月, y: 売上高"))
    assert "column '売上高' could be any of 売上高（千円）, 売上高（百万円） in d.csv" in both
    chart = (
        check_deck(deck_with(tmp_path, "kind: bar, data: d.csv, x: 月, y: '売上高(千円)'"))
        .deck.slides[1]
        .chart
    )
    assert chart.data.series[0].values == (3,)


@pytest.mark.parametrize(
    "cell, message",
    [
        ("1,5", "'1,5' is ambiguous"),
        ("1,23", "'1,23' is ambiguous"),
        ("1.234,5", "'1.234,5' is written with a decimal comma"),
        ("1e400", "'1e400' is larger than 1e+15"),
        ("inf", "'inf' is not a number"),
        ("nan", "'nan' is not a number"),
        ("12億円", "'12億円' has a unit of scale (億円) in the cell"),
        ("####", "'####' is what Excel shows when a column is too narrow"),
    ],
)
def test_silently_wrong_numbers_are_refused(tmp_path: Path, cell: str, message: str):
    (tmp_path / "d.csv").write_text(f'm,v\na,1\nb,"{cell}"\n', encoding="utf-8")
    [found] = problems(deck_with(tmp_path, "kind: bar, data: d.csv, x: m, y: v"))
    assert f"charts.c.data: d.csv line 3, column 'v': {message}" in found


def test_rebase_and_stacks_stay_finite(tmp_path: Path):
    def first(chart: str) -> str:
        [found] = problems(deck_with(tmp_path, chart))
        return found

    assert "cannot rebase 's': its first value is 0" in first(
        "kind: line, data: {m: [a, b], s: [0, 5]}, x: m, y: s, rebase: 100"
    )
    assert "cannot rebase 's': its first value is negative (-2)" in first(
        "kind: line, data: {m: [a, b], s: [▲2, 5]}, x: m, y: s, rebase: 100"
    )
    assert "rebasing 's' from its first value 1e-12 to 100 gives 5e+17, more than 1e+15" in first(
        "kind: line, data: {m: [a, b], s: [1e-12, 5e3]}, x: m, y: s, rebase: 100"
    )
    assert "rebase is 1e+07; it must lie above 0 and at most 1,000,000" in first(
        "kind: line, data: {m: [a, b], s: [1, 5]}, x: m, y: s, rebase: 10000000"
    )
    assert "the stack of 'a' adds up to 1.8e+15, more than 1e+15" in first(
        "kind: stacked_bar, data: {m: [a], p: [9e14], q: [9e14]}, x: m, y: [p, q]"
    )


def test_excel_dates_sheet_qualified_ranges_and_shift_jis(tmp_path: Path):
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    ws.title = "推移"
    ws.append(["月", "日付", "件数"])
    for month, count in ((4, 10), (5, 12)):
        ws.append([datetime(2025, month, 1), datetime(2025, month, 15), count])
        ws.cell(ws.max_row, 1).number_format = 'yyyy"年"m"月"'
        ws.cell(ws.max_row, 2).number_format = "yyyy/m/d"
    wb.create_sheet("空")
    wb.save(tmp_path / "t.xlsx")
    chart = (
        check_deck(
            deck_with(tmp_path, "kind: bar, data: t.xlsx, range: '推移!A1:C3', x: 月, y: 件数")
        )
        .deck.slides[1]
        .chart
    )
    assert chart.data.categories == ("2025年4月", "2025年5月")
    chart = (
        check_deck(deck_with(tmp_path, "kind: bar, data: t.xlsx, sheet: 推移, x: 日付, y: 件数"))
        .deck.slides[1]
        .chart
    )
    assert chart.data.categories == ("2025/4/15", "2025/5/15")
    dated, _ = problems(
        deck_with(tmp_path, "kind: bar, data: t.xlsx, sheet: 推移, x: 件数, y: 日付")
    )
    assert "t.xlsx!推移!B2, column '日付': '2025/4/15' is a date or time, not a number" in dated
    # Excel's separator line, Shift_JIS by its everyday name, and the usual gap marks.
    (tmp_path / "d.csv").write_bytes(
        "sep=;\r\n社名;値\r\n①社;1\r\n②社;―\r\n③社;N/A\r\n".encode("cp932")
    )
    chart = (
        check_deck(
            deck_with(tmp_path, "kind: bar, data: d.csv, encoding: Shift_JIS, x: 社名, y: 値")
        )
        .deck.slides[1]
        .chart
    )
    assert chart.data.categories == ("①社", "②社", "③社")
    assert chart.data.series[0].values == (1, None, None)


def test_options_must_fit_the_data(tmp_path: Path):
    (tmp_path / "d.csv").write_text("a,b\nx,1\n", encoding="utf-8")
    [sheet] = problems(deck_with(tmp_path, "kind: bar, data: d.csv, sheet: S, x: a, y: b"))
    assert (
        "charts.c.sheet: 'sheet' is for Excel workbooks (.xlsx); this chart's data is a "
        "CSV file" in sheet
    )
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    [old] = problems(deck_with(tmp_path, "kind: bar, data: old.xls, x: a, y: b"))
    assert "old.xls is a spreadsheet format yamldeck does not read" in old
    [enc] = problems(deck_with(tmp_path, "kind: bar, data: d.csv, encoding: utf-9, x: a, y: b"))
    assert "charts.c.encoding: unknown encoding 'utf-9'" in enc


def test_many_bad_cells_are_listed_up_to_a_limit(tmp_path: Path):
    from yamldeck.data import MAX_CELL_ERRORS

    rows = "".join(f"r{i},x{i}\n" for i in range(MAX_CELL_ERRORS + 5))
    (tmp_path / "d.csv").write_text("a,b\n" + rows, encoding="utf-8")
    found = problems(deck_with(tmp_path, "kind: bar, data: d.csv, x: a, y: b"))
    assert len(found) == MAX_CELL_ERRORS + 1
    assert "… and 5 more cells of d.csv cannot be read" in found[-1]


def test_a_damaged_sheet_is_an_error_not_a_crash(tmp_path: Path):
    wb = Workbook()
    wb.active.append(["a", "b"])
    wb.save(tmp_path / "w.xlsx")
    with zipfile.ZipFile(tmp_path / "w.xlsx") as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row r='1'><c r='A1'"
    with zipfile.ZipFile(tmp_path / "w.xlsx", "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    [found] = problems(deck_with(tmp_path, "kind: bar, data: w.xlsx, x: a, y: b"))
    assert "charts.c.data: w.xlsx is not a readable Excel workbook (ParseError" in found


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_numbers_written_the_japanese_way_read_back(n: int):
    from yamldeck.numbers import read_number

    grouped = f"{abs(n):,}"
    for text in (
        f"{n:,}",
        f"{n}",
        ("▲" if n < 0 else "") + grouped,
        (f"({grouped})" if n < 0 else grouped),
        f"{n:,}".translate(FULL_WIDTH),
        f"¥{n:,}",
        f"{n:,}円",
    ):
        assert read_number(text) == n, text


@given(st.text(max_size=12))
def test_any_cell_reads_as_a_finite_number_a_gap_or_a_reason(text: str):
    from yamldeck.numbers import MAX_ABS_VALUE, Unreadable, read_number

    value = read_number(text)
    assert (
        value is None
        or isinstance(value, Unreadable)
        or (math.isfinite(value) and abs(value) <= MAX_ABS_VALUE)
    )
