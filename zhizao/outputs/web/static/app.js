// Draws every chart on the page. Options come from the server as JSON (<script id="chart-option-NAME">),
// so this file only adds what JSON cannot carry: the map registration and tooltip formatters.
(function () {
  "use strict";
  var charts = [];

  function option(name) {
    var el = document.getElementById("chart-option-" + name);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw(el, opt) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(opt);
    // Data items may carry a link (monitoring: a district, an industry): a click follows it.
    chart.on("click", function (p) {
      if (p.data && typeof p.data === "object" && p.data.url) { window.location.href = p.data.url; }
    });
    charts.push(chart);
    return chart;
  }

  function drawMap(el, opt) {
    // Boundaries come from the package (zhizao/resources/geo), joined by adcode (nameProperty).
    fetch("/geo/chongqing-districts.geojson", { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error("district boundaries: HTTP " + r.status); }
        return r.json();
      })
      .then(function (geo) {
        echarts.registerMap(opt.series[0].map, geo);
        opt.tooltip.formatter = function (p) {
          var d = p.data || {};
          var v = d.value_text != null ? d.value_text : (d.value != null ? d.value : "—");
          return (d.district || p.name) + "<br>" + (d.group_name || "") + "<br>" + v;
        };
        draw(el, opt);
        el.setAttribute("data-ready", "1");
      })
      .catch(function (e) { console.error(e); });
  }

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
