"""Chart data as the plan holds it, and the pure transforms the planner applies to it.

Apart from data.py (which reads CSV, Excel and inline columns) so that what holds a
planned deck imports neither the outline's schema nor YAML: a process that only writes
a planned deck (build.py plans an edited deck in a forked child) needs these classes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .outline import ChartSpec


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class ChartData:
    """Categories along x, and one series of numbers per y column (None = missing)."""

    categories: tuple[str, ...]
    series: tuple[Series, ...]


def loose_key(name: str) -> str:
    """A header as compared loosely: NFKC (full-width to half-width), no spaces, no case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


def rebase(data: ChartData, base: float) -> ChartData:
    """Index each series to ``base`` at its first present value."""
    out = []
    for s in data.series:
        first = next(v for v in s.values if v is not None)
        out.append(Series(s.name, tuple(None if v is None else v / first * base for v in s.values)))
    return ChartData(data.categories, tuple(out))


def sort_by_value(data: ChartData, order: str, by: tuple[str, ...] = ()) -> ChartData:
    """Order categories by the sum of their values (of the series named in ``by``, when
    given); missing counts as 0."""
    counted = [s for s in data.series if not by or s.name in by]
    totals = [sum(s.values[i] or 0 for s in counted) for i in range(len(data.categories))]
    idx = sorted(range(len(totals)), key=lambda i: totals[i], reverse=(order == "desc"))
    return ChartData(
        tuple(data.categories[i] for i in idx),
        tuple(Series(s.name, tuple(s.values[i] for i in idx)) for s in data.series),
    )


def group_other(data: ChartData, percent: float, keep: str | None = None) -> ChartData:
    """A pie's small slices merged into one named その他, which goes last.

    Slices below ``percent`` of the total join その他 when there are at least two of them,
    or when the data has its own その他 row to take them (one small slice alone keeps its
    name: renaming it would hide what it is). ``keep`` (the highlight) is never merged.
    """
    from .outline import OTHER_LABEL

    values = data.series[0].values
    total = sum(v for v in values if v is not None)
    if total <= 0:
        return data
    own = [i for i, c in enumerate(data.categories) if c == OTHER_LABEL]
    small = [
        i
        for i, (c, v) in enumerate(zip(data.categories, values))
        if v is not None and v / total * 100 < percent and c != keep and i not in own
    ]
    if len(small) < 2 and not (small and own):
        small = []
    merged = set(small) | set(own)
    if not merged:
        return data
    kept = [i for i in range(len(values)) if i not in merged]
    other = sum(values[i] or 0.0 for i in merged)
    return ChartData(
        tuple(data.categories[i] for i in kept) + (OTHER_LABEL,),
        (Series(data.series[0].name, tuple(values[i] for i in kept) + (other,)),),
    )


def series_named(names: tuple[str, ...], wanted: str) -> str | None:
    """The series ``wanted`` names: exactly, else ignoring width, spaces and case."""
    if wanted in names:
        return wanted
    return next((n for n in names if loose_key(n) == loose_key(wanted)), None)


def transform(chart: ChartSpec, data: ChartData) -> ChartData:
    """Apply the chart's transforms in a fixed order: rebase, sort, then a pie's その他."""
    from .outline import DEFAULT_OTHER_PERCENT, PIE_KINDS

    if chart.rebase is not None:
        data = rebase(data, chart.rebase)
    if chart.sort is not None:  # a combo's bars decide: its lines may be another unit
        data = sort_by_value(data, chart.sort, chart.bars if chart.kind == "combo" else ())
    if chart.kind in PIE_KINDS:
        percent = DEFAULT_OTHER_PERCENT if chart.other is None else chart.other
        data = group_other(data, percent, chart.highlight)
    return data
