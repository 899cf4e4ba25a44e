"""The build as named stages: load → check data → plan → render charts → write.

``check_deck`` runs the stages that need neither matplotlib nor python-pptx; ``build_deck``
adds rendering and writing and imports those libraries only then.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .deck import ChartSlide, Deck, plan_deck
from .errors import Diagnostic, Pos, error
from .outline import load_outline


@dataclass
class BuildResult:
    source: str
    output: Path | None = None
    deck: Deck | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.deck is not None and not any(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


@dataclass(frozen=True)
class BuildOptions:
    """How one build departs from the outline as written (one meeting's variant)."""

    overlays: tuple[Path, ...] = ()
    sets: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()


def check_deck(path: Path, display: str | None = None,
               options: BuildOptions = BuildOptions()) -> BuildResult:
    """Load, validate and plan one outline without writing anything."""
    from .cut import cut_outline
    from .data import load_chart_data
    from .design import resolve_design
    from .templates import TemplateError, read_template
    from .theme import resolve_theme, theme_from_template, theme_warnings

    result = BuildResult(source=display or str(path))
    outline, problems = load_outline(path, result.source, options.overlays, options.sets)
    result.diagnostics.extend(problems)
    if outline is None:
        return result
    result.diagnostics.extend(theme_warnings(outline.theme))
    data, problems = load_chart_data(outline)
    result.diagnostics.extend(problems)
    info, template = None, None
    if outline.template is not None and not any(d.is_error for d in result.diagnostics):
        template = str((outline.base_dir / outline.template).resolve())
        try:
            info = read_template(Path(template))
        except TemplateError as exc:
            result.diagnostics.append(error(outline.where["template"], "template",
                                            f"cannot use '{outline.template}': {exc}",
                                            "save the template from PowerPoint as .pptx"))
    if any(d.is_error for d in result.diagnostics):
        return result
    design, problems = resolve_design(outline, info, template)
    result.diagnostics.extend(problems)
    cut, problems = cut_outline(outline, options.only, options.skip)
    result.diagnostics.extend(problems)
    if any(d.is_error for d in result.diagnostics):
        return result
    base = theme_from_template(info) if info else None
    theme = resolve_theme(outline.theme, base, outline.base_dir)
    result.deck = plan_deck(cut, data, design, theme)
    return result


def render_charts(deck: Deck) -> dict:
    from .charts import render_chart

    return {
        s.chart: render_chart(s.chart, deck.theme)
        for s in deck.slides
        if isinstance(s, ChartSlide) and s.chart is not None
    }


def build_deck(path: Path, output: Path, display: str | None = None,
               options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build one outline into ``output``; on any error the existing output is left untouched."""
    result = check_deck(path, display, options)
    if not result.ok or result.deck is None:
        return result
    from .templates import TemplateError
    from .writer import write_pptx

    try:
        data = write_pptx(result.deck, render_charts(result.deck))
    except TemplateError as exc:
        result.diagnostics.append(error(Pos(result.deck.design.template or ""), "template",
                                        f"cannot use this template: {exc}",
                                        "open it in PowerPoint and save it again as .pptx"))
        return result
    atomic_write(output, data)
    result.output = output
    return result


def atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
