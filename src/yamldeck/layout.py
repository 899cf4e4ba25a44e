"""The grid every slide follows: one title position, one margin system, in inches (16:9)."""

from __future__ import annotations

from dataclasses import dataclass

SLIDE_W = 13.333
SLIDE_H = 7.5
MARGIN_X = 0.6
CONTENT_W = SLIDE_W - 2 * MARGIN_X


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def split_h(self, fraction: float, gap: float = 0.4) -> tuple[Box, Box]:
        """Split left/right: the left part takes ``fraction`` of the width minus the gap."""
        left_w = (self.w - gap) * fraction
        return (
            Box(self.x, self.y, left_w, self.h),
            Box(self.x + left_w + gap, self.y, self.w - left_w - gap, self.h),
        )

    def columns(self, n: int, gap: float = 0.35) -> list[Box]:
        col_w = (self.w - gap * (n - 1)) / n
        return [Box(self.x + i * (col_w + gap), self.y, col_w, self.h) for i in range(n)]

    def top(self, h: float) -> Box:
        return Box(self.x, self.y, self.w, h)

    def below(self, h: float, gap: float = 0.0) -> Box:
        return Box(self.x, self.y + h + gap, self.w, self.h - h - gap)


TITLE = Box(MARGIN_X, 0.3, CONTENT_W, 0.85)
TITLE_RULE = Box(MARGIN_X, 1.3, 0.9, 0.06)
CONTENT = Box(MARGIN_X, 1.62, CONTENT_W, 5.0)
FOOTER_LINE_Y = 6.88
FOOTER = Box(MARGIN_X, 6.93, CONTENT_W, 0.36)
#: Room under a chart picture for its source line.
SOURCE_H = 0.42


# ------------------------------------------------------------------------------------------
# Text boxes the writer fills, shared with the fitter so both measure the same space.

#: Default text-box insets (left, top, right, bottom) in inches, as PowerPoint sets them.
INSET = (0.1, 0.05, 0.1, 0.05)
TITLE_INSET = (0.0, 0.02, 0.0, 0.02)
CELL_MARGIN_X = 0.12
CELL_MARGIN_Y = 0.05

#: Bullet levels: (left margin in inches, size below the body size, line height factor,
#: space before as a fraction of the size). The first paragraph has no space before.
BULLET_LEVELS = ((0.32, 0, 1.25, 0.6), (0.74, 2, 1.2, 0.25))


def inner(box: Box, inset: tuple[float, float, float, float] = INSET) -> Box:
    left, top, right, bottom = inset
    return Box(box.x + left, box.y + top, box.w - left - right, box.h - top - bottom)


def chart_side(content: Box) -> tuple[Box, Box, Box]:
    """(chart area, takeaways panel, takeaways text box) of a chart slide with bullets."""
    chart, side = content.split_h(0.64)
    return chart, side, Box(side.x + 0.15, side.y + 0.2, side.w - 0.3, side.h - 0.4)


COLUMN_HEAD_H = 0.62


def column_boxes(content: Box, n: int, headed: bool) -> list[tuple[Box, Box]]:
    """(column, tallest possible text box) per column."""
    head = COLUMN_HEAD_H if headed else 0.0
    out = []
    for col in content.columns(n):
        panel = Box(col.x, col.y + head, col.w, content.h - head)
        out.append((col, Box(panel.x + 0.12, panel.y + 0.2, panel.w - 0.24, panel.h - 0.3)))
    return out


def column_text(panel: Box) -> Box:
    """The text box inside a column's panel."""
    return Box(panel.x + 0.12, panel.y + 0.2, panel.w - 0.24, panel.h - 0.3)


def quote_box(content: Box) -> Box:
    return Box(content.x + 0.8, content.y + 0.3, content.w - 1.6, content.h - 1.5)


def quote_by_box(content: Box) -> Box:
    return Box(content.x + 0.8, content.y + content.h - 1.1, content.w - 1.6, 0.6)


CHEVRON_H = 1.05


def flow_boxes(
    content: Box, n: int, has_details: bool, has_body: bool
) -> tuple[list[Box], list[Box], Box | None]:
    """(step boxes, detail text boxes, body text box) of a flow slide."""
    gap = -0.05  # chevrons nest into each other
    step_w = (content.w - gap * (n - 1)) / n
    steps = [Box(content.x + i * (step_w + gap), content.y, step_w, CHEVRON_H) for i in range(n)]
    below = max(0.0, content.h - CHEVRON_H - 0.2)  # room under the chevrons
    # With bullets under the flow the details get 1.9 in, or a little over half the room on
    # a short content area (a small template placeholder), so no box gets a negative height.
    detail_h = min(1.9, below * 0.55) if has_body else below
    details = [Box(s.x, content.y + CHEVRON_H + 0.2, step_w - 0.05, detail_h) for s in steps]
    body = None
    if has_body:
        top = content.y + CHEVRON_H + (0.2 + detail_h + 0.15 if has_details else 0.4)
        area = Box(content.x, top, content.w, max(0.2, content.y + content.h - top))
        body = Box(area.x + 0.2, area.y + 0.12, area.w - 0.4, area.h - 0.2)
    return steps, details, body


def caption_box(content: Box) -> Box:
    return Box(content.x, content.y + content.h - 0.42, content.w, 0.42)


# ------------------------------------------------------------------------------------------
# Starting text sizes (points) per box; the fitter shrinks from these, the writer uses the
# fitted size.

QUOTE_SIZE = 30


def takeaways_size(body_size: float) -> float:
    """Bullets beside a chart or under a flow."""
    return body_size - 2


def columns_size(body_size: float, n: int) -> float:
    return body_size - (2 if n == 2 else 4 if n == 3 else 6)


def flow_label_size(steps: int) -> int:
    """Chevron labels; step details start 2 pt smaller."""
    return 18 if steps <= 4 else 15
