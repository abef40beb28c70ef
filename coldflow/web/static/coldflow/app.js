// coldflow dashboard behaviour. No inline scripts anywhere (the CSP forbids them): pages mark
// elements with data- attributes and this file wires them up, also after HTMX swaps.
(function () {
  "use strict";

  // <input type="checkbox" data-select-all="ids"> ticks every checkbox named "ids" in its form.
  function wireSelectAll(root) {
    root.querySelectorAll("[data-select-all]").forEach(function (box) {
      if (box.dataset.wired) return;
      box.dataset.wired = "1";
      box.addEventListener("change", function () {
        var name = box.dataset.selectAll;
        // form.elements also holds the checkboxes outside the form that name it (form="…").
        var boxes = box.form
          ? Array.prototype.filter.call(box.form.elements, function (el) {
              return el.type === "checkbox" && el.name === name;
            })
          : document.querySelectorAll('input[type=checkbox][name="' + name + '"]');
        boxes.forEach(function (other) { other.checked = box.checked; });
      });
    });
  }

  // <form data-confirm="Really?"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.dataset && form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  // <select data-autosubmit> submits its form when changed (the workspace switcher).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-navigate]") && el.value) {
      window.location.assign(el.value);
    }
  });

  // <div data-chart="id-of-json"> draws the series of <script type="application/json" id=…>
  // {"x": [unix seconds…], "series": [{"label": "sent", "values": […]}, …]} with uPlot.
  var COLOURS = ["#1f5fd6", "#1b6e3a", "#c2410c", "#a4161a", "#6b21a8", "#0e7490"];
  function drawCharts(root) {
    if (typeof window.uPlot === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      if (box.dataset.drawn) return;
      var source = document.getElementById(box.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      box.dataset.drawn = "1";
      var series = [{}];
      var columns = [data.x];
      data.series.forEach(function (s, i) {
        series.push({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2 });
        columns.push(s.values);
      });
      var width = Math.max(320, box.clientWidth || 720);
      new window.uPlot({ width: width, height: 240, series: series, axes: [{}, {}] }, columns, box);
    });
  }

  function wire(root) { wireSelectAll(root); drawCharts(root); }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSettle", function (event) { wire(event.target); });
})();
