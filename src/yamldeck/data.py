"""Chart data: read CSV, Excel or inline columns, check them against the chart, transform them.

Reading happens in the load stage (so ``check`` finds bad numbers); the transforms (rebase,
sort, その他) are pure functions the planner applies (chartdata.py, with the classes). Each
cell is read by ``numbers.read_number``; Excel workbooks by ``xlsx`` (openpyxl is imported
only when a chart uses a workbook).

Columns are found by the name in `x:`/`y:`: the exact header first, then ignoring width
(full/half), spaces and case, then ignoring a unit in brackets at the end of the header, so
`y: 売上高` finds `売上高（百万円）`. A name that finds two columns is an error.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from .chartdata import ChartData, Series, rebase, series_named
from .chartdata import loose_key as _key
from .errors import Diagnostic, did_you_mean, error
from .numbers import MAX_ABS_VALUE, Unreadable, check_magnitude, read_number
from .outline import (
    PIE_KINDS,
    ChartSpec,
    Outline,
    check_chart_keys,
    check_file,
    resolve_path,
)
from .schema import clean_text

#: Largest CSV file read.
MAX_CSV_BYTES = 20_000_000
#: Most rows of data one chart takes, from a CSV file or a sheet.
MAX_DATA_ROWS = 5_000
#: Largest `rebase:` value (it must also be above 0).
MAX_REBASE = 1_000_000
#: Unreadable cells reported one by one per chart; the rest are counted.
MAX_CELL_ERRORS = 10
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OTHER_SPREADSHEETS = (".xls", ".xlsb", ".ods", ".numbers")
SEPARATORS = {"comma": ",", "tab": "\t", "semicolon": ";"}
#: Names Windows, Excel and editors give Shift_JIS; all are read as CP932, which also has
#: ①, ㈱ and 髙 (Python's own shift_jis fails on them).
CP932_NAMES = frozenset(
    {
        "shift_jis",
        "shift-jis",
        "shiftjis",
        "sjis",
        "s_jis",
        "s-jis",
        "cp932",
        "ms932",
        "windows-31j",
        "mskanji",
        "ms_kanji",
    }
)
UNCALCULATED_HINT = (
    "open the workbook in Excel and save it: the program that wrote it did "
    "not calculate its formulas"
)


@dataclass
class _Column:
    name: str
    header: str  # where its name is written: "column 2", "C3"
    cells: list[Any]  # text (CSV, inline) or xlsx.XCell
    places: list[str]  # where each cell is, for messages


@dataclass
class _Table:
    where: str  # "d.csv", "売上.xlsx!月次", "inline data"
    columns: list[_Column]


class _Fail(Exception):
    def __init__(self, key: str, message: str, hint: str = ""):
        super().__init__(message)
        self.key, self.message, self.hint = key, message, hint


def load_chart_data(outline: Outline) -> tuple[dict[str, ChartData], list[Diagnostic]]:
    """Load every chart's data and check its x/y columns and numbers."""
    tables: dict[str, ChartData] = {}
    problems: list[Diagnostic] = []
    for cid, chart in outline.charts.items():
        if isinstance(chart.data, str) and check_file(outline, chart.data, chart.pos, ""):
            continue  # missing, outside the folder or a URL: reported by the outline's checks
        if any(d.is_error for d in check_chart_keys(chart)):
            continue  # keys that do not go together: reported by the outline's checks
        try:
            data, found = _load_one(outline, chart)
        except _Fail as fail:
            key = fail.key if fail.key in chart.where else "data"
            data, found = (
                None,
                [error(chart.where[key], f"charts.{cid}.{key}", fail.message, fail.hint)],
            )
        problems.extend(found)
        if data is not None:
            tables[cid] = data
    return tables, problems


def _kind(chart: ChartSpec) -> str:
    if not isinstance(chart.data, str):
        return "inline"
    return "workbook" if chart.data.lower().endswith(WORKBOOK_SUFFIXES) else "csv"


def _check_options(chart: ChartSpec) -> None:
    kind = _kind(chart)
    what = {"inline": "inline columns", "csv": "a CSV file", "workbook": "an Excel workbook"}
    for keys, fits, name in (
        (("sheet", "range", "table"), "workbook", "Excel workbooks (.xlsx)"),
        (("encoding", "sep"), "csv", "CSV files"),
    ):
        for key in keys:
            if getattr(chart, key) is not None and kind != fits:
                raise _Fail(
                    key,
                    f"'{key}' is for {name}; this chart's data is {what[kind]}",
                    f"remove `{key}:`",
                )
    if chart.range is not None and chart.table is not None:
        raise _Fail("table", "give `range:` or `table:`, not both")
    if chart.rebase is not None and chart.rebase > MAX_REBASE:
        raise _Fail(
            "rebase",
            f"rebase is {chart.rebase:g}; it must lie above 0 and at most {MAX_REBASE:,}",
            "index to 100, as is usual",
        )
    if isinstance(chart.data, str) and chart.data.lower().endswith(OTHER_SPREADSHEETS):
        raise _Fail(
            "data",
            f"{chart.data} is a spreadsheet format yamldeck does not read",
            "save it as Excel ブック (.xlsx) or as CSV",
        )


def _load_one(outline: Outline, chart: ChartSpec) -> tuple[ChartData | None, list[Diagnostic]]:
    path = f"charts.{chart.id}"
    _check_options(chart)
    kind = _kind(chart)
    if kind == "csv":
        table = _read_csv(outline, chart)
    elif kind == "workbook":
        table = _read_workbook(outline, chart)
    else:
        table = _inline(chart)
    problems: list[Diagnostic] = []
    found: dict[str, _Column] = {}
    columns = (
        (("bars", chart.bars), ("lines", chart.lines))
        if chart.kind == "combo"
        else (("y", chart.y),)
    )
    for key, names in (("x", (chart.x,)), *columns):
        for name in names:
            try:
                found[name] = _find_column(table, name)
            except _Fail as fail:
                problems.append(error(chart.where[key], f"{path}.{key}", fail.message, fail.hint))
    for key in ("dashed", "secondary"):
        for name in getattr(chart, key):
            if series_named(chart.series_names, name) is not None:
                continue
            try:
                column = _find_column(table, name)
            except _Fail as fail:
                problems.append(error(chart.where[key], f"{path}.{key}", fail.message, fail.hint))
                continue
            if key == "secondary":
                into, what = "lines", f"one of this chart's lines ({', '.join(chart.lines)})"
            else:
                into = "bars` or `lines" if chart.kind == "combo" else "y"
                what = f"a series of this chart ({', '.join(chart.series_names)})"
            problems.append(
                error(
                    chart.where[key],
                    f"{path}.{key}",
                    f"'{name}' is a column of {table.where} but not {what}",
                    f"add '{column.name}' to `{into}:` too",
                )
            )
    if problems:
        return None, problems
    cell_problems: list[Diagnostic] = []

    def unreadable(column: _Column, i: int, why: Unreadable) -> None:
        if isinstance(chart.data, str):
            cell_problems.append(
                error(
                    chart.where["data"],
                    f"{path}.data",
                    f"{column.places[i]}: {why.message}",
                    why.hint,
                )
            )
        else:
            cell = chart.data[column.name][i]
            cell_problems.append(
                error(cell.pos, f"{path}.data.{column.name}[{i}]", why.message, why.hint)
            )

    categories: list[str] = []
    x = found[chart.x]
    for i, cell in enumerate(x.cells):
        label = _label(cell)
        if isinstance(label, Unreadable):
            unreadable(x, i, label)
            label = ""
        categories.append(label)
    series = []
    for name in chart.series_names:
        column = found[name]
        values: list[float | None] = []
        for i, cell in enumerate(column.cells):
            value = _value(cell)
            if isinstance(value, Unreadable):
                unreadable(column, i, value)
                value = None
            values.append(value)
        series.append(Series(name, tuple(values)))
    if len(cell_problems) > MAX_CELL_ERRORS:
        rest = len(cell_problems) - MAX_CELL_ERRORS
        cell_problems = cell_problems[:MAX_CELL_ERRORS] + [
            error(
                chart.where["data"],
                f"{path}.data",
                f"… and {rest:,} more cells of {table.where} cannot be read",
            )
        ]
    problems.extend(cell_problems)
    if not categories:
        problems.append(error(chart.where["data"], f"{path}.data", f"{table.where} has no rows"))
    cats = tuple(categories)
    if chart.highlight is not None and chart.highlight not in cats + chart.series_names:
        choices = cats + chart.series_names
        problems.append(
            error(
                chart.where["highlight"],
                f"{path}.highlight",
                f"'{chart.highlight}' is neither a category of column '{chart.x}' nor a series",
                did_you_mean(chart.highlight, choices) or "choose from: " + ", ".join(choices[:10]),
            )
        )
    if problems:
        return None, problems
    data = ChartData(cats, tuple(series))
    if chart.kind in PIE_KINDS:
        problems.extend(_check_slices(chart, data, found[chart.y[0]]))
        if problems:
            return None, problems
    if chart.rebase is not None:
        problems.extend(_check_rebase(chart, data))
        if problems:
            return None, problems
        shown = rebase(data, chart.rebase)
    else:
        shown = data
    if chart.kind == "stacked_bar":
        for i, category in enumerate(shown.categories):
            values = [s.values[i] for s in shown.series if s.values[i] is not None]
            top = max(sum(v for v in values if v > 0), -sum(v for v in values if v < 0))  # type: ignore[misc,operator]
            if top > MAX_ABS_VALUE:
                problems.append(
                    error(
                        chart.where["data"],
                        f"{path}.data",
                        f"the stack of '{category}' adds up to {top:.3g}, more "
                        f"than {MAX_ABS_VALUE:.0e}",
                        "chart a larger unit (百万円, 億円)",
                    )
                )
    return (None, problems) if problems else (data, [])


def _check_slices(chart: ChartSpec, data: ChartData, column: _Column) -> list[Diagnostic]:
    """Every slice of a pie needs a value above 0: a share of a whole cannot be negative."""
    out = []
    for i, (category, value) in enumerate(zip(data.categories, data.series[0].values)):
        if value is not None and value > 0:
            continue
        what = "has no value" if value is None else f"is {value:g}"
        message = f"'{category}' {what}; every slice of a {chart.kind} chart needs a value above 0"
        hint = (
            "give its value, or leave the row out"
            if value is None
            else "leave the row out: a slice of 0 shows nothing"
            if value == 0
            else "leave the row out, or chart it as a bar (`kind: bar`) to show negatives"
        )
        if isinstance(chart.data, str):
            out.append(
                error(
                    chart.where["data"],
                    f"charts.{chart.id}.data",
                    f"{column.places[i]}: {message}",
                    hint,
                )
            )
        else:
            cell = chart.data[column.name][i]
            out.append(error(cell.pos, f"charts.{chart.id}.data.{column.name}[{i}]", message, hint))
    return out


def _check_rebase(chart: ChartSpec, data: ChartData) -> list[Diagnostic]:
    out = []
    assert chart.rebase is not None
    for s in data.series:
        first = next((v for v in s.values if v is not None), None)
        if not first:
            out.append(
                error(
                    chart.where["rebase"],
                    f"charts.{chart.id}.rebase",
                    f"cannot rebase '{s.name}': its first value is "
                    f"{'missing' if first is None else 0}",
                    "an index needs a first value above 0",
                )
            )
        elif first < 0:
            out.append(
                error(
                    chart.where["rebase"],
                    f"charts.{chart.id}.rebase",
                    f"cannot rebase '{s.name}': its first value is negative ({first:g})",
                    "an index needs a first value above 0",
                )
            )
        else:
            top = max(abs(v) for v in s.values if v is not None) / first * chart.rebase
            if check_magnitude(top):
                out.append(
                    error(
                        chart.where["rebase"],
                        f"charts.{chart.id}.rebase",
                        f"rebasing '{s.name}' from its first value {first:g} to "
                        f"{chart.rebase:g} gives {top:.3g}, more than "
                        f"{MAX_ABS_VALUE:.0e}",
                        "start the index at a row where the value is not tiny",
                    )
                )
    return out


# ---------------------------------------------------------------------------- columns


#: A unit in brackets closing a header, after _key: 売上高(百万円), 金額[千円], 売上【億円】.
_UNIT = re.compile(r"(?:\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)$")


def _find_column(table: _Table, name: str) -> _Column:
    columns = [c for c in table.columns if c.name]
    exact = [c for c in columns if c.name == name]
    if len(exact) > 1:
        raise _Fail(
            "",
            f"{table.where} has {len(exact)} columns named '{name}' "
            f"({', '.join(c.header for c in exact)})",
            "rename one of them in the header so each name says which column it is",
        )
    if exact:
        return exact[0]
    key = _key(name)
    loose = [c for c in columns if _key(c.name) == key] or [
        c for c in columns if _UNIT.sub("", _key(c.name)) == key
    ]
    if len(loose) > 1:
        raise _Fail(
            "",
            f"column '{name}' could be any of {', '.join(c.name for c in loose)} in {table.where}",
            "write the column's full name",
        )
    if loose:
        return loose[0]
    names = [c.name for c in columns]
    hint = did_you_mean(name, names) or ""
    raise _Fail("", f"column '{name}' is not in {table.where}; columns: {', '.join(names)}", hint)


# ---------------------------------------------------------------------------- cells


def _plain(value: float) -> str:
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return format(value, ".15g")


def _percent(value: float) -> float:
    """A percent-formatted cell's value as shown: 0.125 → 12.5 (decimal, so 0.123 → 12.3)."""
    return float(Decimal(repr(value)) * 100)


def _date_label(value: date, fmt: str) -> str:
    """As Japanese Excel shows dates: 2025/4/1, 2025/4 without a day, 2025年4月 with 年."""
    plain = re.sub(r'"[^"]*"|\\.', "", fmt or "").lower()
    with_day = "d" in plain or fmt in ("General", "")
    if "年" in (fmt or ""):
        return f"{value.year}年{value.month}月" + (f"{value.day}日" if with_day else "")
    return f"{value.year}/{value.month}" + (f"/{value.day}" if with_day else "")


def _label(cell: Any) -> str | Unreadable:
    """A category's text: CSV and inline text as written, workbook cells as Excel shows them."""
    if isinstance(cell, str):  # CSV or inline: no workbook module needed
        return cell
    from .xlsx import Uncalculated

    value = cell.value
    if value is None:
        return ""
    if isinstance(value, Uncalculated):
        return Unreadable(f"formula {value.formula} has no calculated value", UNCALCULATED_HINT)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date):
        return _date_label(value, cell.number_format)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return Unreadable(f"{value} is not a finite number")
        return _plain(_percent(value)) + "%" if cell.is_percent else _plain(value)
    text, bad = clean_text(str(value).replace("\r\n", "\n").replace("\r", "\n").strip())
    return Unreadable(bad, "") if bad else text


def _value(cell: Any) -> float | Unreadable | None:
    """A value's number: text is read as written; a workbook's numbers as Excel shows them
    (a percent-formatted 0.125 is 12.5, like the 12.5% a CSV saved from it holds)."""
    if isinstance(cell, str):  # CSV or inline: no workbook module needed
        return read_number(cell)
    from .xlsx import Uncalculated

    value = cell.value
    if value is None:
        return None
    if isinstance(value, Uncalculated):
        return Unreadable(f"formula {value.formula} has no calculated value", UNCALCULATED_HINT)
    if isinstance(value, bool):
        return Unreadable(f"{'TRUE' if value else 'FALSE'} is not a number")
    if isinstance(value, datetime | date | time):
        return Unreadable(
            f"'{_label(cell)}' is a date or time, not a number", "dates go in the x column"
        )
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return Unreadable(f"{value} is not a finite number")
        number = _percent(value) if cell.is_percent else float(value)
        problem = check_magnitude(number)
        if problem:
            return Unreadable(problem, "chart a larger unit (百万円, 億円)")
        return number + 0.0
    text = _label(cell)
    return text if isinstance(text, Unreadable) else read_number(text)


# ---------------------------------------------------------------------------- sources


def _inline(chart: ChartSpec) -> _Table:
    assert not isinstance(chart.data, str)
    lengths = {len(v) for v in chart.data.values()}
    if len(lengths) > 1:
        raise _Fail(
            "data",
            "inline columns differ in length: "
            + ", ".join(f"{k} has {len(v)}" for k, v in chart.data.items()),
            "give every column the same number of values",
        )
    return _Table(
        "inline data",
        [
            _Column(name, name, [c.text for c in cells], [name] * len(cells))
            for name, cells in chart.data.items()
        ],
    )


def _read_workbook(outline: Outline, chart: ChartSpec) -> _Table:
    from . import xlsx

    assert isinstance(chart.data, str)
    try:
        block = xlsx.read_block(
            resolve_path(outline, chart.data), chart.data, chart.sheet, chart.range, chart.table
        )
    except xlsx.WorkbookProblem as problem:
        raise _Fail(problem.key, problem.message, problem.hint) from None
    where = f"{chart.data}!{block.sheet}"
    columns = []
    for i, head in enumerate(block.header):
        name = _label(head)
        if isinstance(name, Unreadable):
            raise _Fail("data", f"{where}!{head.coordinate}: {name.message}", name.hint)
        if name:  # an empty or merged header cell names no column
            cells = [row[i] for row in block.rows]
            columns.append(
                _Column(
                    name,
                    head.coordinate,
                    cells,
                    [f"{where}!{c.coordinate}, column '{name}'" for c in cells],
                )
            )
    return _Table(where, columns)


def _decode(raw: bytes, encoding: str | None, name: str) -> str:
    """CSV text: `encoding:` when given; else a BOM's, else UTF-8, else CP932."""
    if encoding is not None:
        codec = encoding.strip()
        if codec.lower() in CP932_NAMES:
            codec = "cp932"
        try:
            codecs.lookup(codec)
        except LookupError:
            raise _Fail(
                "encoding",
                f"unknown encoding '{encoding}'",
                "use utf-8, cp932 (Shift_JIS), euc-jp or utf-16, or leave "
                "`encoding:` out to detect it",
            ) from None
    elif raw.startswith(b"\xef\xbb\xbf"):
        codec = "utf-8-sig"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif b"\x00" in raw[:4096]:
        raise _Fail(
            "data",
            f"{name} looks like UTF-16 without a byte-order mark",
            "add `encoding: utf-16-le`, or save it as CSV UTF-8 (コンマ区切り)",
        )
    else:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            first = exc
        try:
            return raw.decode("cp932")
        except UnicodeDecodeError:
            line = raw[: first.start].count(b"\n") + 1
            raise _Fail(
                "data",
                f"{name} is neither UTF-8 nor Shift_JIS (CP932): line {line} "
                f"has byte 0x{raw[first.start]:02x}",
                "give its encoding (e.g. `encoding: euc-jp`), or save it from Excel "
                "as CSV UTF-8 (コンマ区切り)",
            ) from None
    try:
        return raw.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _Fail(
            "encoding" if encoding else "data",
            f"{name} line {line} is not valid {encoding or codec} (byte 0x{raw[exc.start]:02x})",
            "check the file's encoding, or leave `encoding:` out to detect it"
            if encoding
            else "re-save it as CSV UTF-8 (コンマ区切り)",
        ) from None


def _sniff(text: str) -> str:
    """The separator giving the header the most columns: comma, tab or semicolon."""
    best, most = ",", 0
    for sep in (",", "\t", ";"):
        try:
            header = next(
                (
                    r
                    for r in csv.reader(io.StringIO(text[:65536]), delimiter=sep)
                    if any(c.strip() for c in r)
                ),
                [],
            )
        except csv.Error:
            continue
        if len(header) > most:
            best, most = sep, len(header)
    return best


def _read_csv(outline: Outline, chart: ChartSpec) -> _Table:
    assert isinstance(chart.data, str)
    name = chart.data
    target = resolve_path(outline, name)
    try:
        if target.stat().st_size > MAX_CSV_BYTES:
            raise _Fail(
                "data",
                f"{name} is larger than {MAX_CSV_BYTES // 1_000_000} MB",
                "a slide shows a summary; aggregate the data first",
            )
        raw = target.read_bytes()
    except OSError as exc:
        raise _Fail("data", f"cannot read {name}: {exc.strerror or exc}") from None
    if raw.startswith(b"PK\x03\x04"):
        raise _Fail(
            "data",
            f"{name} is an Excel workbook (a zip file), not CSV text",
            "give it its .xlsx name, or save it from Excel as CSV",
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Fail(
            "data",
            f"{name} is an old-format Excel file, not CSV text",
            "save it from Excel as CSV UTF-8 (コンマ区切り) or as .xlsx",
        )
    text = _decode(raw, chart.encoding, name)
    # Excel's own separator line ("sep=;") names the separator; blank it, keeping line numbers.
    first, newline, rest = text.partition("\n")
    written = re.fullmatch(r"\s*sep=(.)\s*", first)
    if written:
        text = newline + rest
    sep = SEPARATORS[chart.sep] if chart.sep else written.group(1) if written else _sniff(text)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                cells = []
                for cell in row:
                    clean, bad = clean_text(cell.strip())
                    if bad:
                        raise _Fail("data", f"{name} line {reader.line_num}: {bad}")
                    cells.append(clean)
                rows.append((reader.line_num, cells))
                if len(rows) > MAX_DATA_ROWS + 1:
                    raise _Fail(
                        "data",
                        f"{name} has more than {MAX_DATA_ROWS:,} rows; a chart "
                        f"takes at most {MAX_DATA_ROWS:,}",
                        "aggregate the data (monthly instead of daily, say)",
                    )
    except csv.Error as exc:
        raise _Fail("data", f"{name} line {reader.line_num}: not a readable CSV ({exc})") from None
    # The header is the first line with two filled cells: Excel keeps a title or a unit line
    # (「単位：百万円」) above the table when it saves a sheet as CSV.
    start = next((i for i, (_, r) in enumerate(rows) if sum(1 for c in r if c) >= 2), None)
    if start is None:
        raise _Fail(
            "data",
            f"{name} has no header" if rows else f"{name} is empty",
            "the first line with two or more cells names the columns",
        )
    header, body = rows[start][1], rows[start + 1 :]
    return _Table(
        name,
        [
            _Column(
                col,
                f"column {i + 1}",
                [r[i] if i < len(r) else "" for _, r in body],
                [f"{name} line {n}, column '{col}'" for n, _ in body],
            )
            for i, col in enumerate(header)
        ],
    )


def format_number(value: float, unit: str | None = None, decimals: int | None = None) -> str:
    """Thousands separators, and the unit where it reads naturally (12.5%, 1,230).

    With ``decimals`` None, whole numbers show none and others one (121, 13.5).
    """
    if decimals is None:
        decimals = 0 if abs(value - round(value)) < 1e-9 else 1
    text = f"{value:,.{decimals}f}"
    if unit == "%":
        text += "%"
    return text
