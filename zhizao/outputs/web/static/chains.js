// The chain map (issue 12): app.js draws the graph from its JSON option (<script id="chart-option-chain">)
// and follows a node's link on click; this file adds what JSON cannot carry: the tooltip, built as DOM
// with textContent (link and enterprise names come from the plan and imported files: never HTML), and
// the phone layout. Loaded with `defer`, so it runs after app.js has drawn the chart. No inline script (CSP).
(function () {
  "use strict";
  var el = document.getElementById("chart-chain");
  if (!el || typeof echarts === "undefined") { return; }
  var chart = echarts.getInstanceByDom(el);
  var source = document.getElementById("chart-option-chain");
  if (!chart || !source) { return; }
  var wide = JSON.parse(source.textContent);
  var wideHeight = el.style.height;
  var NARROW = 600;  // as app.js: below it the stages run top to bottom
  var ROW = 84;      // px per stage in the narrow layout

  function lines(parts, strongFirst) {
    var box = document.createElement("div");
    box.className = "chain-tip";
    parts.forEach(function (text, i) {
      var line = document.createElement(i === 0 && strongFirst ? "strong" : "div");
      line.textContent = text == null ? "" : String(text);
      box.appendChild(line);
      if (i === 0 && strongFirst) { box.appendChild(document.createElement("br")); }
    });
    return box;
  }

  var nodes = wide.series[0].data || [];
  var tooltip = {
    trigger: "item", confine: true,
    formatter: function (p) {
      if (p.dataType === "edge") {
        var s = nodes[p.data.source], t = nodes[p.data.target];
        return lines([(s ? s.name : "") + " → " + (t ? t.name : "")], false);
      }
      var d = p.data || {};
      return lines(Array.isArray(d.tip) ? d.tip : [p.name], true);
    }
  };

  // A phone has no room for the stages side by side (their names ran into each other) nor for every
  // link's name: the stages become rows, top (upstream) to bottom, named at the left; the circles
  // carry no name (on tap and in the tooltip; the table below names every link).
  function narrow(opt) {
    var o = JSON.parse(JSON.stringify(opt));
    var yAxis = o.yAxis;
    o.grid = { left: 74, right: 18, top: 18, bottom: 18, containLabel: false };
    o.xAxis = { type: "value", show: false, min: yAxis.min, max: yAxis.max };
    o.yAxis = { type: "category", data: opt.xAxis.data, inverse: true, boundaryGap: true,
                axisTick: { show: false }, axisLine: { show: false }, splitLine: { show: false },
                axisLabel: { fontWeight: "bold", interval: 0, width: 64, overflow: "break", lineHeight: 14 } };
    var s = o.series[0];
    s.data.forEach(function (n) {
      n.value = [n.value[1], n.value[0]];
      n.symbolSize = Math.max(12, Math.round(n.symbolSize * 0.7));
    });
    s.label = { show: false };
    s.emphasis = { focus: "adjacency", label: { show: true, position: "bottom", fontSize: 11 } };
    return o;
  }

  var layout = null;
  function apply() {
    var want = el.parentElement.clientWidth < NARROW ? "narrow" : "wide";
    if (want === layout) { return; }
    layout = want;
    var opt = want === "narrow" ? narrow(wide) : JSON.parse(JSON.stringify(wide));
    opt.tooltip = tooltip;
    el.style.height = want === "narrow" ? (36 + ROW * opt.yAxis.data.length) + "px" : wideHeight;
    chart.resize();
    chart.setOption(opt, true);
    el.setAttribute("data-layout", want);
    if (want === "narrow") { el.setAttribute("data-labels", "hover"); } else { el.removeAttribute("data-labels"); }
  }
  apply();
  window.addEventListener("resize", apply);
  el.setAttribute("data-tooltip", "1");
})();
