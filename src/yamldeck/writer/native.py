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
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.oxml.ns import qn
from pptx.util import Pt

from .. import chartstyle as style
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
    """Excel number format for value labels (or, with ``axis``, for the value axis ticks),
    with the decimals the picture shows."""
    decimals = style.value_axis(chart).decimals if axis else style.value_decimals(chart)
    return style.excel_format(chart.unit, decimals)


def _positive_axis_ids(chart_space) -> None:
    """python-pptx's templates give bar charts negative axis ids; the schema wants unsigned
    ints. Renumber every axis 1, 2, … in order of appearance, references included."""
    ids: dict[str, str] = {}
    for element in chart_space.iter(qn("c:axId"), qn("c:crossAx")):
        old = element.get("val")
        ids.setdefault(old, str(len(ids) + 1))
        element.set("val", ids[old])


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
    colors = style.series_colors(chart, theme)
    per_category = style.category_colors(chart, theme)
    for i, series in enumerate(plot.series):
        rgb = RGBColor.from_string(colors[i])
        if chart.kind == "line":
            series.format.line.color.rgb = rgb
            series.format.line.width = Pt(3.2 if series.name == chart.highlight else 2.2)
            series.smooth = False
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = rgb
            series.marker.format.line.color.rgb = rgb
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb
            for j, color in enumerate(per_category or []):
                point = series.points[j]
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = RGBColor.from_string(color)
    if chart.kind in ("bar", "barh", "stacked_bar"):
        plot.gap_width = 60
        if chart.kind == "stacked_bar":
            plot.overlap = 100
    if chart.kind == "line":
        _label_line_ends(plot, chart)
    elif chart.kind != "stacked_bar" and style.shows_value_labels(chart):
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = number_format(chart)
        labels.number_format_is_linked = False
        labels.font.size = Pt(style.VALUE_PT)
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    _value_axis(c.value_axis, chart, theme)
    categories = c.category_axis
    # Category labels at the bottom (left) of the plot, as in the picture, even where the
    # axis itself crosses at 0 between negative and positive values.
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    for axis in (categories, c.value_axis):
        axis.major_tick_mark = XL_TICK_MARK.NONE  # the picture has none
    shown = style.category_labels(chart)
    if shown.step > 1:  # PowerPoint can skip evenly only; the last label may then go
        skip = etree.SubElement(categories._element, qn("c:tickLblSkip"))
        skip.set("val", str(shown.step))
        categories._element.insert_element_before(skip, "c:tickMarkSkip", "c:noMultiLvlLbl",
                                                  "c:extLst")
    if chart.kind == "barh":
        categories.reverse_order = True  # first category on top, as in the picture
        # ...and the value axis stays below them: it crosses at the last category.
        c.value_axis._element.find(qn("c:crosses")).set("val", "max")
    if style.has_legend(chart):
        c.has_legend = True
        c.legend.position = XL_LEGEND_POSITION.TOP
        c.legend.include_in_layout = False
    else:
        c.has_legend = False
    _positive_axis_ids(c._chartSpace)
    return frame


def _value_axis(values, chart: PlannedChart, theme: Theme) -> None:
    """The picture's value axis: the same range, step and tick format, set explicitly."""
    axis = style.value_axis(chart)
    values.minimum_scale = axis.lo
    values.maximum_scale = axis.hi
    values.major_unit = axis.step
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor.from_string(tint(theme.text, 0.88))
    values.tick_labels.number_format = number_format(chart, axis=True)
    values.tick_labels.number_format_is_linked = False
    values.format.line.fill.background()
    if chart.unit and chart.unit != "%":
        values.has_title = True
        values.axis_title.text_frame.text = f"（{chart.unit}）"
        _fonts(values.axis_title._title, theme, style.LABEL_PT - 1, theme.muted)


def _label_line_ends(plot, chart: PlannedChart) -> None:
    """Each line's last point carries its value (and its name when the picture shows it)."""
    named = style.names_at_line_ends(chart)
    for native, series in zip(plot.series, chart.data.series):
        last = next((i for i in range(len(series.values) - 1, -1, -1)
                     if series.values[i] is not None), None)
        if last is None:
            continue
        label = native.points[last].data_label
        label.position = XL_LABEL_POSITION.RIGHT
        label.font.size = Pt(style.VALUE_PT)
        d_lbl = label._get_or_add_dLbl()
        for tag, shown in (("c:showVal", True), ("c:showSerName", named)):
            d_lbl.find(qn(tag)).set("val", "1" if shown else "0")
        num_fmt = d_lbl.find(qn("c:numFmt"))
        if num_fmt is None:
            num_fmt = etree.SubElement(d_lbl, qn("c:numFmt"))
            d_lbl.insert_element_before(num_fmt, "c:spPr", "c:txPr", "c:dLblPos",
                                        "c:showLegendKey")
        num_fmt.set("formatCode", number_format(chart))
        num_fmt.set("sourceLinked", "0")
        if named:
            separator = d_lbl.find(qn("c:separator"))
            if separator is None:
                separator = etree.SubElement(d_lbl, qn("c:separator"))
                d_lbl.insert_element_before(separator, "c:extLst")
            separator.text = "  "
