"""Charts as native PowerPoint charts: the same planned data, editable behind "Edit Data".

Styled to match the matplotlib pictures: theme palette, the highlight in the accent
colour, value labels or gridlines, the unit as the value-axis title, number formats with
thousands separators (or a % sign), the legend on top for several series, and the theme's
Latin and East Asian fonts in the chart's text properties.
"""

from __future__ import annotations

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..deck import PlannedChart
from ..layout import Box
from ..theme import Theme, tint
from .text import emu

CHART_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "barh": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "stacked_bar": XL_CHART_TYPE.COLUMN_STACKED,
}


def number_format(chart: PlannedChart, axis: bool = False) -> str:
    """Excel number format for labels (or, with ``axis``, for the value axis).

    Labels of mixed whole and fractional values use General, as the pictures do (121, 13.5).
    """
    decimals = 0 if axis else chart.decimals
    if decimals is None:
        values = [v for s in chart.data.series for v in s.values if v is not None]
        if all(abs(v - round(v)) < 1e-9 for v in values):
            decimals = 0
        elif all(abs(v) < 1000 for v in values):
            return 'General"%"' if chart.unit == "%" else "General"
        else:
            decimals = 1
    base = "#,##0" + ("." + "0" * decimals if decimals else "")
    return base + '"%"' if chart.unit == "%" else base


def _fonts(element, theme: Theme, size: float, color: str) -> None:
    """Give a txPr/defRPr the theme's Latin and East Asian faces (python-pptx sets latin only)."""
    for def_rpr in element.iter(qn("a:defRPr")):
        def_rpr.set("sz", str(int(size * 100)))
        def_rpr.set("lang", theme.lang)
        for tag in ("a:solidFill", "a:latin", "a:ea", "a:cs"):
            for old in def_rpr.findall(qn(tag)):
                def_rpr.remove(old)
        fill = etree.SubElement(def_rpr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", color)
        for tag, face in (("a:latin", theme.latin), ("a:ea", theme.east_asian),
                          ("a:cs", theme.latin)):
            etree.SubElement(def_rpr, qn(tag)).set("typeface", face)


def add_native_chart(slide, chart: PlannedChart, box: Box, theme: Theme):
    data = CategoryChartData(number_format=number_format(chart))
    data.categories = list(chart.data.categories)
    for series in chart.data.series:
        data.add_series(series.name, list(series.values))
    frame = slide.shapes.add_chart(CHART_TYPES[chart.kind], emu(box.x), emu(box.y),
                                   emu(chart.width), emu(chart.height), data)
    frame.name = f"Chart {chart.id}"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", chart.alt_text)
    c = frame.chart
    c.has_title = False  # the title is slide text above the chart, as for pictures
    c.font.size = Pt(12)
    _fonts(c._chartSpace.get_or_add_txPr(), theme, 12, theme.text)
    plot = c.plots[0]
    names = [s.name for s in chart.data.series]
    palette = ["#" + p for p in theme.palette]
    multi = len(names) > 1
    for i, series in enumerate(plot.series):
        color = palette[i % len(palette)]
        if chart.highlight in names:
            color = ("#" + theme.accent if names[i] == chart.highlight
                     else "#" + tint(palette[i % len(palette)][1:], 0.15))
        rgb = RGBColor.from_string(color[1:])
        if chart.kind == "line":
            series.format.line.color.rgb = rgb
            series.format.line.width = Pt(3.2 if names[i] == chart.highlight else 2.2)
            series.smooth = False
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = rgb
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb
            if not multi and chart.highlight in chart.data.categories:
                for j, category in enumerate(chart.data.categories):
                    point = series.points[j]
                    point.format.fill.solid()
                    point.format.fill.fore_color.rgb = RGBColor.from_string(
                        theme.accent if category == chart.highlight
                        else tint(theme.palette[0], 0.45))
    if chart.kind in ("bar", "barh", "stacked_bar"):
        plot.gap_width = 60
        if chart.kind == "stacked_bar":
            plot.overlap = 100
    if chart.kind != "stacked_bar" and len(chart.data.categories) * len(names) <= 16:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = number_format(chart)
        labels.number_format_is_linked = False
        labels.font.size = Pt(12)
        if chart.kind != "line":
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        else:
            labels.position = XL_LABEL_POSITION.ABOVE
    values = c.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor.from_string(tint(theme.text, 0.88))
    values.tick_labels.number_format = number_format(chart, axis=True)
    values.tick_labels.number_format_is_linked = False
    values.format.line.fill.background()
    if chart.unit and chart.unit != "%":
        values.has_title = True
        values.axis_title.text_frame.text = f"（{chart.unit}）"
        _fonts(values.axis_title._title, theme, 12, theme.muted)
    if chart.kind == "barh":
        c.category_axis.reverse_order = True  # first category on top, as in the picture
    if multi:
        c.has_legend = True
        c.legend.position = XL_LEGEND_POSITION.TOP
        c.legend.include_in_layout = False
    else:
        c.has_legend = False
    return frame
