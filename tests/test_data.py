"""Chart data: CSV and inline loading, checks against the chart, and the transforms."""

from __future__ import annotations

from pathlib import Path

import pytest

from yamldeck.build import check_deck
from yamldeck.chartdata import ChartData, Series, rebase, sort_by_value
from yamldeck.data import format_number


def outline(tmp_path: Path, chart: str, csv: str | None = None) -> Path:
    if csv is not None:
        (tmp_path / "d.csv").write_text(csv, encoding="utf-8")
    text = "title: T\ncharts:\n  c:\n" + "".join(f"    {line}\n" for line in chart.splitlines())
    text += "slides:\n  - title: S\n    chart: c\n"
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "deck.yaml"


def errors(result) -> list[str]:
    return [d.format() for d in result.diagnostics if d.is_error]


def test_rebase_indexes_each_series_to_its_first_value():
    data = ChartData(
        ("a", "b", "c"), (Series("x", (50.0, 75.0, 100.0)), Series("y", (None, 8.0, 2.0)))
    )
    out = rebase(data, 100)
    assert out.series[0].values == pytest.approx((100.0, 150.0, 200.0))
    assert out.series[1].values[0] is None
    assert out.series[1].values[1:] == pytest.approx((100.0, 25.0))


def test_sort_orders_categories_by_total():
    data = ChartData(("a", "b", "c"), (Series("x", (1.0, 3.0, 2.0)), Series("y", (0.0, 0.0, 5.0))))
    out = sort_by_value(data, "desc")
    assert out.categories == ("c", "b", "a")
    assert out.series[1].values == (5.0, 0.0, 0.0)


def test_planned_chart_carries_rebased_numbers(tmp_path: Path):
    path = outline(
        tmp_path,
        "kind: line\ndata: d.csv\nx: m\ny: [p, q]\nrebase: 100",
        "m,p,q\n1,20,4\n2,30,5\n3,10,6\n",
    )
    result = check_deck(path)
    chart = result.deck.slides[1].chart
    assert chart.data.categories == ("1", "2", "3")
    assert chart.data.series[0].values == pytest.approx((100, 150, 50))
    assert chart.data.series[1].values == pytest.approx((100, 125, 150))


def test_repo_stock_chart_is_rebased_to_100_at_the_first_month():
    from conftest import REPO

    result = check_deck(REPO / "deck.yaml")
    chart = next(
        s.chart
        for s in result.deck.slides
        if getattr(s, "chart", None) and s.chart.id == "chip_stocks"
    )
    assert [s.values[0] for s in chart.data.series] == [100, 100, 100, 100]
    cambricon = next(s for s in chart.data.series if s.name == "CAMBRICON")
    nvidia = next(s for s in chart.data.series if s.name == "NVIDIA")
    assert cambricon.values[-1] / nvidia.values[-1] > 3  # "数倍" against NVIDIA's rise


def test_missing_column_lists_the_columns_that_exist(tmp_path: Path):
    path = outline(tmp_path, "kind: bar\ndata: d.csv\nx: m\ny: value", "m,amount\n1,2\n")
    [message] = errors(check_deck(path))
    assert (
        "deck.yaml:7:8: error: charts.c.y: column 'value' is not in d.csv; columns: m, amount"
        in message
    )


def test_non_number_names_file_line_column_and_value(tmp_path: Path):
    path = outline(tmp_path, "kind: bar\ndata: d.csv\nx: m\ny: v", "m,v\n1,2\n2,abc\n")
    [message] = errors(check_deck(path))
    assert "charts.c.data: d.csv line 3, column 'v': 'abc' is not a number" in message


def test_inline_numbers_and_their_errors_point_at_the_value(tmp_path: Path):
    path = outline(tmp_path, "kind: bar\ndata: {r: [a, b], v: [1, x]}\nx: r\ny: v")
    [message] = errors(check_deck(path))
    first, hint = message.split("\n")
    assert first.endswith("deck.yaml:5:30: error: charts.c.data.v[1]: 'x' is not a number")
    assert hint == "  hint: write plain numbers (1234.5); leave the cell empty when missing"


def test_values_with_thousands_separators_and_percent_parse(tmp_path: Path):
    path = outline(tmp_path, "kind: bar\ndata: d.csv\nx: m\ny: v", 'm,v\na,"1,234"\nb,12%\n')
    chart = check_deck(path).deck.slides[1].chart
    assert chart.data.series[0].values == (1234, 12)


def test_format_number():
    assert format_number(1234.0) == "1,234"
    assert format_number(13.5) == "13.5"
    assert format_number(12.0, "%") == "12%"
    assert format_number(114.99999999999999, None, 0) == "115"


def test_outline_and_data_problems_come_in_one_pass(tmp_path: Path):
    path = outline(tmp_path, "kind: bar\ndata: d.csv\nx: m\ny: value", "m,amount\n1,2\n")
    text = path.read_text(encoding="utf-8").replace("    chart: c\n", "    chart: c\n    nots: x\n")
    path.write_text(text, encoding="utf-8")
    found = errors(check_deck(path))
    assert len(found) == 2
    assert "unknown key 'nots'" in found[0] and "column 'value' is not in d.csv" in found[1]
