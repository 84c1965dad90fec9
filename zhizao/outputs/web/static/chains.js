// The chain map (issue 12): app.js draws the graph from its JSON option (<script id="chart-option-chain">)
// and follows a node's link on click; this file adds what JSON cannot carry: the tooltip, built as DOM
// with textContent (link and enterprise names come from the plan and imported files: never HTML).
// Loaded with `defer`, so it runs after app.js has drawn the chart. No inline script (CSP).
(function () {
  "use strict";
  var el = document.getElementById("chart-chain");
  if (!el || typeof echarts === "undefined") { return; }
  var chart = echarts.getInstanceByDom(el);
  if (!chart) { return; }

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

  var nodes = (chart.getOption().series || [{}])[0].data || [];
  chart.setOption({
    tooltip: {
      trigger: "item",
      formatter: function (p) {
        if (p.dataType === "edge") {
          var s = nodes[p.data.source], t = nodes[p.data.target];
          return lines([(s ? s.name : "") + " → " + (t ? t.name : "")], false);
        }
        var d = p.data || {};
        return lines(Array.isArray(d.tip) ? d.tip : [p.name], true);
      }
    }
  });
  // A phone has no room for every link's name: the names overlap. There the graph shows the circles
  // (the name on hover or tap, and in the tooltip); the table below names every link.
  if (el.clientWidth < 560) {
    chart.setOption({ series: [{ label: { show: false }, emphasis: { label: { show: true } } }] });
    el.setAttribute("data-labels", "hover");
  }
  el.setAttribute("data-tooltip", "1");
})();
