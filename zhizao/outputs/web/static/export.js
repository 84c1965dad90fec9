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

  // What a PNG carries besides the chart: the page's heading and the chart's name as its title, and
  // a source line (the synthetic label, else the sources cited on the page, else the plan), the
  // page's address and the date, so that a picture pasted into a document still says what it is.
  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }

  function exportInfo(el) {
    var body = document.body;
    var heading = text(document.querySelector("main h1"));
    var name = el.getAttribute("aria-label") || "";
    var title = heading && name && heading.indexOf(name) < 0 ? heading + " · " + name : (heading || name);
    var what = text(document.getElementById("synthetic-banner"));
    if (!what) {
      var seen = [];
      document.querySelectorAll(".src-head").forEach(function (s) {
        var t = text(s);
        if (t && seen.indexOf(t) < 0) { seen.push(t); }
      });
      what = seen.slice(0, 3).join("；") + (seen.length > 3 ? (body.getAttribute("data-export-more") || "…") : "");
    }
    if (!what) { what = text(document.getElementById("plan-footer")); }
    var address = window.location.origin + window.location.pathname + window.location.search;
    var source = (body.getAttribute("data-export-source") || "Source") +
      what + " · " + address + " · " + new Date().toISOString().slice(0, 10);
    var stem = (body.getAttribute("data-export-stem") || "zhizao").replace(/[\\/:*?"<>|\s]+/g, "_");
    return { title: title, source: source, filename: stem + "-" + (el.getAttribute("data-chart") || "chart") + ".png" };
  }

  // Lines of `s` no wider than `width` on `ctx` (CJK text has no spaces: cut anywhere).
  function wrap(ctx, s, width) {
    var lines = [], line = "";
    for (var i = 0; i < s.length; i++) {
      var next = line + s.charAt(i);
      if (line && ctx.measureText(next).width > width) { lines.push(line); line = s.charAt(i); } else { line = next; }
    }
    if (line) { lines.push(line); }
    return lines;
  }

  // The chart's image with the title above and the source line below, as a PNG data: URL (a Promise).
  function composePng(el) {
    var chart = instance(el);
    if (!chart) { return Promise.reject(new Error("no chart")); }
    var info = exportInfo(el);
    var ratio = 2;
    var url = chart.getDataURL({ type: "png", pixelRatio: ratio, backgroundColor: "#ffffff" });
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () {
        var canvas = document.createElement("canvas");
        var ctx = canvas.getContext("2d");
        var pad = 12 * ratio, width = img.width - 2 * pad;
        var titleFont = "bold " + (16 * ratio) + "px sans-serif", sourceFont = (11 * ratio) + "px sans-serif";
        ctx.font = titleFont;
        var titleLines = wrap(ctx, info.title, width);
        ctx.font = sourceFont;
        var sourceLines = wrap(ctx, info.source, width);
        var top = pad + titleLines.length * 22 * ratio, bottom = pad + sourceLines.length * 15 * ratio;
        canvas.width = img.width;
        canvas.height = img.height + top + bottom;
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.textBaseline = "top";
        ctx.fillStyle = "#1a1a1a";
        ctx.font = titleFont;
        titleLines.forEach(function (l, i) { ctx.fillText(l, pad, pad / 2 + i * 22 * ratio); });
        ctx.drawImage(img, 0, top);
        ctx.fillStyle = "#555555";
        ctx.font = sourceFont;
        sourceLines.forEach(function (l, i) { ctx.fillText(l, pad, top + img.height + pad / 2 + i * 15 * ratio); });
        resolve({ url: canvas.toDataURL("image/png"), filename: info.filename, title: info.title,
                  source: info.source, chartHeight: img.height, height: canvas.height, top: top });
      };
      img.onerror = function () { reject(new Error("chart image")); };
      img.src = url;
    });
  }
  window.zhizaoComposePng = composePng;  // the browser tests read what an export carries

  function savePng(el) {
    composePng(el).then(function (png) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(dataUrlBlob(png.url));
      a.download = png.filename;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }).catch(function (e) { console.error(e); });
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
