"""House style for the book's charts, as an Altair 6 theme.

Nothing is registered at import time: call :func:`use_theme` once per notebook
(``shizhong.render.use_renderer`` does it for you).
"""

from __future__ import annotations

from typing import Final, cast

import altair as alt

__all__ = [
    "BACKGROUND",
    "DARK_BACKGROUND",
    "DARK_COLOURS",
    "FONT",
    "FONT_STACK",
    "INK",
    "MUTED",
    "PALETTE",
    "SECONDARY",
    "SEQUENTIAL",
    "SOURCE_LINE",
    "SOURCE_LINE_ZH",
    "THEME_NAME",
    "WIDTH",
    "theme",
    "use_theme",
]

#: The one typeface of every chart text (covers Latin and Simplified Chinese).
FONT: Final = "Noto Sans CJK SC"
#: CSS font stack actually written into the spec: FONT first (vl-convert and any
#: machine with fonts-noto-cjk), then common CJK system fonts for readers' browsers.
FONT_STACK: Final = (
    f'"{FONT}", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
)
#: Categorical palette after Okabe–Ito (colour-blind safe), each colour adjusted to a
#: non-text contrast of at least 3:1 against both the light page (BACKGROUND) and the dark
#: one (DARK_BACKGROUND): orange, sky blue, yellow and black could not pass both and are
#: replaced by ochre, a mid blue and violet (tests/test_style.py measures every pair).
PALETTE: Final = (
    "#0072B2",  # blue
    "#B07A00",  # ochre (Okabe–Ito orange, darkened)
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#C86FA0",  # reddish purple (darkened)
    "#8E6BBF",  # violet
    "#3388CC",  # mid blue (Okabe–Ito sky blue, darkened)
)
#: Secondary marks (start points, stems): grey with 3:1 on both page backgrounds.
SECONDARY: Final = "#808080"
#: Sequential scheme (single-hue, monotone lightness: colour-blind safe, prints in grey).
SEQUENTIAL: Final = "blues"
#: Footer added to every chart by ``shizhong.chart``.
SOURCE_LINE: Final = (
    "Source: 朱振, 李猛, “济南市中区：聚焦提升 全面开创品质市中建设新局面” "
    "(article, early 2020 by inference); the district's own figures."
)
#: The source line of the Chinese edition's charts.
SOURCE_LINE_ZH: Final = (
    "来源：朱振、李猛，《济南市中区：聚焦提升 全面开创品质市中建设新局面》（推断为2020年初）；"
    "数据均为区里自报。"
)
#: Plot-area width in px of a continuous axis. With y-axis labels and padding a chart
#: is about 560-660 px wide: inside the book's output column (about 690 px at a 1280 px
#: viewport), and scaled to the text width in the PDF (12 px text stays >= 8 pt).
WIDTH: Final = 330
#: The light page and chart background (the PDF's too).
BACKGROUND: Final = "#ffffff"
#: The dark theme's page background (pydata-sphinx-theme's ``--pst-color-background``):
#: in the HTML book charts draw on the page, so marks are measured against both.
DARK_BACKGROUND: Final = "#14181e"
INK: Final = "#1a1a1a"
MUTED: Final = "#595959"  # 7:1 on white
#: Dark-mode replacements for the chart's text and rule colours, applied by CSS
#: (``static/css/shizhong-charts.css``) to the SVG's fill and stroke attributes.
DARK_COLOURS: Final = {
    INK: "#e6e6e6",
    MUTED: "#b3b3b3",
    "#e6e6e6": "#3a3f47",  # grid
    "#ffffff": "#14181e",  # separators between stacked parts
}
THEME_NAME: Final = "shizhong"

_GRID = "#e6e6e6"
_DOMAIN = "#8c8c8c"


def theme() -> alt.theme.ThemeConfig:
    """Return the house theme as a Vega-Lite config dict."""
    text: alt.theme.MarkConfigKwds = {"font": FONT_STACK, "fontSize": 12, "color": INK}
    # axes and legends label and title alike
    labels = {
        "labelFont": FONT_STACK,
        "labelFontSize": 12,
        "labelColor": INK,
        "labelLimit": 280,
        "titleFont": FONT_STACK,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
        "titleColor": MUTED,
    }
    axis: alt.theme.AxisConfigKwds = {
        **labels,  # type: ignore[typeddict-item]
        "gridColor": _GRID,
        "domainColor": _DOMAIN,
        "tickColor": _DOMAIN,
    }
    return {
        "background": BACKGROUND,
        "padding": {"top": 12, "bottom": 12, "left": 14, "right": 48},  # room for end labels
        "config": {
            "font": FONT_STACK,
            "view": {"continuousWidth": WIDTH, "continuousHeight": 260, "stroke": None},
            "title": {
                "font": FONT_STACK,
                "fontSize": 16,
                "fontWeight": "bold",
                "color": INK,
                "anchor": "start",
                "frame": "bounds",
                "offset": 14,
                "subtitleFont": FONT_STACK,
                "subtitleFontSize": 12,
                "subtitleColor": MUTED,
                "subtitlePadding": 5,
            },
            "axis": axis,
            "axisBand": {"grid": False, "ticks": False, "domain": False, "labelPadding": 6},
            "legend": {
                **labels,
                "orient": "top",
                "layout": {"top": {"anchor": "start"}},
                "direction": "horizontal",
                "symbolType": "square",
            },
            "header": {
                "labelFont": FONT_STACK,
                "labelFontSize": 12,
                "labelColor": INK,
                "titleFont": FONT_STACK,
                "titleFontSize": 12,
                "titleColor": MUTED,
            },
            "text": text,
            "mark": {"color": PALETTE[0]},
            "bar": {"color": PALETTE[0]},
            "point": {"color": PALETTE[0], "filled": True, "size": 70, "opacity": 1},
            "rule": {"color": _DOMAIN},
            # Altair's TypedDict omits the {"scheme": ...} form that Vega-Lite accepts.
            "range": cast(
                "alt.theme.RangeConfigKwds",
                {
                    "category": list(PALETTE),
                    "ordinal": {"scheme": SEQUENTIAL},
                    "ramp": {"scheme": SEQUENTIAL},
                    "heatmap": {"scheme": SEQUENTIAL},
                },
            ),
        },
    }


def use_theme() -> None:
    """Register (idempotently) and enable the house theme."""
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(theme)
    alt.theme.enable(THEME_NAME)
