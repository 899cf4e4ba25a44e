"""The deck's look: fonts, sizes and colours, with defaults that suit Japanese business decks."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .outline import ThemeSpec

DEFAULT_PALETTE = ("1F4E79", "4A90C2", "E0A526", "5BA55B", "8C6BB1", "9AA5B1")


@dataclass(frozen=True)
class Theme:
    latin: str = "Segoe UI"
    east_asian: str = "Meiryo"
    title_size: float = 30
    body_size: float = 24
    primary: str = "1F4E79"
    accent: str = "C00000"
    text: str = "262626"
    muted: str = "6B7280"
    background: str = "FFFFFF"
    palette: tuple[str, ...] = DEFAULT_PALETTE
    lang: str = "ja-JP"

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


def resolve_theme(spec: ThemeSpec | None) -> Theme:
    """Defaults overlaid with what the outline sets; unset keys keep their default."""
    theme = Theme()
    if spec is None:
        return theme
    changes: dict = {}
    if spec.fonts is not None:
        for key in ("latin", "east_asian", "title_size", "body_size"):
            value = getattr(spec.fonts, key)
            if value is not None:
                changes[key] = value
    if spec.colors is not None:
        for key in ("primary", "accent", "text", "background", "palette"):
            value = getattr(spec.colors, key)
            if value is not None:
                changes[key] = value
        if spec.colors.palette is None and spec.colors.primary is not None:
            changes["palette"] = (spec.colors.primary, *DEFAULT_PALETTE[1:])
    return replace(theme, **changes)
