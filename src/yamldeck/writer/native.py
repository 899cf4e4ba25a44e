"""Charts as native PowerPoint charts: the same planned data, editable behind "Edit Data".

Styled to match the matplotlib pictures: theme palette, the highlight in the accent
colour, value labels or gridlines, the unit as the value-axis title, number formats with
thousands separators (or a % sign), the legend on top for several series, and the theme's
Latin and East Asian fonts in the chart's text properties.
"""

from __future__ import annotations

from itertools import pairwise

from lxml import etree
from pptx.chart.axis import ValueAxis
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from .. import chartstyle as style
from ..deck import PlannedChart
from ..shapes import Chart
from ..theme import Theme, tint

CHART_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "barh": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "stacked_bar": XL_CHART_TYPE.COLUMN_STACKED,
}


def _chart_data():
    """python-pptx's chart data class, imported only when a deck has a native chart: it
    imports xlsxwriter (for the chart's embedded workbook), 23 ms of every other build."""
    from pptx.chart.data import CategoryChartData

    return CategoryChartData


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
        for tag, face in (
            ("a:latin", theme.latin),
            ("a:ea", theme.east_asian),
            ("a:cs", theme.latin),
        ):
            etree.SubElement(def_rpr, qn(tag)).set("typeface", face)


def add_native_chart(slide, shape: Chart, theme: Theme):
    """An editable chart at the shape's box, in the colours planned for its background."""
    chart, box = shape.chart, shape.box
    if chart.kind == "combo":
        return _add_combo(slide, shape, theme)
    if chart.kind in style.PIE_KINDS:
        return _add_pie(slide, shape, theme)
    data = _chart_data()(number_format=number_format(chart))
    data.categories = list(chart.data.categories)
    for series in chart.data.series:
        data.add_series(series.name, list(series.values))
    frame = slide.shapes.add_chart(
        CHART_TYPES[chart.kind], Emu(box.x), Emu(box.y), Emu(box.w), Emu(box.h), data
    )
    frame.name = shape.name
    frame._element.nvGraphicFramePr.cNvPr.set("descr", chart.alt_text)
    c = frame.chart
    c.has_title = False  # the title is slide text above the chart, as for pictures
    c.font.size = Pt(12)
    _fonts(c._chartSpace.get_or_add_txPr(), theme, 12, shape.text_color)
    plot = c.plots[0]
    colors = style.series_colors(chart, theme)
    per_category = style.category_colors(chart, theme)
    for i, series in enumerate(plot.series):
        rgb = RGBColor.from_string(colors[i])
        _style_series(series, series.name, rgb, chart, per_category, chart.kind == "line")
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
    _value_axis(c.value_axis, shape, theme)
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
        categories._element.insert_element_before(
            skip, "c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst"
        )
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


def _value_axis(values, shape: Chart, theme: Theme) -> None:
    """The picture's value axis: the same range, step and tick format, set explicitly."""
    chart = shape.chart
    axis = style.value_axis(chart)
    values.minimum_scale = axis.lo
    values.maximum_scale = axis.hi
    values.major_unit = axis.step
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor.from_string(shape.grid_color)
    values.tick_labels.number_format = number_format(chart, axis=True)
    values.tick_labels.number_format_is_linked = False
    values.format.line.fill.background()
    if chart.unit and chart.unit != "%":
        values.has_title = True
        values.axis_title.text_frame.text = f"（{chart.unit}）"
        _fonts(values.axis_title._title, theme, style.LABEL_PT - 1, shape.muted_color)


# Two lines ending closer than this share of the value range get their end labels above
# and below their points instead of both to the right, where they would overlap.
END_LABEL_CLOSE = 0.08


def _end_positions(chart: PlannedChart) -> dict:
    """Series index → label position for lines whose ends nearly meet (the upper one above,
    the lower one below); the others keep theirs beside the point."""
    values = [v for s in chart.data.series for v in s.values if v is not None]
    ends = [
        (next((v for v in reversed(s.values) if v is not None), None), n)
        for n, s in enumerate(chart.data.series)
    ]
    found = sorted(((v, n) for v, n in ends if v is not None), reverse=True)
    span = (max(values) - min(values)) if values else 0.0
    out: dict = {}
    for (high, a), (low, b) in pairwise(found):
        if span > 0 and high - low < END_LABEL_CLOSE * span:
            out.setdefault(a, XL_LABEL_POSITION.ABOVE)
            out[b] = XL_LABEL_POSITION.BELOW
    return out


def _label_line_ends(plot, chart: PlannedChart) -> None:
    """Each line's last point carries its value (and its name when the picture shows it)."""
    named = style.names_at_line_ends(chart)
    positions = _end_positions(chart)
    for n, (native, series) in enumerate(zip(plot.series, chart.data.series)):
        last = next(
            (i for i in range(len(series.values) - 1, -1, -1) if series.values[i] is not None), None
        )
        if last is None:
            continue
        label = native.points[last].data_label
        label.position = positions.get(n, XL_LABEL_POSITION.RIGHT)
        label.font.size = Pt(style.VALUE_PT)
        d_lbl = label._get_or_add_dLbl()
        for tag, shown in (("c:showVal", True), ("c:showSerName", named)):
            d_lbl.find(qn(tag)).set("val", "1" if shown else "0")
        num_fmt = d_lbl.find(qn("c:numFmt"))
        if num_fmt is None:
            num_fmt = etree.SubElement(d_lbl, qn("c:numFmt"))
            d_lbl.insert_element_before(num_fmt, "c:spPr", "c:txPr", "c:dLblPos", "c:showLegendKey")
        num_fmt.set("formatCode", number_format(chart))
        num_fmt.set("sourceLinked", "0")
        if named:
            separator = d_lbl.find(qn("c:separator"))
            if separator is None:
                separator = etree.SubElement(d_lbl, qn("c:separator"))
                d_lbl.insert_element_before(separator, "c:extLst")
            separator.text = "  "


# ------------------------------------------------------------------ dashed lines, outline bars


def _dash(series) -> None:
    """A dashed line (a plan beside the actuals), as PowerPoint's own "dash"."""
    line = series.format.line._get_or_add_ln()
    for old in line.findall(qn("a:prstDash")):
        line.remove(old)
    dash = etree.SubElement(line, qn("a:prstDash"))
    dash.set("val", "dash")
    # a:ln holds fill, then prstDash, then joins and ends: keep that order.
    fill = next((child for child in line if child.tag in (qn("a:noFill"), qn("a:solidFill"))), None)
    if fill is not None:
        fill.addnext(dash)
    else:
        line.insert(0, dash)


def _outline(series, rgb: RGBColor, per_category: list[str] | None) -> None:
    """An outline bar: no fill, a solid line in the series' (or each category's) colour."""
    series.format.fill.background()
    series.format.line.color.rgb = rgb
    series.format.line.width = Pt(1.8)
    for j, color in enumerate(per_category or []):
        point = series.points[j]
        point.format.fill.background()
        point.format.line.color.rgb = RGBColor.from_string(color)
        point.format.line.width = Pt(1.8)


# ------------------------------------------------------------------ combo


def _axis_xml(tag: str, ax_id: str, cross: str, position: str, deleted: bool, crosses: str) -> str:
    extra = (
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/>'
        if tag == "catAx"
        else '<c:crossBetween val="between"/>'
    )
    return (
        f'<c:{tag} {nsdecls("c")}><c:axId val="{ax_id}"/><c:scaling><c:orientation '
        f'val="minMax"/></c:scaling><c:delete val="{int(deleted)}"/>'
        f'<c:axPos val="{position}"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:crossAx val="{cross}"/><c:crosses val="{crosses}"/>{extra}</c:{tag}>'
    )


def _line_chart(series: list, ax_ids: tuple[str, str]):
    """A c:lineChart holding ``series`` (moved from the bar chart) on the given axes."""
    element = parse_xml(
        f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/>'
        '<c:varyColors val="0"/></c:lineChart>'
    )
    for ser in series:
        for tag in ("c:invertIfNegative", "c:pictureOptions", "c:shape"):
            for old in ser.findall(qn(tag)):
                ser.remove(old)
        element.append(ser)
    etree.SubElement(element, qn("c:marker")).set("val", "1")
    for ax_id in ax_ids:
        etree.SubElement(element, qn("c:axId")).set("val", ax_id)
    return element


def _set_axis(
    values, axis: style.ValueAxis, unit: str | None, theme: Theme, gridlines: bool
) -> None:
    """A value axis with the picture's range, step and tick format, and its unit as title."""
    values.minimum_scale = axis.lo
    values.maximum_scale = axis.hi
    values.major_unit = axis.step
    values.has_major_gridlines = gridlines
    if gridlines:
        values.major_gridlines.format.line.color.rgb = RGBColor.from_string(tint(theme.text, 0.88))
    values.tick_labels.number_format = style.excel_format(unit, axis.decimals)
    values.tick_labels.number_format_is_linked = False
    values.format.line.fill.background()
    values.major_tick_mark = XL_TICK_MARK.NONE
    if unit and unit != "%":
        values.has_title = True
        values.axis_title.text_frame.text = f"（{unit}）"
        _fonts(values.axis_title._title, theme, style.LABEL_PT - 1, theme.muted)


def _style_series(series, name: str, rgb, chart: PlannedChart, per_category, line: bool) -> None:
    """One series as the picture draws it: a line with markers (thicker when highlighted,
    dashed for a plan), an outline bar for a dashed bar series, else filled bars with the
    highlighted category in its own colour."""
    if line:
        series.format.line.color.rgb = rgb
        series.format.line.width = Pt(3.2 if name == chart.highlight else 2.2)
        series.smooth = False
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = rgb
        series.marker.format.line.color.rgb = rgb
        if style.is_dashed(chart, name):
            _dash(series)
    elif style.is_dashed(chart, name):
        _outline(series, rgb, per_category)
    else:
        if per_category:  # the legend's swatch: the quiet colour most bars have
            rgb = RGBColor.from_string(
                next(
                    (
                        c
                        for c, cat in zip(per_category, chart.data.categories)
                        if cat != chart.highlight
                    ),
                    per_category[0],
                )
            )
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb
        for j, color in enumerate(per_category or []):
            point = series.points[j]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(color)


def _add_combo(slide, shape: Chart, theme: Theme):
    """Bars and lines in one plot area: a c:barChart, a c:lineChart on the same axes for the
    left-hand lines and one on a second pair of axes (a hidden category axis and a value
    axis on the right) for the secondary lines. The workbook holds every series, so "Edit
    Data" shows them all; python-pptx writes it and the caches, which stay as they are."""
    chart, box = shape.chart, shape.box
    theme = style.chart_theme(chart, theme)  # its slide's background and text colours
    data = _chart_data()()
    data.categories = list(chart.data.categories)
    for s in chart.data.series:
        unit = style.series_unit(chart, s.name)
        data.add_series(
            style.legend_label(chart, s.name),
            list(s.values),
            number_format=style.excel_format(unit, style.series_decimals(chart, s.name)),
        )
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        Emu(box.x),
        Emu(box.y),
        Emu(box.w),
        Emu(box.h),
        data,
    )
    frame.name = shape.name
    frame._element.nvGraphicFramePr.cNvPr.set("descr", chart.alt_text)
    c = frame.chart
    c.has_title = False
    c.font.size = Pt(12)
    _fonts(c._chartSpace.get_or_add_txPr(), theme, 12, shape.text_color)
    plot_area = c._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    bar_chart = plot_area.find(qn("c:barChart"))
    ax_ids = tuple(a.get("val") for a in bar_chart.findall(qn("c:axId")))
    names = [s.name for s in chart.data.series]
    sers = bar_chart.findall(qn("c:ser"))
    left = [ser for ser, n in zip(sers, names) if n in chart.lines and n not in chart.secondary]
    right = [ser for ser, n in zip(sers, names) if n in chart.secondary]
    anchor = bar_chart
    if left:
        anchor.addnext(_line_chart(left, ax_ids))
        anchor = anchor.getnext()
    left_axis, right_axis = style.combo_axes(chart)
    if right:
        cat2, val2 = "900001", "900002"
        anchor.addnext(_line_chart(right, (cat2, val2)))
        last_axis = plot_area.findall(qn("c:valAx"))[-1]
        last_axis.addnext(parse_xml(_axis_xml("catAx", cat2, val2, "b", True, "autoZero")))
        last_axis.getnext().addnext(parse_xml(_axis_xml("valAx", val2, cat2, "r", False, "max")))
    bar_plot = c.plots[0]
    bar_plot.gap_width = 60
    colors = dict(zip(names, style.series_colors(chart, theme)))
    # One bar series with a highlighted category: that bar in the accent, as in a bar chart.
    per_category = style.category_colors(style.combo_bars(chart), theme)
    by_name = {}
    for plot in c.plots:
        for series in plot.series:
            by_name[names[series.index]] = (series, plot)
    for name, (series, _plot) in by_name.items():
        rgb = RGBColor.from_string(colors[name])
        _style_series(series, name, rgb, chart, per_category, name in chart.lines)
    if style.combo_value_labels(chart):
        bar_plot.has_data_labels = True
        labels = bar_plot.data_labels
        labels.number_format = style.excel_format(
            chart.unit, style.value_decimals(style.combo_bars(chart))
        )
        labels.number_format_is_linked = False
        labels.font.size = Pt(style.VALUE_PT)
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    for s in chart.data.series:
        if s.name in chart.lines:
            _label_last_point(
                by_name[s.name][0],
                s,
                style.excel_format(
                    style.series_unit(chart, s.name), style.series_decimals(chart, s.name)
                ),
            )
    # python-pptx's chart.value_axis is the second c:valAx when there are two: go by element.
    value_axes = [ValueAxis(v) for v in plot_area.findall(qn("c:valAx"))]
    _set_axis(value_axes[0], left_axis, chart.unit, theme, gridlines=True)
    if right_axis is not None:
        _set_axis(value_axes[1], right_axis, chart.unit2, theme, gridlines=False)
    categories = c.category_axis
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    categories.major_tick_mark = XL_TICK_MARK.NONE
    shown = style.category_labels(style.combo_bars(chart))
    if shown.step > 1:
        skip = etree.SubElement(categories._element, qn("c:tickLblSkip"))
        skip.set("val", str(shown.step))
        categories._element.insert_element_before(
            skip, "c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst"
        )
    c.has_legend = True
    c.legend.position = XL_LEGEND_POSITION.TOP
    c.legend.include_in_layout = False
    _positive_axis_ids(c._chartSpace)
    return frame


def _label_last_point(native, series, fmt: str) -> None:
    """A combo line's last value, above its last point (its end is beside the right axis)."""
    last = next(
        (i for i in range(len(series.values) - 1, -1, -1) if series.values[i] is not None), None
    )
    if last is None:
        return
    label = native.points[last].data_label
    label.position = XL_LABEL_POSITION.ABOVE
    label.font.size = Pt(style.VALUE_PT)
    label.font.bold = True
    d_lbl = label._get_or_add_dLbl()
    d_lbl.find(qn("c:showVal")).set("val", "1")
    num_fmt = d_lbl.find(qn("c:numFmt"))
    if num_fmt is None:
        num_fmt = etree.SubElement(d_lbl, qn("c:numFmt"))
        d_lbl.insert_element_before(num_fmt, "c:spPr", "c:txPr", "c:dLblPos", "c:showLegendKey")
    num_fmt.set("formatCode", fmt)
    num_fmt.set("sourceLinked", "0")


# ------------------------------------------------------------------ pie and donut

PERCENT_FORMAT = "0%"  # a slice's share, as the picture shows it (style.pie_shares)


def _ring_label(label, color: str) -> None:
    """One slice's label of a donut: category and share, in a colour that reads on it."""
    label.font.size = Pt(style.VALUE_PT)
    label.font.color.rgb = RGBColor.from_string(color)
    d_lbl = label._get_or_add_dLbl()
    for tag, shown in (
        ("c:showVal", False),
        ("c:showCatName", True),
        ("c:showPercent", True),
        ("c:showSerName", False),
        ("c:showLegendKey", False),
    ):
        element = d_lbl.find(qn(tag))
        if element is not None:
            element.set("val", "1" if shown else "0")
    num_fmt = d_lbl.find(qn("c:numFmt"))
    if num_fmt is None:
        num_fmt = etree.SubElement(d_lbl, qn("c:numFmt"))
        d_lbl.insert_element_before(num_fmt, "c:spPr", "c:txPr", "c:dLblPos", "c:showLegendKey")
    num_fmt.set("formatCode", PERCENT_FORMAT)
    num_fmt.set("sourceLinked", "0")
    separator = d_lbl.find(qn("c:separator"))
    if separator is None:
        separator = etree.SubElement(d_lbl, qn("c:separator"))
        d_lbl.insert_element_before(separator, "c:extLst")
    separator.text = "\n"


DONUT_HOLE_PERCENT = round(style.DONUT_HOLE * 100)


def _add_pie(slide, shape: Chart, theme: Theme):
    """A pie or doughnut of the planned slices (その他 already merged), coloured per point,
    labelled with category, value and share; the highlight pulled out."""
    chart, box = shape.chart, shape.box
    theme = style.chart_theme(chart, theme)  # its slide's background and text colours
    data = _chart_data()(number_format=style.pie_value_format(chart))
    data.categories = list(chart.data.categories)
    series = chart.data.series[0]
    data.add_series(series.name, list(series.values))
    kind = XL_CHART_TYPE.DOUGHNUT if chart.kind == "donut" else XL_CHART_TYPE.PIE
    frame = slide.shapes.add_chart(kind, Emu(box.x), Emu(box.y), Emu(box.w), Emu(box.h), data)
    frame.name = shape.name
    frame._element.nvGraphicFramePr.cNvPr.set("descr", chart.alt_text)
    c = frame.chart
    c.has_title = False
    c.has_legend = False  # every slice is named at its label
    c.font.size = Pt(style.VALUE_PT)
    _fonts(c._chartSpace.get_or_add_txPr(), theme, style.VALUE_PT, shape.text_color)
    plot = c.plots[0]
    plot.vary_by_categories = True
    native = plot.series[0]
    explode = round(style.PIE_EXPLODE * 100)
    for j, (category, color) in enumerate(
        zip(chart.data.categories, style.slice_colors(chart, theme))
    ):
        point = native.points[j]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = RGBColor.from_string(color)
        point.format.line.color.rgb = RGBColor.from_string(theme.background)
        point.format.line.width = Pt(1.5)
        if category == chart.highlight:
            d_pt = point.format._element  # the c:dPt python-pptx made for the fill
            explosion = etree.SubElement(d_pt, qn("c:explosion"))
            explosion.set("val", str(explode))
            d_pt.insert_element_before(explosion, "c:spPr", "c:pictureOptions", "c:extLst")
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = PERCENT_FORMAT
    labels.number_format_is_linked = False
    labels.font.size = Pt(style.VALUE_PT)
    labels.show_category_name = True
    labels.show_value = False
    labels.show_percentage = True
    if chart.kind == "pie":
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    d_lbls = labels._element
    separator = etree.SubElement(d_lbls, qn("c:separator"))
    separator.text = "\n"
    d_lbls.insert_element_before(separator, "c:showLeaderLines", "c:leaderLines", "c:extLst")
    if chart.kind == "donut":  # labels sit on the ring: white on dark slices
        for j, color in enumerate(style.slice_colors(chart, theme)):
            _ring_label(
                native.points[j].data_label,
                theme.background if style.is_dark(color) else theme.text,
            )
    leader = d_lbls.find(qn("c:showLeaderLines"))
    if leader is None:
        leader = etree.SubElement(d_lbls, qn("c:showLeaderLines"))
        d_lbls.insert_element_before(leader, "c:leaderLines", "c:extLst")
    leader.set("val", "1")
    chart_element = plot._element
    first = chart_element.find(qn("c:firstSliceAng"))
    if first is None:
        first = etree.SubElement(chart_element, qn("c:firstSliceAng"))
        chart_element.insert_element_before(first, "c:holeSize", "c:extLst")
    first.set("val", "0")  # 12 o'clock, clockwise: as the picture
    if chart.kind == "donut":
        hole = chart_element.find(qn("c:holeSize"))
        hole.set("val", str(DONUT_HOLE_PERCENT))
    return frame
