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
        return (Box(self.x, self.y, left_w, self.h),
                Box(self.x + left_w + gap, self.y, self.w - left_w - gap, self.h))

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
