// Draws every chart on the page. Options come from the server as JSON (<script id="chart-option-NAME">),
// so this file only adds what JSON cannot carry: the map registration and tooltip formatters.
// No inline script anywhere (the Content-Security-Policy forbids it): page behaviour lives here too.
(function () {
  "use strict";
  var charts = [];

  // Text from the store (series names, notes, district names) must never be read as HTML:
  // ECharts pastes a formatter's return value into the tooltip as HTML.
  function escapeHtml(v) {
    return String(v == null ? "" : v).replace(/[&<>"'`]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" }[c];
    });
  }
  window.zhizaoEscapeHtml = escapeHtml;

  // Only links within the dashboard are followed (never javascript:, never another site).
  function localUrl(u) {
    return typeof u === "string" && u.charAt(0) === "/" && u.charAt(1) !== "/" && u.charAt(1) !== "\\";
  }

  function option(name) {
    var el = document.getElementById("chart-option-" + name);
    return el ? JSON.parse(el.textContent) : null;
  }

  // On a phone the legend wraps over the y axis's name (the unit): below 600 px it moves under the
  // chart as one scrolling line, with room kept for it (ECharts media queries follow resizes).
  var NARROW = 600;
  function withNarrowLegend(opt) {
    if (!opt.legend || Array.isArray(opt.legend) || opt.baseOption) { return opt; }
    var grid = opt.grid && !Array.isArray(opt.grid) ? opt.grid : {};
    var base = typeof grid.bottom === "number" ? grid.bottom : 40;
    var legend = opt.legend;
    // the entry without a query puts the wide layout back when the screen widens again
    return { baseOption: opt, media: [
      { option: { legend: { type: legend.type || "plain", top: legend.top != null ? legend.top : "auto",
                            bottom: legend.bottom != null ? legend.bottom : "auto" }, grid: { bottom: base } } },
      { query: { maxWidth: NARROW }, option: { legend: { type: "scroll", top: "auto", bottom: 0 },
                                               grid: { bottom: base + 34 } } }] };
  }

  function draw(el, opt) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(withNarrowLegend(opt));
    // Data items may carry a link (monitoring: a district, an industry): a click follows it.
    chart.on("click", function (p) {
      if (p.data && typeof p.data === "object" && localUrl(p.data.url)) { window.location.href = p.data.url; }
    });
    charts.push(chart);
    return chart;
  }

  function drawMap(el, opt) {
    // Boundaries are the plan's own map (opt.geoUrl, served by the dashboard), joined by code (nameProperty).
    var url = opt.geoUrl;
    delete opt.geoUrl;
    if (!localUrl(url)) { return; }
    fetch(url, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error("district boundaries: HTTP " + r.status); }
        return r.json();
      })
      .then(function (geo) {
        echarts.registerMap(opt.series[0].map, geo);
        opt.tooltip.formatter = function (p) {
          var d = p.data || {};
          var v = d.value_text != null ? d.value_text : (d.value != null ? d.value : "—");
          return escapeHtml(d.district || p.name) + "<br>" + escapeHtml(d.group_name || "") + "<br>" + escapeHtml(v);
        };
        draw(el, opt);
        el.setAttribute("data-ready", "1");
      })
      .catch(function (e) { console.error(e); });
  }

  // A select that submits its form on change (districts: the layer; the period list then resets).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () {
      var reset = sel.getAttribute("data-reset");
      if (reset && sel.form.elements[reset]) { sel.form.elements[reset].value = ""; }
      sel.form.submit();
    });
  });

  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var opt = option(el.getAttribute("data-chart"));
    if (!opt) { return; }
    if (opt.series && opt.series.length && opt.series[0].type === "map") {
      drawMap(el, opt);
    } else {
      draw(el, opt);
      el.setAttribute("data-ready", "1");
    }
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
