"""Chart builders in the house style.

Every builder takes a pandas DataFrame and keyword-only arguments, requires a ``title``
and a ``description`` (the accessible text: it becomes the Vega-Lite top-level
``description``, the SVG's ``aria-label`` and the container's ``aria-label``), accepts
an optional ``subtitle``, and adds :data:`shizhong.style.SOURCE_LINE` as a footer. The
result is a one-view ``alt.VConcatChart``: the source line is the inner view's
bottom-oriented title, so it shows in the browser and in the PDF alike. Use
:func:`with_source` to give a hand-built chart the same frame. The spec's ``usermeta``
names the columns of the chart's data table (see :func:`table_columns`).

Tooltip convention: rows may carry

* ``subject_en`` -- English label, e.g. ``"Finance"``;
* ``subject_zh`` -- Chinese label, e.g. ``"金融业"``;
* ``display`` -- the value formatted for people, e.g. ``"¥4.22 bn (42.2亿元)"``;
* ``quote`` -- the verbatim Chinese quote the figure comes from.

With ``tooltip=None`` a builder shows those of these columns that the data has (titled
"Subject", "中文", "Value", "Quote 原文"), else the chart's own fields. Pass a list
of column names (or ``alt.Tooltip`` objects, or ``(field, title)`` tuples, whose title may
be a pair that :func:`shizhong.show.both` resolves) to choose. Axis labels may be bilingual
("Finance 金融业"): put them in one column and pass it as ``category``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Final, Literal

import altair as alt
import pandas as pd

from .style import INK, MUTED, PALETTE, SECONDARY, SEQUENTIAL, SOURCE_LINE, SOURCE_LINE_ZH, WIDTH

__all__ = [
    "TOOLTIP_TITLES",
    "bar",
    "dot",
    "dumbbell",
    "lollipop",
    "matrix",
    "stacked",
    "table_columns",
    "tooltips",
    "with_source",
]

#: Conventional tooltip columns, in display order, with their tooltip titles.
TOOLTIP_TITLES: Final = {
    "subject_en": "Subject",
    "subject_zh": "中文",
    "display": "Value",
    "display_en": "Value",
    "growth_label": "Growth",
    "quote": "Quote 原文",
}
#: The same in the Chinese edition (``lang="zh"``), which shows only ``subject_zh``.
TOOLTIP_TITLES_ZH: Final = {
    "subject_zh": "指标",
    "display": "数值",
    "display_zh": "数值",
    "growth_label": "比上年",
    "quote": "原文",
}
TooltipSpec = Sequence[str | tuple[str, str] | alt.Tooltip] | None
ChartLike = (
    alt.Chart
    | alt.LayerChart
    | alt.FacetChart
    | alt.ConcatChart
    | alt.HConcatChart
    | alt.VConcatChart
)
_GRID: Final = "#e6e6e6"
_BAR_STEP: Final = 26


def _type(data: pd.DataFrame, field: str) -> Literal["quantitative", "nominal"]:
    is_number = field in data and pd.api.types.is_numeric_dtype(data[field])
    return "quantitative" if is_number else "nominal"


def tooltips(
    data: pd.DataFrame,
    tooltip: TooltipSpec = None,
    labels: Sequence[str] = (),
    values: Sequence[str] = (),
    lang: str = "en",
) -> list[alt.Tooltip]:
    """Tooltip channel list following the module's convention (see module docstring).

    Default: ``subject_en``/``subject_zh`` if present (else the chart's ``labels`` fields),
    then ``display_<lang>`` or ``display`` if present (else the ``values`` fields), then
    ``quote`` if present. With ``lang="zh"``: ``subject_zh`` only, titles in Chinese.
    """
    titles = TOOLTIP_TITLES_ZH if lang == "zh" else TOOLTIP_TITLES
    if tooltip is None:
        present = set(data.columns)
        names = ("subject_zh",) if lang == "zh" else ("subject_en", "subject_zh")
        subject = [name for name in names if name in present]
        display = [n for n in (f"display_{lang}", "display") if n in present][:1]
        tooltip = [
            *(subject or [name for name in labels if name in present]),
            *(display or [n for n in values if n in present]),
            *(["quote"] if "quote" in present else []),
        ]
    result = []
    for item in tooltip:
        if isinstance(item, alt.Tooltip):
            result.append(item)
        elif isinstance(item, tuple):
            field, title = item
            result.append(alt.Tooltip(field=field, type=_type(data, field), title=title))
        elif item not in titles:
            # A reader sees the title, never a column's name: name it, (field, title).
            raise ValueError(
                f"tooltip field {item!r} has no title in {lang!r}: give (field, title)"
            )
        elif _type(data, item) == "quantitative":
            result.append(
                alt.Tooltip(field=item, type="quantitative", format=",", title=titles[item])
            )
        else:
            result.append(alt.Tooltip(field=item, type="nominal", title=titles[item]))
    return result


def _text_width(text: str, size: float) -> float:
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return size * (wide + 0.56 * (len(text) - wide))


def _wrap(text: str, limit: float, size: float) -> list[str]:
    """Word wrap by estimated rendered width (CJK counts as 1 em), preferring "; " breaks."""
    if _text_width(text, size) <= limit:
        return [text]
    lines: list[str] = []
    for clause in re.split(r"(?<=;) ", text):
        line = ""
        for word in clause.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and _text_width(candidate, size) > limit:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def table_columns(chart: ChartLike) -> list[dict[str, str]]:
    """The columns of the chart's data table: its first tooltip channel's fields.

    Each is ``{"field", "title"}`` (plus ``"format"`` for numbers). The book's HTML shows
    the chart's data rows in these columns under the chart (``shizhong.mime``), so every
    figure a tooltip offers to the mouse is also there for the keyboard and screen readers.
    """
    charts: list[Any] = [chart]
    while charts:
        current = charts.pop(0)
        encoding = getattr(current, "encoding", alt.Undefined)
        tips = (
            getattr(encoding, "tooltip", alt.Undefined) if encoding is not alt.Undefined else None
        )
        if tips not in (None, alt.Undefined):
            columns = []
            for tip in tips if isinstance(tips, list) else [tips]:
                spec = tip.to_dict() if hasattr(tip, "to_dict") else dict(tip)
                if "field" not in spec:
                    continue
                column = {
                    "field": str(spec["field"]),
                    "title": str(spec.get("title", spec["field"])),
                }
                if spec.get("type") == "quantitative":
                    column["format"] = str(spec.get("format", ","))
                columns.append(column)
            return columns
        for attribute in ("layer", "vconcat", "hconcat", "concat"):
            children = getattr(current, attribute, alt.Undefined)
            if isinstance(children, list):
                charts.extend(children)
        inner = getattr(current, "spec", alt.Undefined)
        if inner is not alt.Undefined and not isinstance(current, alt.Chart):
            charts.append(inner)
    return []


def _require(title: str, description: str) -> None:
    if not title.strip():
        raise ValueError("title is required")
    if not description.strip():
        raise ValueError("description is required (it is the chart's accessible text)")


def with_source(
    chart: ChartLike,
    *,
    title: str,
    description: str,
    subtitle: str | Sequence[str] | None = None,
    width: float | None = None,
    lang: str = "en",
) -> alt.VConcatChart:
    """Frame ``chart``: title + subtitle on top, the source line of ``lang`` as footer,
    description; ``usermeta`` records the language for the book's chart HTML."""
    _require(title, description)
    size = 10
    footer = alt.TitleParams(
        text=_wrap(
            SOURCE_LINE_ZH if lang == "zh" else SOURCE_LINE, limit=(width or WIDTH) + 120, size=size
        ),
        orient="bottom",
        anchor="start",
        frame="bounds",
        offset=14,
        fontSize=size,
        fontWeight="normal",
        color=MUTED,
    )
    if isinstance(subtitle, str):
        subtitle = [subtitle]
    heading = alt.TitleParams(text=title, subtitle=list(subtitle) if subtitle else alt.Undefined)
    usermeta = {"shizhong": {"table": table_columns(chart), "lang": lang}}
    return alt.vconcat(chart.properties(title=footer)).properties(
        title=heading, description=description, usermeta=usermeta
    )


def _band(field: str, title: str | None, sort: Any) -> alt.Y:
    return alt.Y(field=field, type="nominal", title=title, sort=sort)


def _order(
    data: pd.DataFrame, category: str, value: str, sort: str | Sequence[str]
) -> list[str] | None:
    """Explicit category order (identical in every layer, so Vega-Lite never warns)."""
    if sort == "data":
        return None
    if sort == "value":
        ranked = data.groupby(category, sort=False)[value].sum().sort_values(ascending=False)
        return [str(name) for name in ranked.index]
    return list(sort)


def _colour(data: pd.DataFrame, field: str) -> alt.Color:
    """Colour by ``field``, in the order its values first appear in the rows. Both editions
    keep their rows in one order, so a group has the same colour in English and Chinese
    (Vega-Lite's default, sorting the labels, gives each language its own order)."""
    domain = [str(v) for v in dict.fromkeys(data[field])]
    return alt.Color(
        field=field, type="nominal", scale=alt.Scale(domain=domain), legend=alt.Legend(title=None)
    )


def _value_x(field: str, title: str | None, **kwargs: Any) -> alt.X:
    return alt.X(field=field, type="quantitative", title=title, **kwargs)


def _integer(integer_axis: bool) -> dict[str, Any]:
    """Axis keyword for counts: ticks on whole numbers only."""
    return {"axis": alt.Axis(tickMinStep=1, format="d")} if integer_axis else {}


def _end_label(base: alt.Chart, label: str, dx: int) -> alt.Chart:
    """Text from column ``label`` just right of each mark's value."""
    return base.mark_text(align="left", dx=dx, color=INK).encode(
        text=alt.Text(field=label, type="nominal")
    )


def bar(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    description: str,
    subtitle: str | Sequence[str] | None = None,
    color: str | None = None,
    label: str | None = None,
    sort: Literal["value", "data"] | Sequence[str] = "value",
    value_title: str | None = None,
    tooltip: TooltipSpec = None,
    width: int | None = None,
    integer_axis: bool = False,
    lang: str = "en",
) -> alt.VConcatChart:
    """Horizontal bars: one ``category`` per row, length ``value``.

    ``color`` is an optional nominal field (Okabe–Ito palette, legend below);
    ``label`` an optional text column drawn at the bar end (e.g. ``"display"``);
    ``sort`` is ``"value"`` (largest first), ``"data"`` (row order) or an explicit list;
    ``integer_axis`` puts ticks on whole numbers only (for counts).
    """
    base = alt.Chart(data).encode(
        y=_band(category, None, _order(data, category, value, sort)),
        x=_value_x(value, value_title, **_integer(integer_axis)),
        tooltip=tooltips(
            data, tooltip, [category, *([color] if color else [])], [value], lang=lang
        ),
    )
    bars = base.mark_bar(cornerRadiusEnd=2)
    if color is not None:
        bars = bars.encode(color=_colour(data, color))
    layers: list[alt.Chart] = [bars]
    if label is not None:
        layers.append(_end_label(base, label, dx=4))
    chart = alt.layer(*layers).properties(width=width or WIDTH, height=alt.Step(_BAR_STEP))
    return with_source(
        chart, title=title, description=description, subtitle=subtitle, lang=lang, width=width
    )


def _dumbbell_scale(scale: str) -> alt.Scale:
    """Linear scales start at the data, not zero; ``zero`` is meaningless on a log scale."""
    return alt.Scale(type="log") if scale == "log" else alt.Scale(zero=False)


def dumbbell(
    data: pd.DataFrame,
    *,
    category: str,
    start: str,
    end: str,
    title: str,
    description: str,
    start_label: str,
    end_label: str,
    growth: str | None = None,
    subtitle: str | Sequence[str] | None = None,
    value_title: str | None = None,
    scale: Literal["linear", "log"] = "linear",
    tooltip: TooltipSpec = None,
    width: int | None = None,
    lang: str = "en",
) -> alt.VConcatChart:
    """Two values per category joined by a line (e.g. implied 2018 baseline -> 2019).

    ``start_label``/``end_label`` name the two dots in the legend; ``growth`` is an
    optional text column (e.g. ``"+12.3%"``) written right of the larger value.
    """
    tips = tooltips(data, tooltip, [category], [start, end], lang=lang)
    base = alt.Chart(data).encode(y=_band(category, None, None), tooltip=tips)
    rule = base.mark_rule(color=SECONDARY, strokeWidth=2).encode(
        x=_value_x(start, value_title, scale=_dumbbell_scale(scale)),
        x2=alt.X2(field=end),
    )
    series = alt.Color(
        field="series",
        type="nominal",
        scale=alt.Scale(domain=[start_label, end_label], range=[SECONDARY, PALETTE[0]]),
        legend=alt.Legend(title=None, symbolType="circle"),
    )
    dots = (
        base.transform_fold(fold=[start, end], as_=["series_field", "series_value"])
        .transform_calculate(
            series=f"datum.series_field === {json.dumps(start)} "
            f"? {json.dumps(start_label)} : {json.dumps(end_label)}"
        )
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            x=_value_x("series_value", value_title, scale=_dumbbell_scale(scale)),
            color=series,
        )
    )
    layers: list[alt.Chart] = [rule, dots]
    if growth is not None:
        layers.append(
            base.transform_calculate(
                growth_x=f"max(datum[{json.dumps(start)}], datum[{json.dumps(end)}])"
            )
            .mark_text(align="left", dx=9, color=INK)
            .encode(
                x=_value_x("growth_x", value_title, scale=_dumbbell_scale(scale)),
                text=alt.Text(field=growth),
            )
        )
    chart = alt.layer(*layers).properties(width=width or WIDTH, height=alt.Step(_BAR_STEP))
    return with_source(
        chart, title=title, description=description, subtitle=subtitle, lang=lang, width=width
    )


def stacked(
    data: pd.DataFrame,
    *,
    category: str,
    part: str,
    value: str,
    title: str,
    description: str,
    order: Sequence[str] | None = None,
    normalize: bool = False,
    subtitle: str | Sequence[str] | None = None,
    value_title: str | None = None,
    tooltip: TooltipSpec = None,
    width: int | None = None,
    integer_axis: bool = False,
    category_order: Sequence[str] | None = None,
    lang: str = "en",
) -> alt.VConcatChart:
    """Horizontal stacked bars: parts (``part``, coloured) of each ``category``'s total.

    ``order`` fixes the legend and stacking order of the parts (e.g.
    ``["transferred 出让", "allocated 划拨"]``); ``normalize`` stacks to 100 %;
    ``integer_axis`` puts ticks on whole numbers only; ``category_order`` fixes the bars' order.
    """
    if normalize:
        axis: Any = alt.Axis(format="%")
    elif integer_axis:
        axis = alt.Axis(tickMinStep=1, format="d")
    else:
        axis = alt.Undefined
    parts: Any = list(order) if order is not None else alt.Undefined
    chart = (
        alt.Chart(data)
        .mark_bar(stroke="#ffffff", strokeWidth=1)
        .encode(
            y=_band(category, None, list(category_order) if category_order else None),
            x=_value_x(
                value,
                value_title,
                stack="normalize" if normalize else "zero",
                axis=axis,
            ),
            color=alt.Color(
                field=part,
                type="nominal",
                sort=parts,
                scale=alt.Scale(domain=parts),
                legend=alt.Legend(title=None),
            ),
            order=alt.Order(field="part_rank", type="quantitative"),
            tooltip=tooltips(data, tooltip, [category, part], [value], lang=lang),
        )
        .transform_calculate(
            part_rank=f"indexof({json.dumps(list(order or []), ensure_ascii=False)}, "
            f"datum[{json.dumps(part, ensure_ascii=False)}])"
        )
        .properties(width=width or WIDTH, height=alt.Step(_BAR_STEP + 4))
    )
    return with_source(
        chart, title=title, description=description, subtitle=subtitle, lang=lang, width=width
    )


def dot(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    description: str,
    stem: bool = False,
    label: str | None = None,
    color: str | None = None,
    sort: Literal["value", "data"] | Sequence[str] = "value",
    subtitle: str | Sequence[str] | None = None,
    value_title: str | None = None,
    tooltip: TooltipSpec = None,
    width: int | None = None,
    lang: str = "en",
) -> alt.VConcatChart:
    """Dot plot of counts on one common zero-based scale; ``stem=True`` is a lollipop."""
    base = alt.Chart(data).encode(
        y=_band(category, None, _order(data, category, value, sort)),
        x=_value_x(value, value_title, scale=alt.Scale(zero=True)),
        tooltip=tooltips(
            data, tooltip, [category, *([color] if color else [])], [value], lang=lang
        ),
    )
    points = base.mark_point(filled=True, size=110, opacity=1)
    if color is not None:
        points = points.encode(color=_colour(data, color))
    layers: list[alt.Chart] = [points]
    if stem:
        layers.insert(0, base.mark_rule(color=SECONDARY, strokeWidth=2).encode(x2=alt.datum(0)))
    if label is not None:
        layers.append(_end_label(base, label, dx=9))
    chart = alt.layer(*layers).properties(width=width or WIDTH, height=alt.Step(_BAR_STEP))
    return with_source(
        chart, title=title, description=description, subtitle=subtitle, lang=lang, width=width
    )


def lollipop(data: pd.DataFrame, **kwargs: Any) -> alt.VConcatChart:
    """:func:`dot` with stems from zero (same keyword arguments)."""
    return dot(data, stem=True, **kwargs)


def matrix(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    description: str,
    value: str | None = None,
    text: str | None = None,
    x_order: Sequence[str] | None = None,
    y_order: Sequence[str] | None = None,
    subtitle: str | Sequence[str] | None = None,
    value_title: str | None = None,
    tooltip: TooltipSpec = None,
    row_step: int = 32,
    lang: str = "en",
) -> alt.VConcatChart:
    """Grid of ``x`` × ``y`` categories with one mark per row of ``data``.

    ``row_step`` is the height of a row in pixels (smaller for long lists).

    With ``value`` the cells are shaded (sequential scheme, legend below); without it each
    row is a dot (e.g. which 2019 figure backs which 2020 focus area). ``text`` writes a
    label column in the cell. Rows absent from ``data`` stay empty.
    """
    x_enc = alt.X(
        field=x,
        type="nominal",
        title=None,
        sort=list(x_order) if x_order is not None else None,
        axis=alt.Axis(
            orient="top", labelAngle=-40, labelAlign="left", grid=True, bandPosition=0, domain=False
        ),
    )
    y_enc = alt.Y(
        field=y,
        type="nominal",
        title=None,
        sort=list(y_order) if y_order is not None else None,
        axis=alt.Axis(grid=True, bandPosition=0, domain=False),
    )
    base = alt.Chart(data).encode(
        x=x_enc,
        y=y_enc,
        tooltip=tooltips(data, tooltip, [y, x], [value] if value else [], lang=lang),
    )
    if value is not None:
        cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
            color=alt.Color(
                field=value,
                type="quantitative",
                title=value_title,
                scale=alt.Scale(scheme=SEQUENTIAL),
                legend=alt.Legend(direction="horizontal", gradientLength=200),
            )
        )
    else:
        cells = base.mark_point(filled=True, size=160, opacity=1, color=PALETTE[0])
    layers: list[alt.Chart] = [cells]
    if text is not None:
        contrast: Any = alt.value(INK)
        if value is not None and len(data):
            middle = float(data[value].min() + data[value].max()) / 2
            contrast = (
                alt.when(f"datum[{json.dumps(value)}] > {middle!r}")
                .then(alt.value("#ffffff"))
                .otherwise(alt.value(INK))
            )
        layers.append(
            base.mark_text(fontSize=11).encode(
                text=alt.Text(field=text, type="nominal"), color=contrast
            )
        )
    chart = alt.layer(*layers).properties(
        width=alt.Step(44), height=alt.Step(row_step), view=alt.ViewBackground(stroke=_GRID)
    )
    return with_source(chart, title=title, description=description, subtitle=subtitle, lang=lang)
