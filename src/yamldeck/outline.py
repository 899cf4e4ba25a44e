"""The outline: what the author wrote, validated, as frozen dataclasses with positions.

``OUTLINE`` is the single definition of the format. ``load_outline`` validates a file
against it and then checks what one key alone cannot (references, table shapes, which
content keys go together). ``OUTLINE.json_schema()`` is what ``yamldeck schema`` prints.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, Pos, did_you_mean, error, warning
from .schema import (
    INVALID,
    MAX_NOTES_CHARS,
    Bool,
    Choice,
    Color,
    Context,
    Custom,
    Field,
    ListOf,
    MapOf,
    Number,
    OneOf,
    Record,
    Text,
    clean_text,
    describe,
    parse_number,
)
from .yamlsource import (
    MappingNode,
    Node,
    NumberSplit,
    ScalarNode,
    SequenceNode,
    fullwidth_colon_key,
    load_yaml,
    number_splits,
    text_between,
)

CHART_KINDS = ("bar", "barh", "line", "stacked_bar", "combo", "pie", "donut")
#: Kinds that show one series as shares of a whole.
PIE_KINDS = ("pie", "donut")
#: Kinds whose series may be drawn dashed (lines) or as outlines (bars).
DASHED_KINDS = ("bar", "barh", "line", "combo")
#: The name of the slice small slices of a pie are merged into.
OTHER_LABEL = "その他"
#: `other:` default: slices below this share of the total (percent) are merged.
DEFAULT_OTHER_PERCENT = 3.0
#: `other:` at most this percent: above it the grouping would hide real slices.
MAX_OTHER_PERCENT = 25.0
#: Slide keys that decide what a slide shows; a slide has at most one of them.
CONTENT_KEYS = (
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
)


def _where() -> Any:
    return field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Bullet:
    text: str
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One inline data value as written, with its position."""

    text: str
    pos: Pos


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    pos: Pos
    #: Values like 1,134 that a flow list split at their commas (reported by cross_check).
    split: tuple[NumberSplit, ...] = ()


@dataclass(frozen=True)
class CellColors:
    """One column's entry under a table's `colors:`: cell text → colour."""

    column: str
    pos: Pos  # of the column's key, for "not in the header"
    colors: tuple[tuple[str, str], ...]  # (cell text, colour name or RRGGBB)


@dataclass(frozen=True)
class TableSpec:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    pos: Pos
    where: dict = _where()
    align: tuple[str, ...] | None = None  # left/right/center per column
    colors: tuple[CellColors, ...] = ()


@dataclass(frozen=True)
class ColumnSpec:
    heading: str | None
    bullets: tuple[Bullet, ...]
    pos: Pos
    where: dict = _where()


@dataclass(frozen=True)
class ChartSpec:
    kind: str
    data: str | dict[str, tuple[Cell, ...]]
    x: str
    y: tuple[str, ...]
    rebase: float | None
    title: str | None
    source: str | None
    note: str | None
    unit: str | None
    highlight: str | None
    sort: str | None
    render: str | None
    pos: Pos
    where: dict = _where()
    id: str = ""
    # How the data file is read (see data.py): Excel workbooks …
    sheet: str | None = None
    range: str | None = None
    table: str | None = None
    # … and CSV files.
    encoding: str | None = None
    sep: str | None = None
    # combo: which columns are bars and which lines; secondary lines use the right axis.
    bars: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()
    unit2: str | None = None
    dashed: tuple[str, ...] = ()  # dashed lines, outline bars
    other: float | None = None  # pie/donut: percent below which slices join その他

    @property
    def series_names(self) -> tuple[str, ...]:
        """The columns charted, one series each: `y`, or a combo's bars then lines."""
        return self.bars + self.lines if self.kind == "combo" else self.y


@dataclass(frozen=True)
class KpiSpec:
    """One big number of a `kpis:` slide; texts as written (`1,134` stays `1,134`)."""

    label: str
    value: str
    unit: str | None
    vs_plan: str | None
    vs_last_year: str | None
    good: str
    note: str | None
    pos: Pos
    where: dict = _where()


@dataclass(frozen=True)
class SlideSpec:
    title: str | None
    bullets: tuple[Bullet, ...]
    notes: str | None
    chart: str | None
    table: TableSpec | None
    columns: tuple[ColumnSpec, ...] | None
    quote: str | None
    by: str | None
    image: str | None
    caption: str | None
    flow: tuple[Bullet, ...] | None
    tags: tuple[str, ...]
    layout: str | None
    pos: Pos
    where: dict = _where()
    timeline: TimelineSpec | None = None
    matrix: MatrixSpec | None = None
    images: tuple[str, ...] | None = None
    captions: tuple[str, ...] | None = None
    kpis: tuple[KpiSpec, ...] | None = None
    callout: str | None = None

    @property
    def content_keys(self) -> list[str]:
        return [k for k in CONTENT_KEYS if getattr(self, k) is not None]


@dataclass(frozen=True)
class SectionSpec:
    title: str
    slides: tuple[SlideSpec, ...]
    notes: str | None
    tags: tuple[str, ...]
    layout: str | None
    pos: Pos
    where: dict = _where()


@dataclass(frozen=True)
class FontsSpec:
    latin: str | None
    east_asian: str | None
    title_size: float | None
    body_size: float | None
    min_title_size: float | None
    min_body_size: float | None
    pos: Pos
    where: dict = _where()


@dataclass(frozen=True)
class ColorsSpec:
    primary: str | None
    accent: str | None
    text: str | None
    background: str | None
    palette: tuple[str, ...] | None
    pos: Pos
    where: dict = _where()


@dataclass(frozen=True)
class LogoSpec:
    image: str
    corner: str
    width: float
    pos: Pos
    where: dict = _where()


@dataclass(frozen=True)
class ThemeSpec:
    fonts: FontsSpec | None
    colors: ColorsSpec | None
    logo: LogoSpec | None
    footer: str | None
    slide_numbers: bool | None
    pos: Pos
    where: dict = _where()


@dataclass(frozen=True)
class AgendaSpec:
    """`agenda: {title: 本日の内容, repeat: true}`."""

    title: str | None
    repeat: bool
    pos: Pos
    where: dict = _where()


#: Slide kinds a `layouts:` map (or a slide's `layout:`) can place on a named layout.
SLIDE_KINDS = (
    "title",
    "agenda",
    "section",
    "bullets",
    "table",
    "columns",
    "chart",
    "image",
    "quote",
    "flow",
    "timeline",
    "matrix",
    "images",
    "kpis",
    "callout",
)


@dataclass(frozen=True)
class LayoutsSpec:
    pos: Pos
    where: dict = _where()
    names: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Outline:
    title: str
    subtitle: str | None
    author: str | None
    date: str | None
    footer: str | None
    agenda: bool | str | AgendaSpec
    notes: str | None
    theme: ThemeSpec | None
    template: str | None
    layouts: LayoutsSpec | None
    charts: dict[str, ChartSpec]
    sections: tuple[SectionSpec, ...] | None
    slides: tuple[SlideSpec, ...] | None
    pos: Pos
    where: dict = _where()
    base_dir: Path = Path(".")
    sources: tuple[Path, ...] = ()  # every YAML file read: outline, overlays, theme files
    dividers: bool = True  # False: no section divider slides

    @property
    def file(self) -> str:
        return self.pos.file


# ---------------------------------------------------------------------------- definitions

TEXT = Text()
NOTES = Text(allow_empty=True, max_chars=MAX_NOTES_CHARS)


def _one_key(node: MappingNode, path: str, ctx: Context, what: str) -> Any:
    if len(node.value) != 1:
        return ctx.fail(
            node,
            path,
            f"expected {what} (a mapping with one key), found {len(node.value)} keys",
            "write `- 親項目:` and indent its sub-bullets under it, or quote a bullet "
            "that holds ': '",
        )
    return node.value[0]


def _check_bullet(node: Node, path: str, ctx: Context) -> Any:
    """Text; `label: text` shown as written (one bullet); or `text:` with sub-bullets."""
    if isinstance(node, ScalarNode):
        text = TEXT.check(node, path, ctx)
        return INVALID if text is INVALID else Bullet(text)
    assert isinstance(node, MappingNode)
    pair = _one_key(node, path, ctx, "a bullet with sub-bullets or a `label: text` bullet")
    if pair is INVALID:
        return INVALID
    key_node, value_node = pair
    text = TEXT.check(key_node, path, ctx)
    sub = f"{path}.{getattr(key_node, 'value', '')}"
    if isinstance(value_node, ScalarNode):
        value = (
            TEXT.check(value_node, sub, ctx)
            if value_node.value or value_node.style
            else ctx.fail(
                value_node,
                sub,
                "expected text or sub-bullets after ':', found nothing",
                "write the text after ':' (`- 売上: 1,134百万円`), or the sub-bullets "
                "on the lines below, indented",
            )
        )
        if text is INVALID or value is INVALID:
            return INVALID
        return Bullet(f"{text}{_label_colon(key_node, value_node)}{value}")
    children = SUB_BULLETS.check(value_node, sub, ctx)
    if text is INVALID or children is INVALID:
        return INVALID
    return Bullet(text, children)


def _label_colon(key: Node, value: Node) -> str:
    """The colon and spaces between a label and its text, as typed (': ' when unknown)."""
    between = text_between(key, value)
    if between is None or not re.fullmatch(r"[ \t]*:[ \t]*", between):
        return ": "
    return between.replace("\t", " ")


def _check_step(node: Node, path: str, ctx: Context) -> Any:
    """A flow step: text, or `label:` with details (a list, or one line of text)."""
    if isinstance(node, ScalarNode):
        text = TEXT.check(node, path, ctx)
        return INVALID if text is INVALID else Bullet(text)
    assert isinstance(node, MappingNode)
    pair = _one_key(node, path, ctx, "a step with details")
    if pair is INVALID:
        return INVALID
    key_node, value_node = pair
    text = TEXT.check(key_node, path, ctx)
    children = STEP_DETAILS.check(value_node, f"{path}.{getattr(key_node, 'value', '')}", ctx)
    if text is INVALID or children is INVALID:
        return INVALID
    return Bullet(text, children)


def _one_line(node: Node, path: str, ctx: Context) -> Any:
    text = TEXT.check(node, path, ctx)
    return INVALID if text is INVALID else (text,)


# How much one outline may ask for (README "Limits"). Fitting text measures every line
# (about 0.6 ms a bullet: 100,000 bullets took 36 s before the slide limit refused them);
# python-pptx writes a table cell in time that grows with the columns (1,000 columns did
# not finish in a minute) and a table row page by page (10,000 rows took 20 s); a chart
# takes 0.05-0.3 s to draw.
MAX_BULLETS = 1_000  # lines of text on one slide, sub-bullets and columns included
MAX_TABLE_COLUMNS = 30
MAX_TABLE_ROWS = 2_000
MAX_CHARTS = 100
MAX_SERIES = 20

SUB_BULLETS = ListOf(TEXT, max_items=MAX_BULLETS, label="a list of sub-bullets")
STEP_DETAILS = OneOf(
    ListOf(TEXT, label="a list of details"),
    Custom("text", (ScalarNode,), _one_line, TEXT.json_schema),
    label="a list of details",
)


def _one_key_schema(value: dict) -> dict:
    return {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": value}


BULLET = Custom(
    "a bullet (text, `label: text`, or `text:` with sub-bullets)",
    (ScalarNode, MappingNode),
    _check_bullet,
    lambda: {
        "anyOf": [
            TEXT.json_schema(),
            _one_key_schema({"anyOf": [SUB_BULLETS.json_schema(), TEXT.json_schema()]}),
        ]
    },
)
STEP = Custom(
    "a step (text, or `text:` with details)",
    (ScalarNode, MappingNode),
    _check_step,
    lambda: {"anyOf": [TEXT.json_schema(), _one_key_schema(STEP_DETAILS.json_schema())]},
)
BULLETS = ListOf(BULLET, max_items=MAX_BULLETS, label="a list of bullets")


def _check_table_styles(table: TableSpec, path: str) -> list[Diagnostic]:
    """`align` as long as the header; `colors` only for columns the header has."""
    out = []
    width = len(table.header)
    if table.align is not None and len(table.align) != width:
        out.append(
            error(
                table.where["align"],
                f"{path}.align",
                f"align has {len(table.align)} values, the header has {width} columns",
                "give one of left, right, center per column",
            )
        )
    header = tuple(h.replace("**", "") for h in table.header)  # as deck.plain
    for entry in table.colors:
        if entry.column not in header:
            out.append(
                error(
                    entry.pos,
                    f"{path}.colors",
                    f"column '{entry.column}' is not in the table's header",
                    did_you_mean(entry.column, header) or "the columns are: " + ", ".join(header),
                )
            )
    return out


def _check_cell(node: Node, path: str, ctx: Context) -> Any:
    assert isinstance(node, ScalarNode)
    text, problem = clean_text(node.value)
    if problem:
        return ctx.fail(node, path, problem)
    return Cell(text, ctx.pos(node))


CELL = Custom("a value", (ScalarNode,), _check_cell, lambda: {"type": ["string", "number"]})
INLINE_DATA = MapOf(
    ListOf(CELL, min_items=1, label="a list of values"),
    label="columns of values (name: [v1, v2, …])",
    min_items=1,
)

TEXT_CELL = Custom(
    "a table cell",
    (ScalarNode,),
    lambda n, p, c: Text(allow_empty=True).check(n, p, c),
    lambda: {"type": ["string", "number", "boolean", "null"]},  # any scalar is text
)

ROW_CELLS = ListOf(TEXT_CELL, min_items=1, label="a row (a list of cells)", splits=False)


def _check_row(node: Node, path: str, ctx: Context) -> Any:
    cells = ROW_CELLS.check(node, path, ctx)
    if cells is INVALID:
        return INVALID
    return Row(cells, ctx.pos(node), number_splits(node, ctx.file))


#: Colour names a table's `colors:` accepts besides "#RRGGBB": the theme's colours and
#: its chart palette by position (palette1 is the first series colour).
TABLE_COLOR_NAMES = ("primary", "accent", "text", "muted") + tuple(
    f"palette{i}" for i in range(1, 7)
)
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _check_table_color(node: Node, path: str, ctx: Context) -> Any:
    assert isinstance(node, ScalarNode)
    value = node.value.strip()
    if _HEX_COLOR.match(value):
        return value[1:].upper()
    if value in TABLE_COLOR_NAMES:
        return value
    hint = did_you_mean(value, TABLE_COLOR_NAMES)
    names = ", ".join(TABLE_COLOR_NAMES)
    return ctx.fail(
        node,
        path,
        f"unknown colour '{value}'; expected one of {names} or \"#RRGGBB\"",
        hint or 'other colours as hex, in quotes: "#2E7D32"',
    )


TABLE_COLOR = Custom(
    'a colour (a theme colour name or "#RRGGBB")',
    (ScalarNode,),
    _check_table_color,
    lambda: {
        "anyOf": [
            {"enum": list(TABLE_COLOR_NAMES)},
            {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"},
        ]
    },
)


def _check_table_colors(node: Node, path: str, ctx: Context) -> Any:
    assert isinstance(node, MappingNode)
    out = []
    ok = True
    for key_node, value_node in node.value:
        column = key_node.value if isinstance(key_node, ScalarNode) else ""
        sub = f"{path}.{column}"
        if not isinstance(value_node, MappingNode):
            ctx.fail(value_node, sub, "expected cell text → colour, like {遅延: accent}")
            ok = False
            continue
        pairs = []
        for cell_node, color_node in value_node.value:
            cell = cell_node.value if isinstance(cell_node, ScalarNode) else ""
            color = TABLE_COLOR.check(color_node, f"{sub}.{cell}", ctx)
            if color is INVALID:
                ok = False
                continue
            pairs.append((str(cell), color))
        out.append(CellColors(str(column), ctx.pos(key_node), tuple(pairs)))
    return tuple(out) if ok else INVALID


TABLE_COLORS = Custom(
    "colours by column (column: {cell text: colour})",
    (MappingNode,),
    _check_table_colors,
    lambda: {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": TABLE_COLOR.json_schema(),
        },
    },
)

TABLE = Record(
    TableSpec,
    {
        "header": Field(
            ListOf(
                TEXT_CELL,
                min_items=1,
                max_items=MAX_TABLE_COLUMNS,
                label="a list of column headings",
            ),
            "column headings",
            required=True,
        ),
        "rows": Field(
            ListOf(
                Custom(
                    "a row (a list of cells)", (SequenceNode,), _check_row, ROW_CELLS.json_schema
                ),
                min_items=1,
                max_items=MAX_TABLE_ROWS,
                label="a list of rows",
            ),
            "rows; each a list as long as the header",
            required=True,
        ),
        "align": Field(
            ListOf(
                Choice("left", "right", "center", what="alignment"),
                min_items=1,
                max_items=MAX_TABLE_COLUMNS,
                label="a list of alignments",
            ),
            "left, right or center per column (default: numbers right, text left)",
        ),
        "colors": Field(
            TABLE_COLORS,
            "by column heading, cell text → colour (primary, accent, text, muted, "
            'palette1–palette6 or "#RRGGBB"); matching cells are set bold in that colour',
            default=(),
        ),
    },
    label="a table (header and rows)",
)

COLUMN = Record(
    ColumnSpec,
    {
        "heading": Field(TEXT, "the column's heading"),
        "bullets": Field(BULLETS, "the column's bullets", default=()),
    },
    label="a column (heading and bullets)",
)


def _one_name(node: Node, path: str, ctx: Context) -> Any:
    text = TEXT.check(node, path, ctx)
    return INVALID if text is INVALID else (text,)


COLUMN_NAMES = OneOf(
    Custom("text", (ScalarNode,), _one_name, lambda: {"type": "string"}),
    ListOf(TEXT, min_items=1, max_items=MAX_SERIES, label="a list of column names"),
    label="a column name or a list of them",
)


def _check_other(node: Node, path: str, ctx: Context) -> Any:
    """A share in percent: `3%`, `3` or `0`."""
    assert isinstance(node, ScalarNode)
    text = node.value.strip()
    number = parse_number(text[:-1] if text.endswith(("%", "％")) else text)
    if number is None:
        return ctx.fail(
            node,
            path,
            f"expected a share such as 3%, found '{node.value}'",
            "write `other: 3%`, or `other: 0` to show every slice",
        )
    if not 0 <= number <= MAX_OTHER_PERCENT:
        return ctx.fail(
            node,
            path,
            f"expected a share from 0% to {MAX_OTHER_PERCENT:g}%, found {number:g}%",
            "small slices are those of a few percent",
        )
    return float(number)


OTHER_SHARE = Custom(
    "a share in percent",
    (ScalarNode,),
    _check_other,
    lambda: {
        "anyOf": [
            {"type": "number", "minimum": 0, "maximum": MAX_OTHER_PERCENT},
            {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*[%％]?\s*$"},
        ]
    },
)


class _ChartRecord(Record):
    """A chart: its JSON Schema says which keys each kind needs."""

    def json_schema(self) -> dict[str, Any]:
        schema = super().json_schema()
        schema["allOf"] = [
            {
                "if": {"properties": {"kind": {"const": "combo"}}, "required": ["kind"]},
                "then": {"required": ["bars", "lines"]},
                "else": {"required": ["y"]},
            },
        ]
        return schema


CHART = _ChartRecord(
    ChartSpec,
    {
        "kind": Field(Choice(*CHART_KINDS, what="chart kind"), "chart kind", required=True),
        "data": Field(
            OneOf(TEXT, INLINE_DATA, label="a CSV or Excel file, or inline columns"),
            "CSV or Excel (.xlsx) file relative to the outline, or inline columns",
            required=True,
        ),
        "sheet": Field(TEXT, "Excel: the sheet to read (needed when the workbook has several)"),
        "range": Field(
            TEXT, "Excel: the cells to read, e.g. B3:F15; the first row names the columns"
        ),
        "table": Field(TEXT, "Excel: a table (テーブル) or defined name to read"),
        "encoding": Field(TEXT, "CSV: text encoding (utf-8, cp932 …); detected when omitted"),
        "sep": Field(
            Choice("comma", "tab", "semicolon", what="separator"),
            "CSV: column separator; detected when omitted",
        ),
        "x": Field(TEXT, "column holding the categories (x axis)", required=True),
        "y": Field(
            COLUMN_NAMES,
            "column(s) holding the values, one series each (every kind but combo)",
            default=(),
        ),
        "bars": Field(COLUMN_NAMES, "combo: column(s) drawn as bars on the left axis", default=()),
        "lines": Field(COLUMN_NAMES, "combo: column(s) drawn as lines", default=()),
        "secondary": Field(
            COLUMN_NAMES, "combo: lines drawn against a right-hand axis", default=()
        ),
        "unit2": Field(TEXT, "combo: unit of the right-hand axis, e.g. %"),
        "dashed": Field(
            COLUMN_NAMES,
            "series drawn dashed (lines) or as outlines (bars), e.g. a plan",
            default=(),
        ),
        "other": Field(
            OTHER_SHARE,
            "pie/donut: slices below this share join one slice "
            f"named {OTHER_LABEL} (default {DEFAULT_OTHER_PERCENT:g}%; "
            "0: never)",
        ),
        "rebase": Field(
            Number(minimum=0, exclusive=True), "index every series to this value at its first row"
        ),
        "title": Field(TEXT, "title drawn above the chart"),
        "source": Field(TEXT, "source line shown under the chart"),
        "note": Field(TEXT, "caveat shown with the source, e.g. that data is illustrative"),
        "unit": Field(TEXT, "unit of the values, e.g. % or 億円"),
        "highlight": Field(TEXT, "category to emphasise"),
        "sort": Field(Choice("asc", "desc", what="sort order"), "sort categories by value"),
        "render": Field(
            Choice("image", "native", what="renderer"),
            "image (matplotlib picture, the default) or native (editable chart)",
        ),
    },
    label="a chart definition",
)

# --- timeline: a dated roadmap -------------------------------------------------------------

#: Bars and milestones on one timeline slide (more do not stay readable on one slide).
MAX_TIMELINE_ITEMS = 30


@dataclass(frozen=True)
class Month:
    """A date as written: YYYY-MM (``day`` 0) or YYYY-MM-DD."""

    year: int
    month: int
    day: int = 0

    @property
    def index(self) -> int:
        """Months since year 0 (the month the date falls in)."""
        return self.year * 12 + self.month - 1

    def start(self) -> float:
        """Position in months of the date's start (YYYY-MM: the first of the month)."""
        return self.index + (max(self.day, 1) - 1) / 31

    def end(self) -> float:
        """Position in months of the date's end (YYYY-MM: the end of the month)."""
        return self.index + (1.0 if self.day == 0 else self.day / 31)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


_DATE = re.compile(r"(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?")


def parse_month(text: str) -> Month | None:
    import calendar

    m = _DATE.fullmatch(text.strip())
    if m is None:
        return None
    year, month, day = int(m[1]), int(m[2]), int(m[3] or 0)
    if not 1 <= month <= 12 or year < 1900 or year > 2999:
        return None
    if m[3] is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return Month(year, month, day)


def _check_date(node: Node, path: str, ctx: Context) -> Any:
    assert isinstance(node, ScalarNode)
    date = parse_month(node.value)
    if date is None:
        return ctx.fail(
            node,
            path,
            f"expected a date YYYY-MM or YYYY-MM-DD, found '{node.value}'",
            "write e.g. `2026-04` or `2026-04-15`",
        )
    return date


DATE = Custom(
    "a date (YYYY-MM or YYYY-MM-DD)",
    (ScalarNode,),
    _check_date,
    lambda: {"type": "string", "pattern": r"^\d{4}-\d{1,2}(-\d{1,2})?$"},
)


@dataclass(frozen=True)
class TimelineItem:
    label: str
    start: Month | None
    end: Month | None
    on: Month | None
    lane: str | None
    pos: Pos
    where: dict = _where()


@dataclass(frozen=True)
class TimelineSpec:
    start: Month | None
    end: Month | None
    items: tuple[TimelineItem, ...]
    today: Month | None
    pos: Pos
    where: dict = _where()


def _from_to(build: Any) -> Any:
    """Build a dataclass whose `from`/`to` keys are the fields start/end."""

    def make(**kw: Any) -> Any:
        where = {{"from": "start", "to": "end"}.get(k, k): v for k, v in kw["where"].items()}
        kw["where"] = where
        return build(start=kw.pop("from"), end=kw.pop("to"), **kw)

    return make


TIMELINE_ITEM = Record(
    _from_to(TimelineItem),
    {
        "label": Field(TEXT, "the bar's or milestone's label", required=True),
        "from": Field(DATE, "first month (or day) of a bar"),
        "to": Field(DATE, "last month (or day) of a bar"),
        "on": Field(DATE, "date of a milestone (drawn as a diamond)"),
        "lane": Field(TEXT, "the lane (row group) the item is drawn in"),
    },
    label="a timeline item ({label, from, to} or {label, on})",
)

TIMELINE = Record(
    _from_to(TimelineSpec),
    {
        "from": Field(DATE, "first month shown (default: the earliest date)"),
        "to": Field(DATE, "last month shown (default: the latest date)"),
        "items": Field(
            ListOf(
                TIMELINE_ITEM,
                min_items=1,
                max_items=MAX_TIMELINE_ITEMS,
                label=f"a list of 1 to {MAX_TIMELINE_ITEMS} items",
            ),
            "bars {label, from, to} and milestones {label, on}",
            required=True,
        ),
        "today": Field(DATE, "date of the 今日 marker"),
    },
    label="a timeline (from, to, items, today)",
)


def check_timeline(spec: TimelineSpec, path: str) -> list[Diagnostic]:
    """Items that are neither bar nor milestone, reversed ranges, items outside the range."""
    out: list[Diagnostic] = []
    if spec.start is not None and spec.end is not None and spec.end.end() <= spec.start.start():
        out.append(
            error(
                spec.where["end"],
                f"{path}.to",
                f"'to' ({spec.end}) is before 'from' ({spec.start})",
                "swap them, or correct the year",
            )
        )
        return out  # items are not checked against a range that does not exist
    for i, item in enumerate(spec.items):
        where = f"{path}.items[{i}]"
        if item.on is not None and (item.start is not None or item.end is not None):
            key = "start" if item.start is not None else "end"
            out.append(
                error(
                    item.where[key],
                    f"{where}.{'from' if key == 'start' else 'to'}",
                    "an item has either 'on' (a milestone) or 'from' and 'to' (a bar), not both",
                    "remove 'on', or remove 'from'/'to'",
                )
            )
        elif item.on is None and (item.start is None or item.end is None):
            missing = "from" if item.start is None else "to"
            out.append(
                error(
                    item.pos,
                    where,
                    f"the item '{item.label}' has no '{missing}'"
                    if item.start is not None or item.end is not None
                    else f"the item '{item.label}' has neither 'on' nor 'from'/'to'",
                    "give a bar `from:` and `to:`, or a milestone `on:`",
                )
            )
        elif (
            item.start is not None and item.end is not None and item.end.end() <= item.start.start()
        ):
            out.append(
                error(
                    item.where["end"],
                    f"{where}.to",
                    f"'to' ({item.end}) is before 'from' ({item.start})",
                    "swap them, or correct the year",
                )
            )
        elif spec.start is not None or spec.end is not None:
            first = item.on.start() if item.on else item.start.start()  # type: ignore[union-attr]
            last = item.on.end() if item.on else item.end.end()  # type: ignore[union-attr]
            lo = spec.start.start() if spec.start else float("-inf")
            hi = spec.end.end() if spec.end else float("inf")
            if first < lo or last > hi:
                out.append(
                    warning(
                        item.pos,
                        where,
                        f"the item '{item.label}' lies outside the timeline's range; "
                        "it is cut at the edge",
                        "widen `from:`/`to:` of the timeline, or correct the date",
                    )
                )
    if spec.today is not None and (
        (spec.start is not None and spec.today.start() < spec.start.start())
        or (spec.end is not None and spec.today.start() >= spec.end.end())
    ):
        out.append(
            warning(
                spec.where["today"],
                f"{path}.today",
                f"'today' ({spec.today}) lies outside the timeline's range; it is not drawn",
                "widen `from:`/`to:`, or correct the date",
            )
        )
    return out


# --- matrix: a 2×2 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixSpec:
    x: tuple[str, str]
    y: tuple[str, str]
    quadrants: tuple[ColumnSpec, ...]
    pos: Pos
    where: dict = _where()


QUADRANT = Record(
    ColumnSpec,
    {
        "heading": Field(TEXT, "the quadrant's heading"),
        "bullets": Field(BULLETS, "the quadrant's bullets", default=()),
    },
    label="a quadrant (heading and bullets)",
)

MATRIX = Record(
    MatrixSpec,
    {
        "x": Field(
            ListOf(
                TEXT,
                min_items=2,
                max_items=2,
                label="two labels [low, high]",
                hint="write the low end first: `x: [影響 小, 影響 大]`",
            ),
            "the horizontal axis: [low, high] (right is high)",
            required=True,
        ),
        "y": Field(
            ListOf(
                TEXT,
                min_items=2,
                max_items=2,
                label="two labels [low, high]",
                hint="write the low end first: `y: [緊急度 低, 緊急度 高]`",
            ),
            "the vertical axis: [low, high] (top is high)",
            required=True,
        ),
        "quadrants": Field(
            ListOf(
                QUADRANT,
                min_items=4,
                max_items=4,
                label="four quadrants",
                hint="list them top-left, top-right, bottom-left, bottom-right "
                "(`{heading: …}` for an empty one)",
            ),
            "top-left, top-right, bottom-left, bottom-right",
            required=True,
        ),
    },
    label="a 2×2 matrix (x, y, quadrants)",
)


FLOW_STEPS = ListOf(STEP, min_items=2, max_items=7, label="a list of 2 to 7 steps")
TAGS = OneOf(
    Custom(
        "a tag",
        (ScalarNode,),
        lambda n, p, c: (lambda t: INVALID if t is INVALID else (t,))(TEXT.check(n, p, c)),
        lambda: {"type": "string"},
    ),
    ListOf(TEXT, label="a list of tags"),
    label="a tag or a list of tags",
)

# ---------------------------------------------------------------------------- kpis

#: A `kpis:` slide shows 1 to this many big numbers (3 per row at most, 2 rows).
MAX_KPIS = 6
#: A comparison: a signed number (or a bare zero), then %, pt or nothing (`-1.4%`, `+0.3pt`).
KPI_DELTA = re.compile(r"(?:[+\-−＋]\d+(?:\.\d+)?|±?0(?:\.0+)?)(?:%|pt)?")


def _check_delta(node: Node, path: str, ctx: Context) -> Any:
    text = TEXT.check(node, path, ctx)
    if text is INVALID:
        return INVALID
    if not KPI_DELTA.fullmatch(text.strip()):
        return ctx.fail(
            node,
            path,
            f"expected a signed change like -1.4%, +7.2% or +0.3pt, found {describe(node)}",
            "write the sign and the number, then % or pt (or nothing): vs_plan: -1.4%",
        )
    return text.strip()


DELTA = Custom(
    "a change like -1.4% or +0.3pt",
    (ScalarNode,),
    _check_delta,
    lambda: {"type": ["string", "number"], "pattern": f"^{KPI_DELTA.pattern}$"},
)

KPI = Record(
    KpiSpec,
    {
        "label": Field(TEXT, "what the number is, e.g. 売上高", required=True),
        "value": Field(TEXT, "the number, shown exactly as written (1,134)", required=True),
        "unit": Field(TEXT, "unit shown beside the number, e.g. 百万円 or %"),
        "vs_plan": Field(DELTA, "change against plan, e.g. -1.4% (▲ up, ▼ down)"),
        "vs_last_year": Field(DELTA, "change against last year, e.g. +7.2% or +0.3pt"),
        "good": Field(
            Choice("up", "down", what="direction"),
            "which direction is good: up (default) or down; good is green, bad red",
            default="up",
        ),
        "note": Field(TEXT, "a small line under the comparisons"),
    },
    label="a KPI (label, value, unit …)",
)
KPI_LIST = ListOf(KPI, min_items=1, max_items=MAX_KPIS, label=f"a list of 1 to {MAX_KPIS} KPIs")


def _check_kpis(node: Node, path: str, ctx: Context) -> Any:
    assert isinstance(node, SequenceNode)
    if len(node.value) > MAX_KPIS:
        return ctx.fail(
            node.value[MAX_KPIS],
            f"{path}[{MAX_KPIS}]",
            f"{len(node.value)} KPIs, more than the {MAX_KPIS} one slide shows",
            "keep the most important six and put the rest on a second `kpis:` slide",
        )
    return KPI_LIST.check(node, path, ctx)


KPIS = Custom(KPI_LIST.label, (SequenceNode,), _check_kpis, KPI_LIST.json_schema)

SLIDE = Record(
    SlideSpec,
    {
        "title": Field(TEXT, "slide title"),
        "bullets": Field(BULLETS, "bullets; `text:` with a list gives sub-bullets", default=()),
        "notes": Field(NOTES, "speaker notes"),
        "chart": Field(TEXT, "id of a chart under `charts:`"),
        "table": Field(TABLE, "a table"),
        "columns": Field(
            ListOf(COLUMN, min_items=2, max_items=4, label="a list of 2 to 4 columns"),
            "2 to 4 columns",
        ),
        "quote": Field(TEXT, "a quotation"),
        "by": Field(TEXT, "who said the quote"),
        "image": Field(TEXT, "image file relative to the outline"),
        "caption": Field(TEXT, "caption under the image"),
        "flow": Field(FLOW_STEPS, "steps drawn as chevrons; `step:` with a list adds details"),
        "timeline": Field(TIMELINE, "a dated roadmap: bars, milestones, lanes, a today marker"),
        "matrix": Field(MATRIX, "a 2×2 matrix: x and y axis labels, four quadrants"),
        "images": Field(
            ListOf(
                TEXT,
                min_items=2,
                max_items=4,
                label="a list of 2 to 4 image files",
                hint="one picture is `image:`; more than 4 go on several slides",
            ),
            "2 to 4 image files relative to the outline, side by side (4: a 2×2 grid)",
        ),
        "captions": Field(
            ListOf(TEXT, max_items=4, label="a list of captions"),
            "one caption under each of `images:`, in order",
        ),
        "tags": Field(TAGS, "tags for --only/--skip", default=()),
        "kpis": Field(KPIS, f"1 to {MAX_KPIS} big numbers with ▲▼ against plan and last year"),
        "callout": Field(TEXT, "a statement in a box above the bullets, e.g. a decision asked"),
        "layout": Field(TEXT, "layout name from the template for this slide"),
    },
    label="a slide",
)

SECTION = Record(
    SectionSpec,
    {
        "title": Field(TEXT, "section title", required=True),
        "slides": Field(
            ListOf(SLIDE, label="a list of slides"), "the section's slides", default=()
        ),
        "notes": Field(NOTES, "speaker notes for the section divider"),
        "tags": Field(
            TAGS, "tags for --only/--skip, inherited by the section's slides", default=()
        ),
        "layout": Field(TEXT, "layout name for the section divider"),
    },
    label="a section (title and slides)",
)

# Limits on what a theme may ask for (README, "Limits"): a 96 pt title still holds a few
# words on a 10-inch slide; 60 pt body text is a poster, not a slide; a logo wider than
# 4 inches covers the title on a 4:3 slide.
MAX_TITLE_PT = 96
MAX_BODY_PT = 60
MAX_LOGO_INCHES = 4

THEME = Record(
    ThemeSpec,
    {
        "fonts": Field(
            Record(
                FontsSpec,
                {
                    "latin": Field(TEXT, "font for Latin text"),
                    "east_asian": Field(TEXT, "font for Japanese text (the `ea` slot)"),
                    "title_size": Field(
                        Number(minimum=8, maximum=MAX_TITLE_PT), "slide title size in points"
                    ),
                    "body_size": Field(
                        Number(minimum=8, maximum=MAX_BODY_PT), "bullet size in points"
                    ),
                    "min_title_size": Field(
                        Number(minimum=8, maximum=MAX_TITLE_PT),
                        "smallest title size before titles break (default 24)",
                    ),
                    "min_body_size": Field(
                        Number(minimum=8, maximum=MAX_BODY_PT),
                        "smallest body size before slides split (default 14)",
                    ),
                },
                label="font settings",
            ),
            "fonts",
        ),
        "colors": Field(
            Record(
                ColorsSpec,
                {
                    "primary": Field(Color(), "titles, header rows, section slides"),
                    "accent": Field(Color(), "highlights and rules"),
                    "text": Field(Color(), "body text"),
                    "background": Field(Color(), "slide background"),
                    "palette": Field(
                        ListOf(Color(), min_items=1, label="a list of colours"),
                        "chart series colours",
                    ),
                },
                label="colour settings",
            ),
            "colours",
        ),
        "logo": Field(
            Record(
                LogoSpec,
                {
                    "image": Field(
                        TEXT, "logo image, relative to the file that names it", required=True
                    ),
                    "corner": Field(
                        Choice(
                            "top-right", "top-left", "bottom-right", "bottom-left", what="corner"
                        ),
                        "where the logo sits",
                        default="top-right",
                    ),
                    "width": Field(
                        Number(minimum=0.2, maximum=MAX_LOGO_INCHES),
                        "logo width in inches",
                        default=1.2,
                    ),
                },
                label="logo settings",
            ),
            "a logo on every content slide",
        ),
        "footer": Field(TEXT, "footer text (the outline's `footer:` wins)"),
        "slide_numbers": Field(Bool(), "show slide numbers (default true)"),
    },
    label="theme settings",
)

OUTLINE = Record(
    Outline,
    {
        "title": Field(TEXT, "deck title", required=True),
        "subtitle": Field(TEXT, "subtitle on the title slide"),
        "author": Field(TEXT, "speaker or author on the title slide"),
        "date": Field(TEXT, "date on the title slide; YYYY-MM-DD is shown as 年月日"),
        "footer": Field(TEXT, "footer text on content slides"),
        "agenda": Field(
            OneOf(
                Bool(),
                TEXT,
                Record(
                    AgendaSpec,
                    {
                        "title": Field(TEXT, "the agenda's title (default アジェンダ)"),
                        "repeat": Field(
                            Bool(),
                            "also before each section, the current one marked",
                            default=False,
                        ),
                    },
                    label="agenda settings (title, repeat)",
                ),
                label="true, false, the agenda's title or {title, repeat}",
            ),
            "add an agenda slide listing the sections",
            default=False,
        ),
        "dividers": Field(
            Bool(), "section divider slides (default true; false: none)", default=True
        ),
        "notes": Field(NOTES, "speaker notes for the title slide"),
        "theme": Field(
            OneOf(
                Custom(
                    "a theme file",
                    (ScalarNode,),
                    lambda n, p, c: c.fail(n, p, "theme file could not be included"),
                    lambda: {"type": "string", "description": "a theme YAML file"},
                ),
                THEME,
                label="theme settings or a theme file",
            ),
            "fonts, colours, logo and footer, inline or as a YAML file",
        ),
        "template": Field(TEXT, "a .pptx whose masters, layouts and theme the deck uses"),
        "layouts": Field(
            Record(
                lambda pos, where, **names: LayoutsSpec(
                    pos, where, {k: v for k, v in names.items() if v}
                ),
                {kind: Field(TEXT, f"layout name for {kind} slides") for kind in SLIDE_KINDS},
                label="layout names by slide kind",
            ),
            "layout names by slide kind",
        ),
        "charts": Field(MapOf(CHART, label="chart definitions by id"), "charts by id", default={}),
        "sections": Field(
            ListOf(SECTION, min_items=1, label="a list of sections"), "sections, each with slides"
        ),
        "slides": Field(
            ListOf(SLIDE, min_items=1, label="a list of slides"),
            "slides, when the deck has no sections",
        ),
    },
    label="an outline (a mapping with title and sections or slides)",
    doc="A yamldeck outline: compiled into a 16:9 PowerPoint deck.",
)


SCHEMA_KINDS = ("outline", "overlay", "theme", "project")


def _relaxed(schema: Any, in_list: bool = False) -> Any:
    """An overlay's schema: mappings merge key by key, so no key is required in them; lists
    replace what they overlay whole, so what sits inside a list keeps its required keys."""
    if isinstance(schema, list):
        return [_relaxed(item, in_list) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "required" and not in_list:
            continue
        out[key] = _relaxed(value, in_list or key in ("items", "prefixItems"))
    return out


def json_schema(kind: str = "outline") -> dict[str, Any]:
    """The JSON Schema of an outline, an overlay (--with), a theme file or a project file."""
    if kind == "project":
        from .project import PROJECT

        schema = PROJECT.json_schema()
    elif kind == "theme":
        schema = THEME.json_schema()
    elif kind == "overlay":
        schema = _relaxed(OUTLINE.json_schema())
        schema.pop("anyOf", None)
        schema.pop("oneOf", None)
    else:
        schema = OUTLINE.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"yamldeck {kind}" + (" file" if kind in ("theme", "project") else "")
    return schema


# ---------------------------------------------------------------------------- loading


def load_outline(
    path: Path,
    display: str | None = None,
    overlays: tuple[Path, ...] = (),
    sets: tuple[str, ...] = (),
) -> tuple[Outline | None, list[Diagnostic]]:
    """Read, combine (overlays, --set, theme file), validate and cross-check one outline.

    Every problem found is reported. The outline is None only when its structure could not
    be built at all; callers must not plan an outline that came with errors.
    """
    from .overlay import apply_set, include_theme, load_overlay, merge, parse_set, set_label

    file = display or str(path)
    node, problems = load_yaml(path, file)
    if node is None:
        return None, problems
    base_dir = path.resolve().parent
    ctx = Context(file=file, base_dir=base_dir)
    if not isinstance(node, MappingNode):
        colon = fullwidth_colon_key(node, file)
        if colon is not None:
            return None, [colon]
        kind = "a list" if isinstance(node, SequenceNode) else "a single value"
        return None, [
            error(
                ctx.pos(node),
                "",
                f"expected a mapping at the top level, found {kind}",
                "an outline starts with `title: ...`",
            )
        ]
    # A theme file is included where it is named (outline or overlay), before merging, so
    # overlays and --set can change single theme keys of an included theme.
    sources = [path.resolve()]
    problems.extend(include_theme(node, base_dir, sources))
    for overlay in overlays:
        sources.append(overlay.resolve())
        over, found = load_overlay(overlay)
        problems.extend(found)
        if over is not None:
            problems.extend(include_theme(over, base_dir, sources))  # type: ignore[arg-type]
            node = merge(node, over)
    for option in sets:
        parsed = parse_set(option)
        if isinstance(parsed, Diagnostic):
            problems.append(parsed)
            continue
        steps, value = parsed
        problem = apply_set(node, steps, value, set_label(option))
        if problem is not None:
            problems.append(problem)
    if sets and not any(p.is_error for p in problems):
        # `--set theme=themes/board.yaml` names a theme file like the outline would.
        problems.extend(include_theme(node, base_dir, sources))  # type: ignore[arg-type]
    if any(p.is_error for p in problems):
        return None, problems
    outline = OUTLINE.check(node, "", ctx)
    problems.extend(ctx.diagnostics)
    if outline is INVALID:
        return None, problems
    outline = dataclasses.replace(
        outline,
        base_dir=base_dir,
        sources=tuple(dict.fromkeys(sources)),
        charts={cid: dataclasses.replace(c, id=cid) for cid, c in outline.charts.items()},
    )
    problems.extend(cross_check(outline, clean=not any(p.is_error for p in problems)))
    return outline, problems


def iter_slides(outline: Outline):
    """Yield (path, slide) for every slide, in order."""
    if outline.sections is not None:
        for si, section in enumerate(outline.sections):
            for i, slide in enumerate(section.slides):
                yield f"sections[{si}].slides[{i}]", slide
    else:
        for i, slide in enumerate(outline.slides or ()):
            yield f"slides[{i}]", slide


def cross_check(outline: Outline, clean: bool = True) -> list[Diagnostic]:
    """What one key alone cannot say: structure, references and shapes.

    ``clean``: no key was refused; otherwise a slide whose only key was misspelt (`titel:`)
    is not reported again as empty."""
    out: list[Diagnostic] = []
    if outline.sections is None and outline.slides is None:
        out.append(
            error(
                outline.pos,
                "(top level)",
                "missing 'sections' or 'slides'",
                "add `sections:` (each with `slides:`) or a plain `slides:` list",
            )
        )
    elif outline.sections is not None and outline.slides is not None:
        out.append(
            error(
                outline.where["slides"],
                "slides",
                "use either 'sections' or 'slides', not both",
                "move these slides into a section",
            )
        )
    used: set[str] = set()
    if len(outline.charts) > MAX_CHARTS:
        out.append(
            error(
                outline.where["charts"],
                "charts",
                f"{len(outline.charts):,} charts, more than {MAX_CHARTS}",
                "split the deck into several decks (a project file builds them together)",
            )
        )
    for path, slide in iter_slides(outline):
        keys = slide.content_keys
        if clean and slide.title is None and not keys and not slide.bullets:
            out.append(
                error(
                    slide.pos,
                    path,
                    "the slide has no title and nothing to show",
                    "give it a title, bullets or one of "
                    + ", ".join(CONTENT_KEYS)
                    + "; or remove it",
                )
            )
        for c, column in enumerate(slide.columns or ()):
            if clean and column.heading is None and not column.bullets:
                out.append(
                    error(
                        column.pos,
                        f"{path}.columns[{c}]",
                        "the column has neither a heading nor bullets",
                        "give it `heading:` or `bullets:`, or remove it",
                    )
                )
        lines = sum(1 + len(b.children) for b in slide.bullets) + sum(
            1 + len(b.children) for c in slide.columns or () for b in c.bullets
        )
        if lines > MAX_BULLETS:
            out.append(
                error(
                    slide.where.get("bullets") or slide.where.get("columns") or slide.pos,
                    f"{path}.{'bullets' if slide.bullets else 'columns'}",
                    f"{lines:,} bullets and sub-bullets on one slide, more than {MAX_BULLETS:,}",
                    "spread them over several slides",
                )
            )
        if keys[:2] == ["chart", "table"] and slide.bullets:
            out.append(
                error(
                    slide.where["bullets"],
                    f"{path}.bullets",
                    "a slide with a chart and a table has no room for bullets",
                    "put the bullets beside the chart or the table on a slide of their own",
                )
            )
        pair = 2 if keys[:2] == ["chart", "table"] else 1  # a chart may show a table
        if len(keys) > pair:
            out.append(
                error(
                    slide.where[keys[pair]],
                    f"{path}.{keys[pair]}",
                    f"a slide shows one of {', '.join(CONTENT_KEYS)}; this one has "
                    f"both '{keys[pair - 1]}' and '{keys[pair]}'",
                    "split it into two slides",
                )
            )
        if slide.bullets and keys and keys[0] not in ("chart", "flow", "table", "callout"):
            out.append(
                error(
                    slide.where["bullets"],
                    f"{path}.bullets",
                    f"bullets go with 'chart', 'table', 'flow' or 'callout', not with '{keys[0]}'",
                    "put the bullets on a slide of their own",
                )
            )
        if slide.timeline is not None:
            out.extend(check_timeline(slide.timeline, f"{path}.timeline"))
        if slide.captions is not None and slide.images is None:
            out.append(
                error(slide.where["captions"], f"{path}.captions", "'captions' needs 'images'")
            )
        elif slide.captions is not None and len(slide.captions) != len(slide.images or ()):
            out.append(
                error(
                    slide.where["captions"],
                    f"{path}.captions",
                    f"{len(slide.captions)} captions for {len(slide.images or ())} images",
                    "give one caption per image, in the same order",
                )
            )
        for q, quadrant in enumerate(slide.matrix.quadrants if slide.matrix else ()):
            if clean and quadrant.heading is None and not quadrant.bullets:
                out.append(
                    error(
                        quadrant.pos,
                        f"{path}.matrix.quadrants[{q}]",
                        "the quadrant has neither a heading nor bullets",
                        "give it `heading:` or `bullets:`",
                    )
                )
        if slide.by is not None and slide.quote is None:
            out.append(error(slide.where["by"], f"{path}.by", "'by' needs a 'quote'"))
        if slide.caption is not None and slide.image is None:
            out.append(
                error(slide.where["caption"], f"{path}.caption", "'caption' needs an 'image'")
            )
        if slide.chart is not None:
            used.add(slide.chart)
            if slide.chart not in outline.charts:
                known = tuple(outline.charts)
                hint = did_you_mean(slide.chart, known) or (
                    "defined charts: " + ", ".join(known)
                    if known
                    else "define it under `charts:` at the top level"
                )
                out.append(
                    error(
                        slide.where["chart"],
                        f"{path}.chart",
                        f"unknown chart '{slide.chart}'",
                        hint,
                    )
                )
        if slide.table is not None:
            width = len(slide.table.header)
            for r, row in enumerate(slide.table.rows):
                if len(row.cells) != width and row.split:
                    shown = [f"'{split.item}'" for split in row.split]
                    one = len(shown) == 1
                    out.append(
                        error(
                            row.split[0].start,
                            f"{path}.table.rows[{r}]",
                            f"row has {len(row.cells)} cells, the header has {width}: "
                            f"in [a, b] a comma separates values, so YAML split "
                            f"{' and '.join(shown)} at {'its' if one else 'their'} "
                            f"comma{'' if one and row.split[0].commas == 1 else 's'}",
                            f"quote the value{'' if one else 's'}: {', '.join(shown)}",
                        )
                    )
                elif len(row.cells) != width:
                    out.append(
                        error(
                            row.pos,
                            f"{path}.table.rows[{r}]",
                            f"row has {len(row.cells)} cells, the header has {width}",
                            "give every row one cell per heading ('' for empty)",
                        )
                    )
                else:  # as many cells as headings, but not the ones meant
                    out.extend(
                        error(split.pos, f"{path}.table.rows[{r}]", split.message, split.hint)
                        for split in row.split
                    )
            out.extend(_check_table_styles(slide.table, f"{path}.table"))
        if slide.image is not None:
            found = check_file(outline, slide.image, slide.where["image"], f"{path}.image")
            out.extend(
                found or check_image(outline, slide.image, slide.where["image"], f"{path}.image")
            )
        for k, image in enumerate(slide.images or ()):
            at, sub = slide.where["images"], f"{path}.images[{k}]"
            found = check_file(outline, image, at, sub)
            out.extend(found or check_image(outline, image, at, sub))
    if outline.template is not None:
        found = check_file(outline, outline.template, outline.where["template"], "template")
        # .pptm/.potm are accepted: their macros are never carried into the deck (writer).
        if not found and not outline.template.lower().endswith(
            (".pptx", ".potx", ".pptm", ".potm")
        ):
            found = [
                error(
                    outline.where["template"],
                    "template",
                    f"'{outline.template}' is not a .pptx, .potx, .pptm or .potm file",
                )
            ]
        out.extend(found)
    logo = outline.theme.logo if outline.theme is not None else None
    if logo is not None:
        found = check_file(outline, logo.image, logo.where["image"], "theme.logo.image")
        out.extend(
            found or check_image(outline, logo.image, logo.where["image"], "theme.logo.image")
        )
    for cid, chart in outline.charts.items():
        out.extend(check_chart_keys(chart))
        twice = sorted({y for y in chart.y if chart.y.count(y) > 1})
        if twice:
            out.append(
                error(
                    chart.where["y"],
                    f"charts.{cid}.y",
                    f"column '{twice[0]}' is listed twice in y",
                    "list each column once; each becomes one series",
                )
            )
        if cid not in used:
            out.append(
                warning(
                    chart.pos,
                    f"charts.{cid}",
                    f"chart '{cid}' is never shown",
                    "use it with `chart: " + cid + "` on a slide, or remove it",
                )
            )
        if isinstance(chart.data, str):
            out.extend(check_file(outline, chart.data, chart.where["data"], f"charts.{cid}.data"))
    return out


def check_chart_keys(chart: ChartSpec) -> list[Diagnostic]:
    """Which keys go with the chart's kind: what one key alone cannot say.

    Columns are checked against the data later (data.py); here only names that must agree
    with each other (a secondary series must be one of the lines) are compared.
    """
    path = f"charts.{chart.id}"
    out: list[Diagnostic] = []
    where = chart.where

    def fail(key: str, message: str, hint: str = "") -> None:
        out.append(
            error(
                where.get(key, chart.pos), f"{path}.{key}" if key in where else path, message, hint
            )
        )

    combo_keys = [k for k in ("bars", "lines", "secondary", "unit2") if k in where]
    if chart.kind == "combo":
        if "y" in where:
            fail(
                "y",
                "a combo chart takes its series from `bars:` and `lines:`, not `y:`",
                "write the bar columns under `bars:` and the line columns under `lines:`",
            )
        missing = [k for k in ("bars", "lines") if k not in where]
        if missing:
            fail(
                "kind",
                f"a combo chart needs `{missing[0]}:`"
                + (f" and `{missing[1]}:`" if len(missing) > 1 else ""),
                "a combo draws bars and lines on one chart; for bars alone use "
                "`kind: bar`, for lines alone `kind: line`",
            )
        both = [n for n in chart.lines if n in chart.bars]
        if both:
            fail(
                "lines",
                f"'{both[0]}' is in both `bars:` and `lines:`",
                "draw each column once: as a bar or as a line",
            )
        bars = [n for n in chart.secondary if n in chart.bars]
        if bars:
            fail(
                "secondary",
                f"'{bars[0]}' is a bar; only lines go on the right-hand axis",
                f"move '{bars[0]}' to `lines:`, or leave it out of `secondary:`",
            )
        if "unit2" in where and not chart.secondary:
            out.append(
                warning(
                    where["unit2"],
                    f"{path}.unit2",
                    "`unit2:` is the right-hand axis' unit, but no series is on that axis",
                    "name the lines for it in `secondary: [...]`, or remove `unit2:`",
                )
            )
    else:
        if "y" not in where:
            out.append(
                error(
                    chart.pos,
                    path,
                    "missing required key 'y'",
                    "name the column(s) of values, e.g. `y: 売上高`",
                )
            )
        for key in combo_keys:
            fail(
                key,
                f"`{key}:` is for combo charts (bars and lines on one chart)",
                "write `kind: combo` with `bars: [...]` and `lines: [...]`"
                + (" and `secondary: [...]`" if key in ("secondary", "unit2") else ""),
            )
    if "dashed" in where and chart.kind not in DASHED_KINDS:
        fail(
            "dashed",
            f"`dashed:` is for {', '.join(DASHED_KINDS)} charts, not {chart.kind}",
            "remove `dashed:`",
        )
    if chart.kind in PIE_KINDS:
        if len(chart.y) > 1:
            fail(
                "y",
                f"a {chart.kind} chart shows one series; `y:` names {len(chart.y)} "
                f"columns ({', '.join(chart.y)})",
                "chart one column, or use `kind: stacked_bar` to compare several",
            )
        if chart.rebase is not None:
            fail(
                "rebase",
                f"`rebase:` does not apply to a {chart.kind} chart (it shows shares of a whole)",
                "remove `rebase:`",
            )
    elif "other" in where:
        fail("other", "`other:` is for pie and donut charts", "remove `other:`")
    return out


def resolve_path(outline: Outline, relative: str) -> Path:
    from .paths import real

    return real(outline.base_dir / relative)


def check_file(outline: Outline, relative: str, pos: Pos, path: str) -> list[Diagnostic]:
    """A referenced file must be local, inside the outline's folder, and exist."""
    return check_path(outline.base_dir, relative, pos, path)


def check_path(base_dir: Path, relative: str, pos: Pos, path: str) -> list[Diagnostic]:
    if "://" in relative or relative.startswith(("http:", "https:", "file:")):
        return [
            error(
                pos,
                path,
                f"URLs are not allowed: '{relative}'",
                "download the file next to the outline and give its relative path",
            )
        ]
    if not relative.strip():
        return [error(pos, path, "expected a file name, found nothing")]
    if "\0" in relative:  # no file system takes it; os.stat would raise ValueError
        return [error(pos, path, "a file name cannot hold the character U+0000")]
    from .paths import real

    root = real(base_dir)
    target = real(root / relative)
    if not target.is_relative_to(root):
        return [
            error(
                pos,
                path,
                f"path '{relative}' leaves the outline's folder",
                "keep data and images in the folder of the outline or below it",
            )
        ]
    if target.is_dir():
        return [error(pos, path, f"'{relative}' is a folder, not a file", "name a file in it")]
    if target.exists() and not target.is_file():  # a FIFO blocks a read forever
        return [error(pos, path, f"'{relative}' is not a regular file")]
    if (root / relative).is_symlink() and not target.exists():
        return [
            error(
                pos,
                path,
                f"'{relative}' is a link that leads nowhere (broken, or a loop)",
                "point the link at a file, or name the file itself",
            )
        ]
    if not target.is_file():
        hint = ""
        if target.parent.is_dir():
            names = sorted(p.name for p in target.parent.iterdir() if p.is_file())
            near = did_you_mean(target.name, names)
            if near:
                folder = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
                hint = near.replace("'", "'" + folder, 1)
        return [error(pos, path, f"file not found: '{relative}'", hint)]
    return []


MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}


def check_image(outline: Outline, relative: str, pos: Pos, path: str) -> list[Diagnostic]:
    """The file must be an image PowerPoint shows, of a sane size (no decompression bombs)."""
    import warnings

    from PIL import Image

    target = resolve_path(outline, relative)
    try:
        with warnings.catch_warnings():
            # Size is judged below from the header alone; Pillow's own bomb check only warns
            # or raises with its own limit.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(target) as im:
                fmt, (w, h) = im.format, im.size
    except Image.DecompressionBombError:
        return [
            error(
                pos,
                path,
                f"'{relative}' has far too many pixels",
                "scale it down to a few thousand pixels a side",
            )
        ]
    except (OSError, ValueError, SyntaxError):
        return [
            error(
                pos,
                path,
                f"'{relative}' is not an image (PNG, JPEG, GIF, BMP or TIFF)",
                "use a PNG or JPEG file",
            )
        ]
    if fmt not in IMAGE_FORMATS:
        return [
            error(
                pos,
                path,
                f"'{relative}' is a {fmt} image; expected PNG or JPEG",
                "convert it to PNG",
            )
        ]
    if w * h > MAX_IMAGE_PIXELS:
        return [
            error(
                pos,
                path,
                f"'{relative}' is {w}×{h} pixels, more than "
                f"{MAX_IMAGE_PIXELS // 1_000_000} million",
                "scale it down",
            )
        ]
    if not _decodes(target, fmt):
        return [
            error(
                pos,
                path,
                f"'{relative}' is cut short or damaged; it would show as a broken picture",
                "open it in an image editor and save it again",
            )
        ]
    return []


def _decodes(target: Path, fmt: str) -> bool:
    """Whether the whole picture is there (only once its size is known to be sane).

    A PNG's chunks are read through to IEND with their checksums; a JPEG that ends in its
    end-of-image marker is whole (entropy data escapes every 0xFF, so the marker cannot
    occur by chance), else it is decoded at 1/8 scale; other formats are decoded.
    """
    from PIL import Image

    try:
        if fmt == "JPEG":
            with target.open("rb") as f:
                f.seek(max(0, target.stat().st_size - 2))
                if f.read() == b"\xff\xd9":
                    return True
        with Image.open(target) as im:
            if fmt == "PNG":
                im.verify()
                return True
            if fmt == "JPEG":
                im.draft("RGB", (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
            im.load()
    except (OSError, ValueError, SyntaxError, EOFError):
        return False
    return True


def input_files(outline: Outline) -> list[Path]:
    """Every file a build of this outline reads, for content-hash rebuild decisions."""
    files = list(outline.sources)
    for chart in outline.charts.values():
        if isinstance(chart.data, str):
            files.append(resolve_path(outline, chart.data))
    for _, slide in iter_slides(outline):
        if slide.image is not None:
            files.append(resolve_path(outline, slide.image))
    if outline.theme is not None and outline.theme.logo is not None:
        files.append(resolve_path(outline, outline.theme.logo.image))
    if outline.template is not None:
        files.append(resolve_path(outline, outline.template))
    return list(dict.fromkeys(files))
