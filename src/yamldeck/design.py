"""Which layout each slide uses, and where its title and content go on that layout.

Without a template the built-in 16:9 grid is used for every layout. With a template, the
layouts are found by name (the `layouts:` map, then Office's English and Japanese names),
and each layout's placeholders give the title box and the content area; a name that does
not exist is an error at the line that asked for it, listing the layouts that do.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import layout
from .errors import Diagnostic, Severity, did_you_mean, error
from .layout import Box

if TYPE_CHECKING:
    from .outline import Outline
    from .templates import LayoutInfo, TemplateInfo, TextStyles

#: python-pptx's default template, on which the built-in design is drawn.
BUILTIN_LAYOUTS = (
    "Title Slide",
    "Title and Content",
    "Section Header",
    "Two Content",
    "Comparison",
    "Title Only",
    "Blank",
    "Content with Caption",
    "Picture with Caption",
    "Title and Vertical Text",
    "Vertical Title and Text",
)

#: Layout names tried for each slide kind, in order (Office's English and Japanese names).
DEFAULT_LAYOUTS = {
    "title": ("Title Slide", "タイトル スライド", "タイトルスライド"),
    "section": ("Section Header", "セクション見出し", "セクション ヘッダー"),
    "agenda": (
        "Title and Content",
        "タイトルとコンテンツ",
        "タイトルと本文",
        "Title Only",
        "タイトルのみ",
    ),
    "bullets": (
        "Title and Content",
        "タイトルとコンテンツ",
        "タイトルと本文",
        "Title Only",
        "タイトルのみ",
    ),
}
CONTENT_ONLY = ("Title Only", "タイトルのみ", "Blank", "白紙")
BUILTIN_CHOICE = {"title": "Title Slide", "section": "Section Header"}


@dataclass(frozen=True)
class Frame:
    """Where things go on one layout, in inches, and what the layout offers."""

    title: Box | None  # the title's box (placeholder, or where yamldeck draws one)
    content: Box
    body_idx: int | None = None  # a body placeholder that bullets can fill (templates only)
    key: tuple[int, int] = (0, 5)  # (master, layout) index in the presentation
    title_idx: int | None = 0  # the title placeholder; None: yamldeck draws the title
    title_type: str = "title"
    subtitle_idx: int | None = None
    footers: tuple[tuple[str, int], ...] = ()  # (type, idx) of ftr/sldNum placeholders
    footer_boxes: tuple[tuple[str, Box], ...] = ()  # their boxes
    footer_size: float = 12.0  # the template's footer text size
    subtitle: Box | None = None
    subtitle_size: float | None = None
    footer_zone: Box | None = None  # where yamldeck draws its own footer when needed
    title_size: float | None = None  # the template's title size on this layout
    body_sizes: tuple[float, float] | None = None
    background: str | None = None  # RRGGBB behind the content; None: the theme's
    cover: bool = False


#: python-pptx's default template: layout name → index (one master).
BUILTIN_KEYS = {name: (0, i) for i, name in enumerate(BUILTIN_LAYOUTS)}
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

    def frame(self, name: str, kind: str = "") -> Frame:
        """The frame of layout ``name``; a cover layout used for another kind than the title
        slide gets a drawn title at the top and content below it."""
        found = self.frames.get(name)
        if found is None:
            key = BUILTIN_KEYS.get(name, (0, 5))
            subtitle = 1 if name == "Title Slide" else None
            return replace(
                BUILTIN_FRAME,
                key=key,
                subtitle_idx=subtitle,
                title_type="ctrTitle" if name == "Title Slide" else "title",
            )
        if found.cover and kind not in ("", "title"):
            return cover_as_content(found, self.width, self.height)
        return found


def cover_as_content(frame: Frame, width: float, height: float) -> Frame:
    """A cover layout (the only one a template has) used for content: its placeholders are
    left out, the title is drawn at the top and content fills the room below it."""
    margin = width * layout.MARGIN_X / layout.SLIDE_W
    top = height * 0.05
    title = Box(margin, top, width - 2 * margin, height * 0.12)
    bottom = (frame.footer_zone.y - 0.1) if frame.footer_zone else height - 0.5
    y = title.y + title.h + 0.2
    content = usable(
        Box(margin, y, width - 2 * margin, max(bottom - y, height * 0.3)), width, height
    )
    return replace(
        frame,
        title=title,
        content=content,
        body_idx=None,
        title_idx=None,
        subtitle_idx=None,
        cover=False,
        subtitle=None,
    )


def frame_from_layout(lay: LayoutInfo, width: float, height: float) -> Frame:
    """Title box from the title placeholder; content from the body placeholder or below."""
    title_ph = lay.find("title", "ctrTitle")
    title = title_ph.box if title_ph else None
    body = lay.find("body", "obj")
    subtitle = lay.find("subTitle")
    footers = tuple((p.type, p.idx) for p in lay.placeholders if p.type in ("ftr", "sldNum"))
    footer_boxes = tuple(
        (p.type, p.box)
        for p in lay.placeholders
        if p.type in ("ftr", "sldNum") and p.box is not None
    )
    own_zone = [
        p.box
        for p in lay.placeholders
        if p.type in ("dt", "ftr", "sldNum") and p.box and p.box.y > height / 2
    ]
    zone = lay.footer_zone
    if own_zone:
        x0 = min(b.x for b in own_zone)
        y0 = min(b.y for b in own_zone)
        x1 = max(b.x + b.w for b in own_zone)
        y1 = max(b.y + b.h for b in own_zone)
        zone = Box(x0, y0, x1 - x0, y1 - y0)
    if zone is None or zone.y < height * 0.75:
        margin = width * layout.MARGIN_X / layout.SLIDE_W
        strip = min(0.4, height * 0.06)
        zone = Box(margin, height - strip - 0.08, width - 2 * margin, strip)
    common: dict[str, Any] = dict(
        key=lay.key,
        title_idx=title_ph.idx if title_ph else None,
        title_type=title_ph.type if title_ph else "title",
        subtitle_idx=subtitle.idx if subtitle else None,
        footers=footers,
        footer_zone=zone,
        title_size=lay.title_size,
        body_sizes=lay.body_sizes,
        background=lay.background,
        cover=lay.is_cover,
        footer_boxes=footer_boxes,
        footer_size=lay.footer_size or 12.0,
        subtitle=subtitle.box if subtitle else None,
        subtitle_size=lay.subtitle_size,
    )
    if title is None or title.w <= 0 or title.h <= 0:
        margin = width * layout.MARGIN_X / layout.SLIDE_W
        title = Box(margin, height * 0.05, width - 2 * margin, height * 0.12)
        common["title_idx"] = None
    if body is not None and body.box is not None and body.box.h > 0.5:
        content = body.box
        if content.y + content.h > zone.y:  # never into the footer zone
            content = Box(content.x, content.y, content.w, max(zone.y - 0.05 - content.y, 0))
        return Frame(title, usable(content, width, height), body.idx, **common)
    top = title.y + title.h + 0.15
    bottom = zone.y - 0.1
    x, w = title.x, title.w
    return Frame(
        title, usable(Box(x, top, w, max(bottom - top, height * 0.3)), width, height), **common
    )


#: The smallest content area charts, tables and columns are planned in (inches): a
#: template's box that is smaller (a hairline placeholder, a title off the slide) is grown
#: to this, inside the slide, so no picture is planned at zero or negative size.
MIN_CONTENT = (3.0, 1.5)


def usable(box: Box, width: float, height: float) -> Box:
    w, h = max(box.w, min(MIN_CONTENT[0], width)), max(box.h, min(MIN_CONTENT[1], height))
    if (w, h) == (box.w, box.h):
        return box
    return Box(min(max(box.x, 0.0), width - w), min(max(box.y, 0.0), height - h), w, h)


def _signature_choice(kind: str, info: TemplateInfo) -> LayoutInfo | None:
    """A layout for ``kind`` by what its placeholders are, when no name matched."""
    lays = list(info.layouts)
    covers = [lay for lay in lays if lay.is_cover]
    others = [lay for lay in lays if not lay.is_cover]

    def has(lay: LayoutInfo, *types: str) -> bool:
        return lay.find(*types) is not None

    def area(lay: LayoutInfo) -> float:
        body = lay.find("body", "obj")
        return body.box.w * body.box.h if body and body.box else 0.0

    with_body = sorted(
        (
            lay
            for lay in others
            if has(lay, "title")
            and has(lay, "body", "obj")
            and sum(p.type in ("body", "obj", "pic", "chart", "tbl") for p in lay.placeholders) == 1
        ),
        key=lambda lay: -area(lay),
    )
    title_only = [
        lay
        for lay in others
        if has(lay, "title") and not has(lay, "body", "obj", "pic", "chart", "tbl", "subTitle")
    ]
    if kind == "title":
        return next(iter(covers + with_body + title_only + others), None)
    if kind in ("bullets", "agenda"):
        return next(iter(with_body + title_only + others + covers), None)
    if kind == "section":
        # Office's Section Header: a title and a text (body, not content) placeholder.
        # Its text box is small (a line under the title), unlike a vertical-text layout's.
        headers = sorted(
            (lay for lay in with_body if lay.find("body") is not None and lay.find("obj") is None),
            key=area,
        )
        return next(iter(headers + title_only + with_body + others + covers), None)
    return next(iter(title_only + with_body + others + covers), None)


def resolve_design(
    outline: Outline, info: TemplateInfo | None, template_path: str | None
) -> tuple[Design, list[Diagnostic]]:
    """The layout of each slide kind: by name (the ``layouts:`` map, then Office's English
    and Japanese names), else by placeholder signature, with a note naming the choice."""
    available = info.layout_names if info else list(BUILTIN_LAYOUTS)
    listing = "layouts: " + ", ".join(available)
    problems: list[Diagnostic] = []
    chosen: dict[str, str] = {}
    asked = outline.layouts.names if outline.layouts else {}
    where = outline.where.get("template", outline.pos)
    by_signature: dict[tuple[str, str], list[str]] = {}
    from .outline import SLIDE_KINDS, iter_slides  # planning only (see chartdata.py)

    for kind in SLIDE_KINDS:
        if kind in asked:
            name = asked[kind]
            if name in available:
                chosen[kind] = name
            else:
                pos = outline.layouts.where[kind]  # type: ignore[union-attr]
                problems.append(
                    error(
                        pos,
                        f"layouts.{kind}",
                        f"no layout named '{name}'",
                        did_you_mean(name, available) or listing,
                    )
                )
            continue
        if info is None:
            chosen[kind] = BUILTIN_CHOICE.get(kind, "Title Only")
            continue
        names = DEFAULT_LAYOUTS.get(kind, ()) + CONTENT_ONLY
        found = next(
            (
                n
                for n in names
                if n in available
                and not (kind != "title" and getattr(info.layout(n), "is_cover", False))
            ),
            None,
        )
        if found is not None:
            chosen[kind] = found
            continue
        lay = _signature_choice(kind, info)
        if lay is None:
            problems.append(error(where, "template", f"no layout for {kind} slides", listing))
            continue
        chosen[kind] = lay.name
        how = (
            "its only kind of layout, a cover: yamldeck draws the title and content on it"
            if lay.is_cover and kind != "title"
            else "chosen by its placeholders"
        )
        by_signature.setdefault((lay.name, how), []).append(kind)
    for (name, how), kinds in by_signature.items():
        problems.append(
            Diagnostic(
                where,
                f"{', '.join(kinds)} slides use layout '{name}' ({how})",
                "template",
                "name a layout with layouts: to choose another",
                Severity.NOTE,
            )
        )
    for path, slide in iter_slides(outline):
        if slide.layout is not None and slide.layout not in available:
            problems.append(
                error(
                    slide.where["layout"],
                    f"{path}.layout",
                    f"no layout named '{slide.layout}'",
                    did_you_mean(slide.layout, available) or listing,
                )
            )
    for i, section in enumerate(outline.sections or ()):
        if section.layout is not None and section.layout not in available:
            problems.append(
                error(
                    section.where["layout"],
                    f"sections[{i}].layout",
                    f"no layout named '{section.layout}'",
                    did_you_mean(section.layout, available) or listing,
                )
            )
    if info is None:
        return Design(kind_layouts=chosen), problems
    frames: dict[str, Frame] = {}
    for lay in info.layouts:  # a name in two masters: the first master's layout
        frames.setdefault(lay.name, frame_from_layout(lay, info.width, info.height))
    return Design(info.width, info.height, template_path, chosen, frames, info.text), problems
