/* Draw the book's charts (see shizhong.sphinxext.mime): one Vega view per .shizhong-chart, fitted to
 * its column. Loaded with `defer` after vega.min.js and vega-tooltip.js.
 *
 * Fitting, at any width: the chart is drawn at its designed size; if its SVG is wider than
 * the column, the plot area narrows (the `width` signal, and the step of a band x axis)
 * down to a floor; then "English 中文" axis labels break onto two lines (rows grow to fit);
 * then every long label wraps to a narrower width, at spaces and between Chinese characters
 * (rows grow with its lines): a label is never cut short with an ellipsis; then a top
 * legend stacks into one column.
 * Only if it is still too wide does the SVG scale down (CSS max-width with its viewBox).
 * A ResizeObserver refits when the column changes width. Colours follow the page's theme
 * through CSS (shizhong-charts.css), so toggling the theme needs no redraw.
 */
(function () {
  "use strict";
  var CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+(?:[\s\d.,:%·“”‘’()]*[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+)*/g;
  var LATIN = /[A-Za-z]/;
  var MIN_WIDTH = 100, MIN_STEP = 18, MIN_LABEL = 72;
  var LIMIT = "shizhong_label_limit", COLUMNS = "shizhong_legend_columns";
  var WRAP = "shizhong_wrap_labels", WRAP_STEP = 1.4, WRAP_WIDTH = "shizhong_wrap_width";
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  // A Chinese character with the closing punctuation after it, a word with its spaces, or
  // an opening bracket with what follows: the pieces a label may break between.
  var PIECES = new RegExp("[\u3008\u300a\u300c\u300e\u3010\uff08\u201c]*(?:[" + HAN +
    "][\u3001\u3002\u3009\u300b\u300d\u300f\u3011\uff09\uff0c\uff1a\uff1b\u201d]*|[^\\s" +
    HAN + "]+\\s*|\\s+)", "g");
  var SPLIT = new RegExp("\\s+(?=[" + HAN + "])|(?<=[" + HAN + "])\\s+(?=[A-Za-z])");
  var measure = null;

  function textWidth(text, font) {
    if (!measure) { measure = document.createElement("canvas").getContext("2d"); }
    measure.font = font;
    return measure.measureText(text).width;
  }

  // Lines of `text` no wider than `width` px (greedy; one piece wider stays whole).
  function wrapTo(text, width, font) {
    var lines = [], line = "";
    (text.match(PIECES) || [text]).forEach(function (piece) {
      var candidate = line + piece;
      if (line.trim() && textWidth(candidate.trim(), font) > width) {
        lines.push(line.trim());
        line = piece.replace(/^\s+/, "");
      } else {
        line = candidate;
      }
    });
    if (line.trim()) { lines.push(line.trim()); }
    return lines;
  }

  // The label text an axis draws: as it is; split between its English and its Chinese
  // (`split`); and, given a `width`, each part wrapped to it. Registered for the specs'
  // label expressions (shizhong.sphinxext.mime).
  function wrapLabel(label, split, width, font) {
    var text = label === null || label === undefined ? "" : String(label);
    if (!split && !(width > 0)) { return text; }
    var parts = split ? text.split(SPLIT) : [text];
    var lines = [];
    parts.forEach(function (part) {
      lines = lines.concat(width > 0 ? wrapTo(part, width, font) : [part]);
    });
    return lines.length > 1 ? lines : text;
  }

  function maxLines(box) {
    var most = 1;
    box.querySelectorAll("svg .role-axis-label text").forEach(function (t) {
      most = Math.max(most, t.querySelectorAll("tspan").length || 1);
    });
    return most;
  }

  // A Chinese page (the Chinese edition) is zh-CN as a whole: its Chinese needs no marking.
  var ZH_PAGE = /^zh/i.test(document.documentElement.lang || "");

  function markChinese(html) {
    if (ZH_PAGE) { return html; }
    return html.replace(CJK, function (run) { return '<span lang="zh-CN">' + run + "</span>"; });
  }

  function tooltipHandler() {
    var handler = new window.vegaTooltip.Handler();
    var format = handler.options.formatTooltip;
    handler.options.formatTooltip = function () {
      return markChinese(format.apply(null, arguments));
    };
    return handler;
  }

  function svgWidth(box) {
    var svg = box.querySelector("svg");
    return svg ? parseFloat(svg.getAttribute("width")) || 0 : 0;
  }

  function labelWidth(box) {
    var widest = 0;
    box.querySelectorAll('svg .role-axis-label text[text-anchor="end"]').forEach(function (t) {
      widest = Math.max(widest, t.getBBox().width);
    });
    return Math.ceil(widest);
  }

  function markSvgText(box) {
    if (ZH_PAGE) { return; }
    box.querySelectorAll("svg text").forEach(function (text) {
      var value = text.textContent || "";
      if (value.search(CJK) >= 0 && !LATIN.test(value)) { text.setAttribute("lang", "zh-CN"); }
    });
  }

  function Chart(box, spec) {
    this.box = box;
    this.view = new window.vega.View(window.vega.parse(spec), {
      renderer: "svg", container: box.firstElementChild, hover: true,
      tooltip: tooltipHandler().call
    });
    var signals = {};
    (spec.signals || []).forEach(function (s) {
      if (typeof s.value === "number" || typeof s.value === "boolean") {
        signals[s.name] = s.value;
      }
    });
    this.width = typeof spec.width === "number" ? spec.width : null;
    this.steps = Object.keys(signals).filter(function (n) { return /_x_step$/.test(n); })
      .map(function (n) { return {name: n, value: signals[n], scale: n.slice(0, -5)}; });
    this.rows = Object.keys(signals).filter(function (n) { return /_y_step$/.test(n); })
      .map(function (n) { return {name: n, value: signals[n]}; });
    this.limit = LIMIT in signals ? signals[LIMIT] : null;
    this.columns = COLUMNS in signals;
    this.wrap = WRAP in signals;
    this.pending = null;
    this.fitted = -1;
  }

  Chart.prototype.reset = function () {
    var view = this.view;
    if (this.width !== null) { view.width(this.width); }
    this.steps.forEach(function (s) { view.signal(s.name, s.value); });
    if (this.limit !== null) { view.signal(LIMIT, this.limit); }
    if (this.columns) { view.signal(COLUMNS, 0); }
    // A label longer than the designed limit wraps to it rather than ending in an ellipsis.
    if (this.wrap) { view.signal(WRAP, false); view.signal(WRAP_WIDTH, this.limit || 0); }
    this.rows.forEach(function (s) { view.signal(s.name, s.value); });
  };

  Chart.prototype.fit = function () {
    var self = this, view = this.view, box = this.box;
    var avail = Math.floor(box.clientWidth);
    if (avail <= 0 || avail === this.fitted) { return Promise.resolve(); }
    this.fitted = avail;
    this.reset();
    function over() { return svgWidth(box) - avail; }
    function growRows(least) {  // rows tall enough for the most lines a label has
      var grow = Math.max(least, 1 + 0.45 * (maxLines(box) - 1));
      if (grow <= 1) { return null; }
      self.rows.forEach(function (s) { view.signal(s.name, Math.round(s.value * grow)); });
      return view.runAsync();
    }
    return view.runAsync().then(function () {
      return growRows(1);
    }).then(function () {
      var excess = over();
      if (excess <= 0) { return null; }
      if (self.width !== null) { view.width(Math.max(MIN_WIDTH, self.width - excess)); }
      self.steps.forEach(function (s) {
        var bands = Math.max(1, view.scale(s.scale).domain().length);
        view.signal(s.name, Math.max(MIN_STEP, s.value - excess / bands));
      });
      return view.runAsync();
    }).then(function () {
      if (over() <= 0 || !self.wrap) { return null; }
      view.signal(WRAP, true);
      self.rows.forEach(function (s) { view.signal(s.name, Math.round(s.value * WRAP_STEP)); });
      return view.runAsync();
    }).then(function () {
      var excess = over();
      if (excess <= 0 || !self.wrap) { return null; }
      var widest = labelWidth(box) || self.limit || MIN_LABEL;
      view.signal(WRAP_WIDTH, Math.max(MIN_LABEL, widest - excess));
      return view.runAsync().then(function () { return growRows(WRAP_STEP); });
    }).then(function () {
      if (over() <= 0 || !self.columns) { return null; }
      view.signal(COLUMNS, 1);
      return view.runAsync();
    }).then(function () {
      box.classList.toggle("shizhong-chart-scaled", over() > 0);
      markSvgText(box);
      box.setAttribute("data-fitted", String(avail));
    });
  };

  Chart.prototype.refit = function () {
    var self = this;
    if (this.pending) { return; }
    this.pending = window.requestAnimationFrame(function () {
      self.pending = null;
      self.fit().catch(function (err) { console.error(err); });
    });
  };

  function draw(box) {
    if (box.hasAttribute("data-embedded")) { return; }
    var source = box.parentElement.querySelector("script.shizhong-chart-spec");
    if (!source) { return; }
    box.setAttribute("data-embedded", "");
    var chart;
    try {
      chart = new Chart(box, JSON.parse(source.textContent));
    } catch (err) {
      console.error(err);
      box.textContent = box.getAttribute("aria-label");
      return;
    }
    chart.fit().catch(function (err) {
      console.error(err);
      box.textContent = box.getAttribute("aria-label");
    });
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () { chart.refit(); }).observe(box);
    }
  }

  function start() {
    if (!window.vega || !window.vegaTooltip) {
      document.querySelectorAll(".shizhong-chart").forEach(function (box) {
        box.textContent = box.getAttribute("aria-label");
      });
      return;
    }
    window.vega.expressionFunction("shizhongWrap", wrapLabel);
    document.querySelectorAll(".shizhong-chart").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
