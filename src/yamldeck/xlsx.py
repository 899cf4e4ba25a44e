"""Read a block of cells from an Excel workbook (.xlsx, .xlsm) for a chart.

The package is checked with the standard library first (size, parts, compression ratio), so a
zip bomb is refused before anything is inflated; tables and defined names are read from the
workbook's XML parts; cell values come from openpyxl in read-only mode with ``data_only``
(the values Excel last calculated), imported only when a workbook is used.

What is read:
- ``range: B3:F15`` (or ``月次!B3:F15``): those cells; the first row names the columns.
- ``table: 売上表``: an Excel table (its header row names the columns; a totals row is left
  out), else a defined name that refers to one block of cells.
- neither: from the first row with at least two filled cells (the header; a title or unit
  line above it is skipped) down to the first empty row, across the header's columns, like
  Excel's current region (Ctrl+A), so notes under a table are not read as data.
Hidden rows and columns are read like any other: hiding is not deleting.
"""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

#: Largest .xlsx file read, on disk.
MAX_XLSX_BYTES = 50_000_000
#: Largest total of the parts' uncompressed sizes.
MAX_XLSX_UNCOMPRESSED = 500_000_000
#: Largest single part, uncompressed (a sheet's XML, the shared strings).
MAX_XLSX_PART_BYTES = 200_000_000
#: Largest compression ratio of a part above 1 MB; real sheets stay far below, zip bombs
#: far above. (zipfile itself refuses data longer than a part's declared size.)
MAX_XLSX_RATIO = 200
MAX_XLSX_PARTS = 10_000
#: Rows scanned for the header and data when neither `range:` nor `table:` is given.
MAX_SCAN_ROWS = 50_000
#: Widest block read, in columns.
MAX_COLUMNS = 500

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")


class WorkbookProblem(Exception):
    """A problem with one of the chart's keys: ``key`` is data, sheet, range or table."""

    def __init__(self, key: str, message: str, hint: str = ""):
        super().__init__(message)
        self.key, self.message, self.hint = key, message, hint


@dataclass(frozen=True)
class Uncalculated:
    """A formula cell the workbook holds no calculated value for."""

    formula: str


@dataclass(frozen=True)
class XCell:
    value: Any  # str, int, float, bool, datetime, None, Uncalculated
    number_format: str
    coordinate: str  # C7

    @property
    def is_percent(self) -> bool:
        return is_percent_format(self.number_format)


@dataclass(frozen=True)
class Block:
    """A header row and the data rows under it."""

    sheet: str
    header: tuple[XCell, ...]
    rows: tuple[tuple[XCell, ...], ...]


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def parse_range(text: str) -> tuple[int, int, int, int] | None:
    """'B3:F15' → (min_col, min_row, max_col, max_row), 1-based; None if not a range."""
    m = _REF.match(text.strip())
    if not m:
        return None
    c1, r1 = column_index(m.group(1)), int(m.group(2))
    c2, r2 = (column_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    if not (1 <= c1 <= 16384 and 1 <= c2 <= 16384 and 1 <= r1 <= 1048576 and 1 <= r2 <= 1048576):
        return None
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


def is_percent_format(fmt: str) -> bool:
    """A number format that multiplies by 100 and shows %: not a quoted or escaped %."""
    plain = re.sub(r'"[^"]*"|\\.', "", fmt or "")
    return "%" in plain


def check_package(path: Path, display: str) -> None:
    """Refuse what is not an .xlsx package, or one too large to inflate safely."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise WorkbookProblem("data", f"cannot read {display}: {exc.strerror or exc}") from None
    if size > MAX_XLSX_BYTES:
        raise WorkbookProblem(
            "data",
            f"{display} is larger than {MAX_XLSX_BYTES // 1_000_000} MB",
            "copy the chart's table into a small workbook or a CSV",
        )
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookProblem(
            "data",
            f"{display} is an old-format .xls workbook or a password-protected one",
            "save it as Excel ブック (.xlsx) without a password (名前を付けて保存)",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookProblem(
            "data",
            f"{display} is not an Excel workbook ({exc})",
            "save it from Excel as Excel ブック (.xlsx)",
        ) from None
    if len(infos) > MAX_XLSX_PARTS:
        raise WorkbookProblem(
            "data", f"{display} holds {len(infos):,} parts, more than {MAX_XLSX_PARTS:,}"
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_XLSX_PART_BYTES or (
            info.file_size > 1_000_000 and ratio > MAX_XLSX_RATIO
        ):
            raise WorkbookProblem(
                "data",
                f"{display}: part {info.filename} inflates to {info.file_size:,} bytes "
                f"(ratio {ratio:,.0f}:1); refused as a possible zip bomb",
                "copy the chart's table into a small workbook or a CSV",
            )
    if total > MAX_XLSX_UNCOMPRESSED:
        raise WorkbookProblem(
            "data",
            f"{display} inflates to {total:,} bytes, more than {MAX_XLSX_UNCOMPRESSED:,}",
            "copy the chart's table into a small workbook or a CSV",
        )


def _xml(zf: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        return ET.fromstring(zf.read(name))
    except KeyError:
        return None


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    root = _xml(zf, posixpath.join(folder, "_rels", name + ".rels"))
    out: dict[str, str] = {}
    for rel in root.findall("rel:Relationship", NS) if root is not None else ():
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
    return out


@dataclass(frozen=True)
class NamedBlock:
    name: str
    sheet: str
    ref: str
    kind: str  # "table" or "defined name"
    header_rows: int = 1
    totals_rows: int = 0


def named_blocks(path: Path) -> list[NamedBlock]:
    """Every table (per sheet) and every single-block defined name of the workbook."""
    out: list[NamedBlock] = []
    with zipfile.ZipFile(path) as zf:
        book = _xml(zf, "xl/workbook.xml")
        if book is None:
            raise ValueError("it has no xl/workbook.xml")
        rels = _rels(zf, "xl/workbook.xml")
        sheets = []
        for sheet in book.findall("m:sheets/m:sheet", NS):
            rid = sheet.get(f"{{{NS['r']}}}id", "")
            sheets.append(sheet.get("name", ""))
            part = rels.get(rid)
            if not part:
                continue
            for tid in _rels(zf, part).values():
                if not tid.startswith("xl/tables/"):
                    continue
                table = _xml(zf, tid)
                if table is None:
                    continue
                out.append(
                    NamedBlock(
                        table.get("displayName") or table.get("name", ""),  # type: ignore[arg-type]
                        sheet.get("name", ""),
                        table.get("ref", ""),
                        "table",
                        int(table.get("headerRowCount", "1")),
                        int(table.get("totalsRowCount", "0")),
                    )
                )
        for dn in book.findall("m:definedNames/m:definedName", NS):
            name, text = dn.get("name", ""), (dn.text or "").strip()
            m = re.fullmatch(
                r"(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)", text
            )
            if name.startswith("_xlnm.") or not m:
                continue  # print areas, filters, formulas and multi-area names
            sheet_name = (m.group(1) or "").replace("''", "'") or m.group(2)
            out.append(NamedBlock(name, sheet_name, m.group(3).replace("$", ""), "defined name"))
    return out


def read_block(
    path: Path, display: str, sheet: str | None, cells: str | None, table: str | None
) -> Block:
    """The header and data rows a chart asks for; raises WorkbookProblem."""
    check_package(path, display)
    bounds: tuple[int, int, int, int] | None = None
    totals = 0
    if cells is not None and "!" in cells:
        named_sheet, cells = cells.rsplit("!", 1)
        named_sheet = named_sheet.strip("'").replace("''", "'")
        if sheet is not None and sheet != named_sheet:
            raise WorkbookProblem(
                "range",
                f"range names sheet '{named_sheet}' but `sheet:` is '{sheet}'",
                "give the sheet once",
            )
        sheet = named_sheet
    if cells is not None:
        bounds = parse_range(cells)
        if bounds is None:
            raise WorkbookProblem(
                "range", f"'{cells}' is not a cell range", "write it as Excel does, e.g. B3:F15"
            )
    if table is not None:
        try:
            blocks = named_blocks(path)
        except (zipfile.BadZipFile, ET.ParseError, ValueError, KeyError) as exc:
            raise WorkbookProblem("data", f"{display} is a damaged workbook ({exc})") from None
        found = next((b for b in blocks if b.name == table), None) or next(
            (b for b in blocks if b.name.casefold() == table.casefold()), None
        )
        if found is None:
            names = [b.name for b in blocks]
            raise WorkbookProblem(
                "table",
                f"{display} has no table or defined name '{table}'"
                + (f"; it has: {', '.join(names)}" if names else "; it has none"),
                _near(table, names) or "Excel: テーブル デザイン → テーブル名",
            )
        if sheet is not None and sheet != found.sheet:
            raise WorkbookProblem(
                "sheet",
                f"{found.kind} '{table}' is on sheet '{found.sheet}', not '{sheet}'",
                f"write sheet: {found.sheet}, or leave `sheet:` out",
            )
        if found.header_rows < 1:
            raise WorkbookProblem(
                "table",
                f"table '{table}' has no header row",
                "turn on its header row (テーブル デザイン → 見出し行)",
            )
        bounds = parse_range(found.ref)
        if bounds is None:
            raise WorkbookProblem(
                "table", f"{found.kind} '{table}' refers to '{found.ref}', not one block of cells"
            )
        sheet, totals = found.sheet, found.totals_rows
    if bounds is not None:
        c1, r1, c2, r2 = bounds
        if c2 - c1 + 1 > MAX_COLUMNS:
            raise WorkbookProblem(
                "range" if cells else "table",
                f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2} is "
                f"{c2 - c1 + 1:,} columns wide, more than {MAX_COLUMNS}",
            )
    return _read_cells(path, display, sheet, bounds, totals)


def _near(word: str, names: list[str]) -> str:
    """did-you-mean, lenient enough for two-character Japanese names (月時 → 月次) and blind
    to full/half width and spaces (Sheet１ → Sheet1)."""
    import difflib
    import unicodedata

    def key(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split()).casefold()

    keys = {key(n): n for n in names}
    close = difflib.get_close_matches(key(word), list(keys), n=1, cutoff=0.5)
    return f"did you mean '{keys[close[0]]}'?" if close else ""


def _open(path: Path, data_only: bool):
    import openpyxl

    with warnings.catch_warnings():
        # openpyxl warns about Excel features it does not read (data validation,
        # conditional formats, slicers); none of them change cell values.
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)


def _rows(ws, bounds: tuple[int, int, int, int] | None):
    """(row number, [(value, number_format) …]) for the bounds or the top of the sheet."""
    if bounds is None:
        # The sheet's own dimension, when it has one, keeps rows from being padded to
        # MAX_COLUMNS empty cells each.
        c1, r1, c2, r2 = 1, 1, min(ws.max_column or MAX_COLUMNS, MAX_COLUMNS), MAX_SCAN_ROWS
    else:
        c1, r1, c2, r2 = bounds
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n, row in enumerate(
            ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2), start=r1
        ):
            yield (
                n,
                c1,
                [
                    (getattr(c, "value", None), getattr(c, "number_format", None) or "General")
                    for c in row
                ],
            )


def _read_cells(
    path: Path,
    display: str,
    sheet: str | None,
    bounds: tuple[int, int, int, int] | None,
    totals: int,
) -> Block:
    try:
        return _read_cells_of(path, display, sheet, bounds, totals)
    except WorkbookProblem:
        raise
    except Exception as exc:
        raise WorkbookProblem(
            "data",
            f"{display} is not a readable Excel workbook ({type(exc).__name__}: {exc})",
            "open it in Excel and save it as Excel ブック (.xlsx)",
        ) from None


def _read_cells_of(
    path: Path,
    display: str,
    sheet: str | None,
    bounds: tuple[int, int, int, int] | None,
    totals: int,
) -> Block:
    from .data import MAX_DATA_ROWS

    wb = _open(path, data_only=True)
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            if len(names) > 1:
                raise WorkbookProblem(
                    "data",
                    f"{display} has {len(names)} sheets: {', '.join(names)}; say which one",
                    f"add `sheet: {names[0]}`",
                )
            sheet = names[0]
        if sheet not in names:
            raise WorkbookProblem(
                "sheet",
                f"{display} has no sheet '{sheet}'; sheets: {', '.join(names)}",
                _near(sheet, names),
            )
        ws = wb[sheet]
        if not hasattr(ws, "iter_rows"):
            raise WorkbookProblem("sheet", f"'{sheet}' is a chart sheet, not a worksheet")
        grid: list[tuple[int, int, list[tuple[Any, str]]]] = []
        header_at = None
        for n, c1, row in _rows(ws, bounds):
            empty = all(v is None or (isinstance(v, str) and not v.strip()) for v, _ in row)
            if bounds is None:
                if header_at is None:
                    filled = [i for i, (v, _) in enumerate(row) if v is not None and str(v).strip()]
                    if len(filled) < 2:
                        continue  # blank, or a title or unit line above the table
                    header_at = n
                    # The header's columns: from its first to its last non-empty cell.
                    first, last = filled[0], filled[-1]
                elif empty:
                    break  # the end of the current region
                grid.append((n, c1 + first, row[first : last + 1]))
            elif not empty or not grid:
                grid.append((n, c1, row))
            if len(grid) > MAX_DATA_ROWS + 1:
                raise WorkbookProblem(
                    "range" if bounds else "data",
                    f"{display}!{sheet} has more than {MAX_DATA_ROWS:,} rows of data; a "
                    f"chart takes at most {MAX_DATA_ROWS:,}",
                    "aggregate the data, or give `range:` for the part to chart",
                )
        if totals and len(grid) > 1:
            grid = grid[:-totals]
        if not grid or all(v is None for v, _ in grid[0][2]):
            raise WorkbookProblem(
                "range" if bounds else "sheet",
                f"{display}!{sheet} has no data" + (" in that range" if bounds else ""),
                "the first row of the table names the columns",
            )
        holes = [(n, c1 + i) for n, c1, row in grid for i, (v, _) in enumerate(row) if v is None]
    finally:
        wb.close()
    formulas = _formulas(path, sheet, holes) if holes else {}
    out = []
    for n, c1, row in grid:
        out.append(
            tuple(
                XCell(
                    Uncalculated(formulas[(n, c1 + i)]) if (n, c1 + i) in formulas else v,
                    fmt,
                    f"{column_letter(c1 + i)}{n}",
                )
                for i, (v, fmt) in enumerate(row)
            )
        )
    return Block(sheet, out[0], tuple(out[1:]))


def _formulas(path: Path, sheet: str, cells: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The formulas of those empty-looking cells that hold one (they were never calculated)."""
    wanted = set(cells)
    r1, r2 = min(r for r, _ in cells), max(r for r, _ in cells)
    c1, c2 = min(c for _, c in cells), max(c for _, c in cells)
    wb = _open(path, data_only=False)
    try:
        out = {}
        for n, first, row in _rows(wb[sheet], (c1, r1, c2, r2)):
            for i, (value, _) in enumerate(row):
                if (n, first + i) in wanted and value is not None:
                    text = value if isinstance(value, str) else getattr(value, "text", "")
                    out[(n, first + i)] = str(text or value)
        return out
    finally:
        wb.close()
