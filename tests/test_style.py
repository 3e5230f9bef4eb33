"""The house chart style: colours measured against both page backgrounds, the dark-mode CSS
in step with the style, and the chart HTML the book shows (data table, language, fit)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from shizhong import chart, style
from shizhong.render import to_vega, use_renderer
from shizhong.sphinxext.assets import stylesheets
from shizhong.sphinxext.language import split_runs
from shizhong.sphinxext.mime import chart_html, prune_data, screen_spec


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_is_measured_right():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#E69F00", "#ffffff") < 3  # the old orange fails: the test can fail


@pytest.mark.parametrize("background", [style.BACKGROUND, style.DARK_BACKGROUND])
@pytest.mark.parametrize("colour", [*style.PALETTE, style.SECONDARY])
def test_every_mark_colour_has_3_to_1_on_both_backgrounds(colour, background):
    assert contrast(colour, background) >= 3, f"{colour} on {background}"


def test_chart_text_contrast_in_both_themes():
    for light, dark in ((style.INK, style.DARK_COLOURS[style.INK]),
                        (style.MUTED, style.DARK_COLOURS[style.MUTED])):  # fmt: skip
        assert contrast(light, style.BACKGROUND) >= 4.5
        assert contrast(dark, style.DARK_BACKGROUND) >= 4.5


def test_dark_mode_css_follows_the_style():
    """Every light colour the style hands to the dark theme has its CSS rule, and no rule
    names a colour the style does not use."""
    css = stylesheets()["shizhong-charts.css"].decode()
    rules = dict(
        re.findall(r'\[(?:fill|stroke)="(#[0-9a-f]{6})"\]\s*\{\s*\w+:\s*(#[0-9a-f]{6})', css)
    )
    assert rules == {k.lower(): v.lower() for k, v in style.DARK_COLOURS.items()}


def test_split_runs():
    assert split_runs("Finance 金融业 tax") == [
        ("Finance ", False),
        ("金融业", True),
        (" tax", False),
    ]
    assert split_runs("济南市中区 2019 年工作回顾") == [("济南市中区 2019 年工作回顾", True)]
    assert split_runs("274.8 亿元") == [("274.8 ", False), ("亿元", True)]
    assert split_runs("no Chinese") == [("no Chinese", False)]


@pytest.fixture(scope="module")
def vega():
    use_renderer()
    data = pd.DataFrame(
        {
            "subject_en": ["Finance", "ICT"],
            "subject_zh": ["金融业", "信息通信业"],
            "value": [17.7, 4.46],
            "display": ["17.7 亿元", "4.46 亿元"],
            "quote": ["金融业税收17.7亿元", "信息通信业税收4.46亿元"],
            "unused_note": ["not read by the chart", "x"],
        }
    )
    c = chart.bar(
        data,
        category="subject_en",
        value="value",
        label="display",
        title="Tax 税收",
        subtitle="Two industries",
        description="Bars of two taxes.",
    )
    return to_vega(c.to_dict())


def test_chart_html_moves_titles_out_of_the_svg(vega):
    html = chart_html(vega)
    spec, texts = screen_spec(vega)
    assert texts["title"] == "Tax 税收" and texts["subtitle"] == "Two industries"
    assert texts["source"].startswith("Source:")
    assert "title" not in spec and "background" not in spec
    assert all("title" not in m for m in spec["marks"])
    assert '<p class="shizhong-chart-title">Tax <span lang="zh-CN">税收</span></p>' in html
    assert 'role="img" aria-label="Bars of two taxes."' in html


def test_chart_html_has_the_data_table(vega):
    html = chart_html(vega)
    table = re.search(r'<details class="shizhong-data">.*?</details>', html, re.DOTALL)
    assert table, "no data table"
    rows = re.findall(r"<tr><td>", table.group())
    assert len(rows) == 2
    for text in (
        "Subject",
        "Value",
        'Quote <span lang="zh-CN">原文</span>',
        "17.7 <span",
        '<span lang="zh-CN">金融业税收17.7亿元</span>',
    ):
        assert text in table.group(), text


def test_screen_spec_keeps_only_the_columns_it_reads(vega):
    spec, _ = screen_spec(vega)
    rows = next(d["values"] for d in spec["data"] if "values" in d)
    assert "unused_note" not in rows[0]
    assert {"subject_en", "value", "display", "quote"} <= set(rows[0])
    pruned = json.loads(json.dumps(vega))
    prune_data(pruned)
    assert "unused_note" not in json.dumps(pruned["data"])
    assert "unused_note" in json.dumps(vega["data"])  # the input is left as it was


def test_screen_spec_fits_by_signals(vega):
    spec, _ = screen_spec(vega)
    names = {s["name"] for s in spec["signals"]}
    assert {"shizhong_label_limit", "shizhong_wrap_labels"} <= names
    assert spec["autosize"]["resize"] is True
    assert spec["width"] == style.WIDTH


def test_a_tooltip_field_without_a_title_is_refused():
    frame = pd.DataFrame({"part": ["a"], "mu": [1.0]})
    with pytest.raises(ValueError, match="'part' has no title in 'zh'"):
        chart.tooltips(frame, ["part"], lang="zh")
    assert chart.tooltips(frame, [("mu", "亩")], lang="zh")[0].to_dict()["title"] == "亩"


def _tooltips(spec):
    if isinstance(spec, dict):
        if isinstance(spec.get("tooltip"), list):
            yield from spec["tooltip"]
        for value in spec.values():
            yield from _tooltips(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _tooltips(value)


def test_no_stored_chart_shows_a_reader_a_column_name():
    from .conftest import ROOT

    seen = 0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                spec = output.get("data", {}).get("application/vnd.vegalite.v6+json")
                for tip in _tooltips(spec or {}):
                    seen += 1
                    title = tip.get("title")
                    assert title and title != tip["field"], f"{path.name}: tooltip {tip}"
    assert seen > 50, f"only {seen} tooltip fields found: is the spec layout still read right?"
