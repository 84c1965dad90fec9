// Exports and print (issue 10): a PNG button under every chart, a print button, and charts and
// collapsed sections made ready for paper. Loaded after app.js, which draws the charts.
// No inline script (CSP): everything is wired here. Tables are exported by the server (?table=).
(function () {
  "use strict";

  function instance(el) {
    return typeof echarts !== "undefined" ? echarts.getInstanceByDom(el) : null;
  }

  // A data: URL as a Blob, decoded here: fetch() of a data: URL is refused by the CSP (connect-src).
  function dataUrlBlob(url) {
    var parts = url.split(",");
    var bytes = atob(parts[1]);
    var buf = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { buf[i] = bytes.charCodeAt(i); }
    return new Blob([buf], { type: "image/png" });
  }

  function savePng(el) {
    var chart = instance(el);
    if (!chart) { return; }
    var url = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(dataUrlBlob(url));
    a.download = "zhizao-" + (document.body.className.replace(/^page-/, "") || "page") + "-" +
      (el.getAttribute("data-chart") || "chart") + ".png";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  var label = document.body.getAttribute("data-png-label") || "PNG";
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var bar = document.createElement("div");
    bar.className = "chart-tools";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "export-png";
    button.setAttribute("data-export-chart", el.getAttribute("data-chart"));
    button.textContent = label;  // text, never HTML
    button.addEventListener("click", function () { savePng(el); });
    bar.appendChild(button);
    el.parentNode.insertBefore(bar, el.nextSibling);
  });

  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  // Paper: every collapsed section printed open, charts redrawn to the printed width.
  var reopened = [];
  function charts() {
    var out = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var c = instance(el);
      if (c) { out.push(c); }
    });
    return out;
  }
  function beforePrint() {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      reopened.push(d);
    });
    charts().forEach(function (c) { c.resize(); });
  }
  function afterPrint() {
    reopened.forEach(function (d) { d.removeAttribute("open"); });
    reopened = [];
    charts().forEach(function (c) { c.resize(); });
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { beforePrint(); } else { afterPrint(); } };
    if (mq.addEventListener) { mq.addEventListener("change", onChange); } else if (mq.addListener) { mq.addListener(onChange); }
  }
})();
