"""Slides as positioned shapes: what the writer draws, decided before anything is written.

The placer (``place``) turns each fitted slide into a ``Page`` of shapes, every one with its
box in EMU computed from the layout the slide uses; the fitter measures these very shapes;
the writer only translates them to python-pptx. Pure dataclasses: no I/O, no python-pptx.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .deck import PlannedChart

EMU_PER_INCH = 914400


def emu(inches: float) -> int:
    return int(round(inches * EMU_PER_INCH))


@dataclass(frozen=True)
class Rect:
    """A box in EMU (ints)."""

    x: int
    y: int
    w: int
    h: int

    @staticmethod
    def of(box) -> Rect:
        """From a ``layout.Box`` in inches."""
        return Rect(emu(box.x), emu(box.y), emu(box.w), emu(box.h))

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h


@dataclass(frozen=True)
class TextRun:
    text: str
    bold: bool = False
    slide_number: bool = False  # a slidenum field showing ``text``


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as it is set.

    ``size`` is the size it is measured at (points); ``own_size`` False leaves the size to
    the template's placeholder style (it is then written without ``sz``). ``color`` "" keeps
    the placeholder's colour; ``template`` True writes no spacing, alignment or bullets.
    """

    runs: tuple[TextRun, ...]
    size: float
    color: str = ""
    bold: bool = False
    align: str = "l"  # l, ctr, r
    line: float = 1.2  # line height as a multiple of the size
    space_before: float = 0.0  # points
    level: int = 0
    indent: float = 0.0  # left margin in inches (bullets)
    bullet: str = ""  # the bullet character, "" for none
    bullet_color: str = ""
    bullet_hang: float = 0.0  # inches the bullet hangs left of the text
    own_size: bool = True
    template: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class TextFrame:
    paras: tuple[Paragraph, ...]
    anchor: str = "t"  # t, ctr, b
    inset: tuple[float, float, float, float] = (0.1, 0.05, 0.1, 0.05)  # inches l, t, r, b
    measure: bool = True  # the fitter checks that the paragraphs fit the box


@dataclass(frozen=True)
class TextBox:
    name: str
    box: Rect
    text: TextFrame


@dataclass(frozen=True)
class Autoshape:
    """A filled rectangle, pentagon or chevron, with optional text inside."""

    name: str
    box: Rect
    geometry: str  # rect, pentagon, chevron
    fill: str
    text: TextFrame | None = None
    adjust: float | None = None


@dataclass(frozen=True)
class Line:
    name: str
    box: Rect  # a horizontal line: h == 0
    color: str
    weight: float = 0.75  # points


@dataclass(frozen=True)
class Placeholder:
    """A placeholder of the layout to keep and fill (by idx, never by position).

    ``box`` None keeps the layout's position and frame properties (insets, anchor); the
    fitter then measures it in ``measure_box``, the layout's box. ``clone`` copies it from
    the layout first (footers and slide numbers, which python-pptx never copies).
    """

    name: str
    idx: int
    type: str
    box: Rect | None
    frame: TextFrame | None
    clone: bool = False
    measure_box: Rect | None = None


@dataclass(frozen=True)
class Picture:
    name: str
    box: Rect
    path: str  # a file, or "" for a chart picture
    descr: str
    chart: PlannedChart | None = None


@dataclass(frozen=True)
class Cell:
    paras: tuple[Paragraph, ...]
    fill: str
    rule: str  # bottom border colour
    rule_width: int = 9525  # EMU (0.75 pt)


@dataclass(frozen=True)
class Table:
    name: str
    box: Rect
    widths: tuple[int, ...]
    heights: tuple[int, ...]
    rows: tuple[tuple[Cell, ...], ...]
    margins: tuple[int, int]  # cell insets in EMU (x, y)


@dataclass(frozen=True)
class Chart:
    """A native chart (pictures of charts are ``Picture`` with ``chart`` set)."""

    name: str
    box: Rect
    chart: PlannedChart
    text_color: str
    muted_color: str
    grid_color: str


Shape = TextBox | Autoshape | Line | Placeholder | Picture | Table | Chart


@dataclass(frozen=True)
class Page:
    """One slide of the deck as it is drawn."""

    number: int
    title: str
    layout: tuple[int, int]  # (master, layout) index in the presentation
    shapes: tuple[Shape, ...]
    background: str | None = None  # RRGGBB to set on the slide; None keeps the layout's
    notes: tuple[Paragraph, ...] = field(default=())


def text_frames(shape: Shape) -> list[tuple[Rect, TextFrame]]:
    """The boxes and frames of text the fitter measures in ``shape``."""
    if isinstance(shape, TextBox):
        return [(shape.box, shape.text)]
    if isinstance(shape, Autoshape) and shape.text is not None:
        return [(shape.box, shape.text)]
    if isinstance(shape, Placeholder) and shape.frame is not None:
        box = shape.box or shape.measure_box
        return [(box, shape.frame)] if box is not None else []
    return []
