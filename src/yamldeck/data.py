"""Chart data: read CSV or inline columns, check them against the chart, and transform them.

Reading happens in the load stage (so ``check`` finds bad numbers); the transforms
(rebase, sort) are pure functions used by the planner.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .errors import Diagnostic, did_you_mean, error
from .outline import Cell, ChartSpec, Outline, check_file, resolve_path
from .schema import clean_text, parse_number

MAX_CSV_BYTES = 20_000_000
MAX_CSV_ROWS = 5_000
from .yamlsource import decode_text


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class ChartData:
    """Categories along x, and one series of numbers per y column (None = missing)."""

    categories: tuple[str, ...]
    series: tuple[Series, ...]


_CsvRows = tuple[list[str], list[list[str]], list[int], list[Diagnostic]]


def _read_csv(outline: Outline, chart: ChartSpec) -> _CsvRows:
    """Header, rows, each row's line number in the file, and problems."""
    assert isinstance(chart.data, str)
    pos, path = chart.where["data"], f"charts.{chart.id}.data"
    target = resolve_path(outline, chart.data)
    try:
        if target.stat().st_size > MAX_CSV_BYTES:
            return [], [], [], [error(pos, path, f"{chart.data} is larger than "
                                      f"{MAX_CSV_BYTES // 1_000_000} MB",
                                      "a slide shows a summary; aggregate the data first")]
        raw = target.read_bytes()
    except OSError as exc:
        return [], [], [], [error(pos, path, f"cannot read {chart.data}: {exc.strerror or exc}")]
    text, problem = decode_text(raw, chart.data)
    if problem:
        return [], [], [], [error(pos, path, f"{chart.data}: {problem.message}", problem.hint)]
    reader = csv.reader(io.StringIO(text or ""))
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                cells = [c.strip() for c in row]
                for cell in cells:
                    _, bad = clean_text(cell)
                    if bad:
                        return [], [], [], [error(pos, path,
                                                  f"{chart.data} line {reader.line_num}: {bad}")]
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        return [], [], [], [error(pos, path, f"{chart.data} line {reader.line_num}: "
                                  f"not a readable CSV ({exc})")]
    if len(rows) > MAX_CSV_ROWS + 1:
        return [], [], [], [error(pos, path, f"{chart.data} has {len(rows) - 1:,} rows; "
                                  f"a chart takes at most {MAX_CSV_ROWS:,}",
                                  "aggregate the data (monthly instead of daily, say)")]
    if not rows:
        return [], [], [], [error(pos, path, f"{chart.data} is empty",
                                  "the first row names the columns")]
    return rows[0][1], [r for _, r in rows[1:]], [n for n, _ in rows[1:]], []


def load_chart_data(outline: Outline) -> tuple[dict[str, ChartData], list[Diagnostic]]:
    """Load every chart's data and check its x/y columns and numbers."""
    tables: dict[str, ChartData] = {}
    problems: list[Diagnostic] = []
    for cid, chart in outline.charts.items():
        if isinstance(chart.data, str) and check_file(outline, chart.data, chart.pos, ""):
            continue  # missing, outside the folder or a URL: reported by the outline's checks
        data, found = _load_one(outline, chart)
        problems.extend(found)
        if data is not None:
            tables[cid] = data
    return tables, problems


def _load_one(outline: Outline, chart: ChartSpec) -> tuple[ChartData | None, list[Diagnostic]]:
    path = f"charts.{chart.id}"
    if isinstance(chart.data, str):
        header, rows, line_of, problems = _read_csv(outline, chart)
        if problems:
            return None, problems
        where = chart.data
        columns = {name: [r[i] if i < len(r) else "" for r in rows] for i, name in enumerate(header)}
    else:
        columns = {name: [c.text for c in cells] for name, cells in chart.data.items()}
        cells_of: dict[str, tuple[Cell, ...]] = chart.data
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            return None, [error(chart.where["data"], f"{path}.data",
                                "inline columns differ in length: " + ", ".join(
                                    f"{k} has {len(v)}" for k, v in columns.items()),
                                "give every column the same number of values")]
        where = "inline data"
        line_of: list[int] = []
    problems: list[Diagnostic] = []
    for key, names in (("x", (chart.x,)), ("y", chart.y)):
        for name in names:
            if name not in columns:
                hint = did_you_mean(name, tuple(columns)) or ""
                problems.append(error(
                    chart.where[key], f"{path}.{key}",
                    f"column '{name}' is not in {where}; columns: {', '.join(columns)}", hint))
    if problems:
        return None, problems
    series = []
    for name in chart.y:
        values: list[float | None] = []
        for i, text in enumerate(columns[name]):
            if text.strip() in ("", "-", "NA", "N/A"):
                values.append(None)
                continue
            number = parse_number(text.replace("%", "") if text.strip().endswith("%") else text)
            if number is None:
                if isinstance(chart.data, str):
                    problems.append(error(
                        chart.where["data"], f"{path}.data",
                        f"{chart.data} line {line_of[i]}, column '{name}': "
                        f"'{text}' is not a number",
                        "write plain numbers (1234.5); leave the cell empty when missing"))
                else:
                    problems.append(error(cells_of[name][i].pos, f"{path}.data.{name}[{i}]",
                                          f"'{text}' is not a number"))
                values.append(None)
            else:
                values.append(number)
        series.append(Series(name, tuple(values)))
    categories = tuple(columns[chart.x])
    if not categories:
        problems.append(error(chart.where["data"], f"{path}.data", f"{where} has no rows"))
    if chart.highlight is not None and chart.highlight not in categories + chart.y:
        choices = categories + chart.y
        problems.append(error(chart.where["highlight"], f"{path}.highlight",
                              f"'{chart.highlight}' is neither a category of column "
                              f"'{chart.x}' nor a series",
                              did_you_mean(chart.highlight, choices)
                              or "choose from: " + ", ".join(choices[:10])))
    if chart.rebase is not None:
        for s in series:
            first = next((v for v in s.values if v is not None), None)
            if not first:
                problems.append(error(chart.where["rebase"], f"{path}.rebase",
                                      f"cannot rebase '{s.name}': its first value is "
                                      f"{'missing' if first is None else 0}"))
    if problems:
        return None, problems
    return ChartData(categories, tuple(series)), []


def rebase(data: ChartData, base: float) -> ChartData:
    """Index each series to ``base`` at its first present value."""
    out = []
    for s in data.series:
        first = next(v for v in s.values if v is not None)
        out.append(Series(s.name, tuple(None if v is None else v / first * base for v in s.values)))
    return ChartData(data.categories, tuple(out))


def sort_by_value(data: ChartData, order: str) -> ChartData:
    """Order categories by the sum of their values; missing counts as 0."""
    totals = [sum(s.values[i] or 0 for s in data.series) for i in range(len(data.categories))]
    idx = sorted(range(len(totals)), key=lambda i: totals[i], reverse=(order == "desc"))
    return ChartData(
        tuple(data.categories[i] for i in idx),
        tuple(Series(s.name, tuple(s.values[i] for i in idx)) for s in data.series),
    )


def transform(chart: ChartSpec, data: ChartData) -> ChartData:
    """Apply the chart's transforms in a fixed order: rebase, then sort."""
    if chart.rebase is not None:
        data = rebase(data, chart.rebase)
    if chart.sort is not None:
        data = sort_by_value(data, chart.sort)
    return data


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
