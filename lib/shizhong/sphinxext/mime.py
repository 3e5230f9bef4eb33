"""myst-nb mime renderer for the book's charts (see ``shizhong.render`` for the bundle).

Registered through the ``myst_nb.mime_renderers`` entry point (see pyproject.toml):

* HTML builders pick the compiled Vega spec (``application/vnd.vega.v5+json``) and show it
  as :func:`chart_html`: title, subtitle and source line as HTML text, an accessible
  container, the chart's data table, and the spec as JSON that ``shizhong-charts.js`` draws
  with the Vega runtime and vega-tooltip (all three served from ``_static`` by
  ``shizhong.sphinxext``), fitted to the column.
* The LaTeX builder picks the Vega-Lite spec (``application/vnd.vegalite.v6+json``) and
  gets a vector PDF from vl-convert. Sphinx renders every mime type of an output and picks
  one later, so for other builders this returns nothing at once: only LaTeX builds pay for
  vl-convert. Rendered PDFs are cached in ``<build>/.chart-pdf-cache`` by a hash of the spec
  and the vl-convert version, so rebuilding the PDF converts only the charts that changed.

An ``image/png`` that JupyterLab adds beside a chart when it saves a notebook ranks below
both, so neither edition shows it.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Final

from docutils import nodes
from myst_nb.core.render import base_render_priority

from shizhong.render import CHART_CLASS, VEGA_MIME, VEGALITE_MIME, chart_id, description, to_pdf
from shizhong.sphinxext.language import LANG, split_runs

__all__ = ["ChartRenderer", "chart_html", "data_table", "prune_data", "screen_spec"]

#: Signals the screen spec adds: the y-axis label limit and a top legend's columns, which
#: the draw script (``static/js/shizhong-charts.js``) lowers to fit a narrow column.
LABEL_LIMIT_SIGNAL: Final = "shizhong_label_limit"
LEGEND_COLUMNS_SIGNAL: Final = "shizhong_legend_columns"
#: On narrow screens an axis label "English 中文" (or "中文 English") breaks between its
#: English and its Chinese part; narrower still, every label wraps to the width the draw
#: script sets (``shizhong_wrap_width``, px): at spaces and between Chinese characters,
#: never cut short. ``shizhongWrap`` is the expression function the draw script registers.
WRAP_SIGNAL: Final = "shizhong_wrap_labels"
WRAP_WIDTH_SIGNAL: Final = "shizhong_wrap_width"
_WRAPPED: Final = "shizhongWrap(%(label)s, %(wrap)s, %(width)s, %(font)s)"
DATA_SUMMARY: Final = "Data behind this chart"
DATA_SUMMARY_ZH: Final = "图表数据"
SCREEN_PADDING: Final = {"top": 4, "bottom": 4, "left": 2, "right": 6}


def _spec_json(spec: dict[str, Any]) -> str:
    """Compact JSON of the spec, safe to inline in a <script> element."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _text(value: Any, lang: str = "en") -> str:
    """HTML-escaped text with every run of Chinese in ``<span lang="zh-CN">`` (in the English
    edition; a Chinese page is zh-CN as a whole)."""
    if lang == "zh":
        return html.escape(str(value), quote=False)
    out = []
    for piece, chinese in split_runs(str(value)):
        escaped = html.escape(piece, quote=False)
        out.append(f'<span lang="{LANG}">{escaped}</span>' if chinese else escaped)
    return "".join(out)


def _lines(text: Any) -> str:
    return " ".join(str(t) for t in text) if isinstance(text, list) else str(text or "")


def _axes(node: Any) -> list[dict[str, Any]]:
    """Every axis of a Vega spec, nested groups included."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found += [a for a in node.get("axes", []) if isinstance(a, dict)]
        for mark in node.get("marks", []):
            found += _axes(mark)
    return found


def _legends(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found += [g for g in node.get("legends", []) if isinstance(g, dict)]
        for mark in node.get("marks", []):
            found += _legends(mark)
    return found


def screen_spec(vega: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(spec to draw on screen, texts): title, subtitle and source line leave the SVG.

    On screen they are HTML text that wraps at any width (the PDF keeps them in the vector
    chart). The background goes (the chart draws on the page, light or dark), so do data
    columns the chart never reads (:func:`prune_data`), and the left axes' label limit and
    top legends' columns become signals the draw script fits.
    """
    spec = copy.deepcopy(vega)
    prune_data(spec)
    title = spec.pop("title", None) or {}
    if not isinstance(title, dict):
        title = {"text": title}
    spec.pop("background", None)
    autosize = spec.get("autosize") or {"type": "pad"}
    if isinstance(autosize, str):
        autosize = {"type": autosize}
    spec["autosize"] = {**autosize, "resize": True}  # re-measured at every fit, not only once
    spec["padding"] = SCREEN_PADDING  # "pad" makes room for end labels; the page has margins
    meta = spec.pop("usermeta", None) or {}
    source = ""
    for mark in spec.get("marks", []):
        footer = mark.get("title") if isinstance(mark, dict) else None
        if isinstance(footer, dict) and footer.get("orient") == "bottom":
            source = _lines(footer.get("text"))
            del mark["title"]
    limit = spec.get("config", {}).get("axis", {}).get("labelLimit", 180)
    signals = spec.setdefault("signals", [])
    signals.append({"name": LABEL_LIMIT_SIGNAL, "value": limit})
    signals.append({"name": WRAP_SIGNAL, "value": False})
    signals.append({"name": WRAP_WIDTH_SIGNAL, "value": 0})
    axis_config = spec.get("config", {}).get("axis", {})
    font = json.dumps(
        f"{axis_config.get('labelFontSize', 10)}px {axis_config.get('labelFont', 'sans-serif')}"
    )
    for axis in _axes(spec):
        if axis.get("orient") == "left" and axis.get("labels", True) is not False:
            axis["labelLimit"] = {"signal": LABEL_LIMIT_SIGNAL}
            update = axis.setdefault("encode", {}).setdefault("labels", {}).setdefault("update", {})
            label = (update.get("text") or {}).get("signal", "datum.label")
            update["text"] = {
                "signal": _WRAPPED
                % {"wrap": WRAP_SIGNAL, "width": WRAP_WIDTH_SIGNAL, "label": label, "font": font}
            }
    legends = [g for g in _legends(spec) if g.get("orient", "top") == "top"]
    if legends:
        signals.append({"name": LEGEND_COLUMNS_SIGNAL, "value": 0})
        for legend in legends:
            legend["columns"] = {"signal": LEGEND_COLUMNS_SIGNAL}
    subtitle = title.get("subtitle") or []
    texts = {
        "title": _lines(title.get("text")),
        "subtitle": _lines(subtitle),
        "source": source,
        "columns": (meta.get("shizhong") or {}).get("table") or [],
    }
    return spec, texts


_DATUM_FIELD: Final = re.compile(r"""datum\[\s*["']([^"']+)["']\s*\]|datum\.(\w+)""")


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def prune_data(spec: dict[str, Any]) -> None:
    """Drop the inline data's columns the spec never reads (the data table keeps its own).

    A column is kept if its name is any string of the spec outside the data values, or a
    ``datum`` field in an expression: conservative, so no drawn or tooltip field is lost.
    """
    inline = [d for d in spec.get("data", []) if isinstance(d.get("values"), list)]
    rest = {k: v for k, v in spec.items() if k != "data"}
    rest["data"] = [{k: v for k, v in d.items() if k != "values"} for d in spec.get("data", [])]
    used: set[str] = set()
    for text in _strings(rest):
        used.add(text)
        used.update(a or b for a, b in _DATUM_FIELD.findall(text))
    for data in inline:
        data["values"] = [
            {k: v for k, v in row.items() if k in used} if isinstance(row, dict) else row
            for row in data["values"]
        ]


def _rows(vega: dict[str, Any]) -> list[dict[str, Any]]:
    """The chart's data rows: the first inline dataset of the spec."""
    for data in vega.get("data", []):
        if isinstance(data.get("values"), list):
            return [row for row in data["values"] if isinstance(row, dict)]
    return []


def _cell(value: Any, number_format: str | None, lang: str = "en") -> str:
    """A table cell's HTML: numbers in the tooltip's format (d3 and Python agree on the
    common ``,``, ``.1f`` and ``.0%`` forms; anything else falls back to ``,``)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if number_format is not None and isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and number_format == ",":
            return f"{int(value):,}"
        try:
            return html.escape(format(value, number_format))
        except ValueError:
            return f"{value:,}"
    return _text(value, lang)


def chart_lang(vega: dict[str, Any]) -> str:
    """The edition a chart was drawn for (``usermeta`` from :func:`shizhong.chart.with_source`)."""
    meta = vega.get("usermeta", {})
    return str(meta.get("shizhong", {}).get("lang", "en")) if isinstance(meta, dict) else "en"


def data_table(vega: dict[str, Any], columns: list[dict[str, str]], title: str) -> str:
    """``<details>`` with the chart's data rows in ``columns`` (all fields if none given)."""
    lang = chart_lang(vega)
    summary = DATA_SUMMARY_ZH if lang == "zh" else DATA_SUMMARY
    rows = _rows(vega)
    if not columns:
        fields = list(dict.fromkeys(k for row in rows for k in row))
        columns = [{"field": f, "title": f} for f in fields]
    head = "".join(f'<th scope="col">{_text(c["title"], lang)}</th>' for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_cell(row.get(c['field']), c.get('format'), lang)}</td>" for c in columns)
        + "</tr>"
        for row in rows
    )
    return (
        f'<details class="shizhong-data"><summary>{summary}</summary>'
        f'<table class="table"><caption>{_text(title or summary, lang)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def chart_html(vega: dict[str, Any]) -> str:
    """HTML for the book: title and subtitle, an accessible chart container, the source line,
    the data table, and the spec the draw script (``_static/shizhong-charts.js``) draws."""
    element_id = chart_id(vega)
    lang = chart_lang(vega)
    label = html.escape(description(vega), quote=True)
    spec, texts = screen_spec(vega)
    parts = [f'<div class="{CHART_CLASS}-figure">']
    if texts["title"]:
        parts.append(f'<p class="{CHART_CLASS}-title">{_text(texts["title"], lang)}</p>')
    if texts["subtitle"]:
        parts.append(f'<p class="{CHART_CLASS}-subtitle">{_text(texts["subtitle"], lang)}</p>')
    parts.append(
        f'<div id="{element_id}" class="{CHART_CLASS}" role="img" aria-label="{label}">'
        f'<div class="{CHART_CLASS}-view"></div></div>'
    )
    if texts["source"]:
        parts.append(f'<p class="{CHART_CLASS}-source">{_text(texts["source"], lang)}</p>')
    parts.append(data_table(vega, texts["columns"], texts["title"]))
    parts.append(
        f'<script type="application/json" class="{CHART_CLASS}-spec">{_spec_json(spec)}</script>'
    )
    parts.append("</div>")
    return "".join(parts)


def _spec(data: Any) -> dict[str, Any]:
    content = data.content
    return content if isinstance(content, dict) else json.loads(content)


#: Builders that show HTML (html, dirhtml, singlehtml, epub, ...): they pick the Vega spec.
_HTML_BUILDERS: Final = sorted(
    name for name, priority in base_render_priority().items() if "text/html" in priority
)


class ChartRenderer:
    """Vega specs become chart HTML; Vega-Lite specs become PDF images (LaTeX only)."""

    mime_priority_overrides: ClassVar[list[tuple[str, str, int]]] = [
        *((name, VEGA_MIME, 1) for name in _HTML_BUILDERS),
        ("latex", VEGALITE_MIME, 1),
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        """Docutils nodes for a chart's Vega or Vega-Lite spec; None for other types."""
        if inline:
            return None
        if data.mime_type == VEGA_MIME:
            raw = nodes.raw("", chart_html(_spec(data)), format="html")
            raw["classes"] += ["output", "text_html"]
            return [raw]
        if data.mime_type != VEGALITE_MIME:
            return None
        env = getattr(renderer.renderer, "sphinx_env", None)
        if env is None or env.app.builder.format != "latex":
            return []
        spec = _spec(data)
        pdf = _cached_pdf(spec, Path(env.app.outdir).parent / ".chart-pdf-cache")
        name = f"{hashlib.sha256(pdf).hexdigest()}.pdf"
        uri = renderer.write_file([name], pdf, overwrite=False, exists_ok=True)
        return [nodes.image(uri=uri, alt=description(spec))]


def _cached_pdf(spec: dict[str, Any], cache: Path) -> bytes:
    """``to_pdf(spec)``, reused from ``cache`` when this spec was converted before."""
    import vl_convert as vlc

    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = hashlib.sha256(f"{vlc.__version__}\n{canonical}".encode()).hexdigest()
    path = cache / f"{key}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = to_pdf(spec)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return pdf
