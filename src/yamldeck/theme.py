"""The deck's look: fonts, sizes and colours, with defaults that suit Japanese business decks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Diagnostic, did_you_mean, warning

if TYPE_CHECKING:
    from .outline import ThemeSpec
    from .templates import TemplateInfo

DEFAULT_PALETTE = ("1F4E79", "4A90C2", "E0A526", "5BA55B", "8C6BB1", "9AA5B1")


@dataclass(frozen=True)
class Theme:
    latin: str = "Segoe UI"
    east_asian: str = "Meiryo"
    title_size: float = 30
    body_size: float = 24
    min_title_size: float = 24  # the fitter shrinks no further, then breaks or splits
    min_body_size: float = 14
    primary: str = "1F4E79"
    accent: str = "C00000"
    text: str = "262626"
    muted: str = "6B7280"
    background: str = "FFFFFF"
    palette: tuple[str, ...] = DEFAULT_PALETTE
    lang: str = "ja-JP"
    footer: str | None = None
    slide_numbers: bool = True
    logo: str | None = None  # absolute path
    logo_corner: str = "top-right"
    logo_width: float = 1.2

    @property
    def light(self) -> str:
        """A pale tint of the primary colour, for table bands and panels."""
        return tint(self.primary, 0.9)

    @property
    def rule(self) -> str:
        return tint(self.text, 0.8)


def tint(hex_rgb: str, amount: float) -> str:
    """Mix a colour with white; amount 0 keeps it, 1 gives white."""
    rgb = [int(hex_rgb[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "".join(f"{c:02X}" for c in mixed)


def theme_from_template(info: TemplateInfo) -> Theme:
    """The template's own colours and fonts as the defaults a deck starts from."""
    base = Theme()
    colors, fonts = info.colors, info.fonts
    accents = tuple(colors[f"accent{i}"] for i in range(1, 7) if f"accent{i}" in colors)
    return replace(
        base,
        latin=fonts.get("minor_latin") or base.latin,
        east_asian=fonts.get("minor_ea") or base.east_asian,
        primary=colors.get("accent1", base.primary),
        accent=colors.get("accent2", base.accent),
        text=colors.get("dk1", base.text),
        background=colors.get("lt1", base.background),
        palette=accents or base.palette,
    )


def resolve_theme(
    spec: ThemeSpec | None, base: Theme | None = None, base_dir: Path | None = None
) -> Theme:
    """``base`` (the built-in defaults, or the template's) overlaid with what the outline sets."""
    theme = base or Theme()
    if spec is None:
        return theme
    changes: dict = {}
    if spec.fonts is not None:
        for key in (
            "latin",
            "east_asian",
            "title_size",
            "body_size",
            "min_title_size",
            "min_body_size",
        ):
            value = getattr(spec.fonts, key)
            if value is not None:
                changes[key] = value
    if spec.colors is not None:
        for key in ("primary", "accent", "text", "background", "palette"):
            value = getattr(spec.colors, key)
            if value is not None:
                changes[key] = value
        if spec.colors.palette is None and spec.colors.primary is not None:
            changes["palette"] = (spec.colors.primary, *theme.palette[1:])
    if spec.footer is not None:
        changes["footer"] = spec.footer
    if spec.slide_numbers is not None:
        changes["slide_numbers"] = spec.slide_numbers
    if spec.logo is not None:
        folder = base_dir or Path(".")
        changes.update(
            logo=str((folder / spec.logo.image).resolve()),
            logo_corner=spec.logo.corner,
            logo_width=spec.logo.width,
        )
    return replace(theme, **changes)


#: Fonts a deck can name and expect its audience to have (Windows, macOS, Office, Google).
#: A name outside this list still works; it only earns a warning, since a typo silently
#: falls back to another font on the viewer's machine.
KNOWN_FONTS = frozenset(
    name.casefold()
    for name in (
        # Japanese
        "Meiryo",
        "Meiryo UI",
        "メイリオ",
        "Yu Gothic",
        "Yu Gothic UI",
        "游ゴシック",
        "游ゴシック体",
        "Yu Mincho",
        "游明朝",
        "BIZ UDPGothic",
        "BIZ UDGothic",
        "BIZ UDPゴシック",
        "BIZ UDゴシック",
        "BIZ UDPMincho",
        "BIZ UDMincho",
        "MS Gothic",
        "MS PGothic",
        "MS UI Gothic",
        "ＭＳ ゴシック",
        "ＭＳ Ｐゴシック",
        "MS Mincho",
        "MS PMincho",
        "ＭＳ 明朝",
        "ＭＳ Ｐ明朝",
        "Hiragino Sans",
        "Hiragino Kaku Gothic ProN",
        "Hiragino Kaku Gothic Pro",
        "ヒラギノ角ゴシック",
        "ヒラギノ角ゴ ProN",
        "Hiragino Mincho ProN",
        "ヒラギノ明朝 ProN",
        "Noto Sans JP",
        "Noto Serif JP",
        "Noto Sans CJK JP",
        "Source Han Sans",
        "源ノ角ゴシック",
        "IPAexGothic",
        "IPAexMincho",
        "UD Digi Kyokasho N",
        "UD デジタル 教科書体 N",
        # Latin
        "Segoe UI",
        "Segoe UI Semibold",
        "Arial",
        "Arial Narrow",
        "Calibri",
        "Calibri Light",
        "Aptos",
        "Aptos Display",
        "Cambria",
        "Candara",
        "Consolas",
        "Corbel",
        "Georgia",
        "Helvetica",
        "Helvetica Neue",
        "Verdana",
        "Tahoma",
        "Trebuchet MS",
        "Times New Roman",
        "Century Gothic",
        "Franklin Gothic",
        "Gill Sans",
        "Avenir",
        "Avenir Next",
        "Futura",
        "Roboto",
        "Open Sans",
        "Lato",
        "Noto Sans",
        "Inter",
        "Source Sans Pro",
        "DejaVu Sans",
        "Liberation Sans",
    )
)


def theme_warnings(spec: ThemeSpec | None) -> list[Diagnostic]:
    """Warn about font names no audience is likely to have (usually a typo)."""
    if spec is None or spec.fonts is None:
        return []
    out = []
    for key in ("latin", "east_asian"):
        name = getattr(spec.fonts, key)
        if name is None or name.casefold() in KNOWN_FONTS:
            continue
        hint = did_you_mean(name, _DISPLAY_NAMES) or (
            "viewers without this font see a substitute; pick a common font such as "
            "Meiryo, Yu Gothic or BIZ UDPGothic"
        )
        out.append(
            warning(spec.fonts.where[key], f"theme.fonts.{key}", f"unknown font '{name}'", hint)
        )
    return out


_DISPLAY_NAMES = (
    "Meiryo",
    "Meiryo UI",
    "Yu Gothic",
    "BIZ UDPGothic",
    "Hiragino Sans",
    "Noto Sans JP",
    "Segoe UI",
    "Arial",
    "Calibri",
    "Aptos",
    "Helvetica",
)


# ------------------------------------------------------------------------------------------
# Colour on a background: what yamldeck draws must stay readable on a template's dark slides.

#: WCAG contrast ratios: body text, and large text (titles, ≥ 18 pt bold or ≥ 24 pt).
BODY_CONTRAST = 4.5
LARGE_CONTRAST = 3.0


def mix(a: str, b: str, amount: float) -> str:
    """``a`` moved ``amount`` of the way towards ``b`` (RRGGBB strings)."""
    ca = [int(a[i : i + 2], 16) for i in (0, 2, 4)]
    cb = [int(b[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(x + (y - x) * amount):02X}" for x, y in zip(ca, cb, strict=True))


def luminance(hex_rgb: str) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_rgb[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(hex_rgb: str) -> bool:
    """Dark enough that white reads better on it than black."""
    return contrast(hex_rgb, "FFFFFF") > contrast(hex_rgb, "000000")


def readable(color: str, background: str, ratio: float = BODY_CONTRAST) -> str:
    """``color``, or the nearest mix of it towards white or black that reaches ``ratio``
    against ``background``."""
    if contrast(color, background) >= ratio:
        return color
    target = "FFFFFF" if is_dark(background) else "000000"
    for step in range(1, 21):
        candidate = mix(color, target, step / 20)
        if contrast(candidate, background) >= ratio:
            return candidate
    return target


def readable_on(color: str, backgrounds: tuple[str, ...], ratio: float = BODY_CONTRAST) -> str:
    """``color``, or the nearest mix of it towards white or black that reaches ``ratio`` on
    every one of ``backgrounds`` (text on a slide and on a panel of it); when no mix does
    (a mid-grey slide), white or black, whichever reads better on the worse background."""
    if all(contrast(color, b) >= ratio for b in backgrounds):
        return color
    found = []
    for target in ("FFFFFF", "000000"):
        for step in range(1, 21):
            candidate = mix(color, target, step / 20)
            if all(contrast(candidate, b) >= ratio for b in backgrounds):
                found.append((step, candidate))
                break
    if found:
        return min(found)[1]
    return max(("FFFFFF", "000000"), key=lambda t: min(contrast(t, b) for b in backgrounds))


@dataclass(frozen=True)
class Ink:
    """The colours yamldeck draws with on one background."""

    background: str
    text: str
    muted: str
    rule: str
    panel: str  # light panels behind takeaways, columns, table bands
    primary: str  # titles and headings drawn by yamldeck, bullets' squares
    grid: str


def _panel(bg: str) -> str:
    """A panel on a dark slide: a little lighter, but still dark, so that the text on it is
    light like the slide's (on a mid slate, 12 % lighter would take black text)."""
    for share in (0.12, 0.09, 0.06):
        panel = mix(bg, "FFFFFF", share)
        if is_dark(panel):
            return panel
    return mix(bg, "000000", 0.15)


def ink_for(theme: Theme, background: str | None = None) -> Ink:
    """The theme's colours, made readable on ``background`` (default: the theme's own)."""
    bg = background or theme.background
    if bg == theme.background and not is_dark(bg):
        # The built-in look: the theme's colours as they are.
        return Ink(
            bg,
            theme.text,
            theme.muted,
            theme.rule,
            theme.light,
            theme.primary,
            tint(theme.text, 0.88),
        )
    panel = _panel(bg) if is_dark(bg) else mix(theme.primary, bg, 0.9)
    text = readable_on(theme.text, (bg, panel))
    muted = readable_on(theme.muted, (bg, panel))
    return Ink(
        bg,
        text,
        muted,
        mix(text, bg, 0.6),
        panel,
        readable(theme.primary, bg, LARGE_CONTRAST),
        mix(text, bg, 0.8),
    )


def template_overrides(base: Theme, theme: Theme) -> list[str]:
    """The template's fonts and colours that the outline's ``theme:`` replaced, as
    ``key template → outline`` strings (only keys it set and that differ)."""
    out = []
    for key in ("latin", "east_asian", "primary", "accent", "text", "background"):
        old, new = getattr(base, key), getattr(theme, key)
        if old != new:
            out.append(f"{key} {old} → {new}")
    return out
