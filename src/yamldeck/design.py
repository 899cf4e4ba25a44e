"""Which layout each slide uses, and where its title and content go on that layout.

Without a template the built-in 16:9 grid is used for every layout. With a template, the
layouts are found by name (the `layouts:` map, then Office's English and Japanese names),
and each layout's placeholders give the title box and the content area; a name that does
not exist is an error at the line that asked for it, listing the layouts that do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import layout
from .errors import Diagnostic, did_you_mean, error
from .layout import Box
from .outline import SLIDE_KINDS, Outline, iter_slides
from .templates import LayoutInfo, TemplateInfo, TextStyles

#: python-pptx's default template, on which the built-in design is drawn.
BUILTIN_LAYOUTS = ("Title Slide", "Title and Content", "Section Header", "Two Content",
                   "Comparison", "Title Only", "Blank", "Content with Caption",
                   "Picture with Caption", "Title and Vertical Text", "Vertical Title and Text")

#: Layout names tried for each slide kind, in order (Office's English and Japanese names).
DEFAULT_LAYOUTS = {
    "title": ("Title Slide", "タイトル スライド", "タイトルスライド"),
    "section": ("Section Header", "セクション見出し", "セクション ヘッダー"),
    "agenda": ("Title and Content", "タイトルとコンテンツ", "タイトルと本文", "Title Only",
               "タイトルのみ"),
    "bullets": ("Title and Content", "タイトルとコンテンツ", "タイトルと本文", "Title Only",
                "タイトルのみ"),
}
CONTENT_ONLY = ("Title Only", "タイトルのみ", "Blank", "白紙")
BUILTIN_CHOICE = {"title": "Title Slide", "section": "Section Header"}


@dataclass(frozen=True)
class Frame:
    """Where things go on one layout, in inches."""

    title: Box | None  # None: the layout has no title placeholder
    content: Box
    body_idx: int | None = None  # a body placeholder that bullets can fill (templates only)


BUILTIN_FRAME = Frame(layout.TITLE, layout.CONTENT)


@dataclass(frozen=True)
class Design:
    width: float = layout.SLIDE_W
    height: float = layout.SLIDE_H
    template: str | None = None  # absolute path of the template, None for the built-in look
    kind_layouts: dict[str, str] = field(default_factory=dict)
    frames: dict[str, Frame] = field(default_factory=dict)
    text: TextStyles | None = None  # the template's text styles, to measure placeholders

    def layout_for(self, kind: str, override: str | None = None) -> str:
        if override:
            return override
        if kind in self.kind_layouts:
            return self.kind_layouts[kind]
        return BUILTIN_CHOICE.get(kind, "Title Only")

    def frame(self, name: str) -> Frame:
        return self.frames.get(name, BUILTIN_FRAME)


def frame_from_layout(lay: LayoutInfo, width: float, height: float) -> Frame:
    """Title box from the title placeholder; content from the body placeholder or below."""
    title_ph = lay.find("title", "ctrTitle")
    title = title_ph.box if title_ph else None
    body = lay.find("body", "obj")
    if body is not None and body.box is not None:
        return Frame(title, usable(body.box, width, height), body.idx)
    margin = width * layout.MARGIN_X / layout.SLIDE_W
    top = (title.y + title.h + 0.15) if title else height * 0.2
    footers = [p.box.y for p in lay.placeholders
               if p.type in ("dt", "ftr", "sldNum") and p.box and p.box.y > height / 2]
    bottom = (min(footers) - 0.1) if footers else height - 0.5
    x, w = (title.x, title.w) if title else (margin, width - 2 * margin)
    return Frame(title, usable(Box(x, top, w, max(bottom - top, height * 0.3)), width, height))


#: The smallest content area charts, tables and columns are planned in (inches): a
#: template's box that is smaller (a hairline placeholder, a title off the slide) is grown
#: to this, inside the slide, so no picture is planned at zero or negative size.
MIN_CONTENT = (3.0, 1.5)


def usable(box: Box, width: float, height: float) -> Box:
    w, h = max(box.w, min(MIN_CONTENT[0], width)), max(box.h, min(MIN_CONTENT[1], height))
    if (w, h) == (box.w, box.h):
        return box
    return Box(min(max(box.x, 0.0), width - w), min(max(box.y, 0.0), height - h), w, h)


def resolve_design(outline: Outline, info: TemplateInfo | None,
                   template_path: str | None) -> tuple[Design, list[Diagnostic]]:
    available = info.layout_names if info else list(BUILTIN_LAYOUTS)
    listing = "layouts: " + ", ".join(available)
    problems: list[Diagnostic] = []
    chosen: dict[str, str] = {}
    asked = outline.layouts.names if outline.layouts else {}
    for kind in SLIDE_KINDS:
        if kind in asked:
            name = asked[kind]
            if name in available:
                chosen[kind] = name
            else:
                pos = outline.layouts.where[kind]  # type: ignore[union-attr]
                problems.append(error(pos, f"layouts.{kind}", f"no layout named '{name}'",
                                      did_you_mean(name, available) or listing))
            continue
        for name in DEFAULT_LAYOUTS.get(kind, ()) + CONTENT_ONLY:
            if name in available:
                chosen[kind] = name if info else BUILTIN_CHOICE.get(kind, "Title Only")
                break
        else:
            with_title = [lay.name for lay in (info.layouts if info else ())
                          if lay.find("title", "ctrTitle")]
            if with_title:
                chosen[kind] = with_title[0]
            else:
                pos = outline.where.get("template", outline.pos)
                problems.append(error(pos, "template", f"no layout for {kind} slides", listing))
    for path, slide in iter_slides(outline):
        if slide.layout is not None and slide.layout not in available:
            problems.append(error(slide.where["layout"], f"{path}.layout",
                                  f"no layout named '{slide.layout}'",
                                  did_you_mean(slide.layout, available) or listing))
    for i, section in enumerate(outline.sections or ()):
        if section.layout is not None and section.layout not in available:
            problems.append(error(section.where["layout"], f"sections[{i}].layout",
                                  f"no layout named '{section.layout}'",
                                  did_you_mean(section.layout, available) or listing))
    if info is None:
        return Design(kind_layouts=chosen), problems
    frames = {lay.name: frame_from_layout(lay, info.width, info.height) for lay in info.layouts}
    return Design(info.width, info.height, template_path, chosen, frames, info.text), problems
