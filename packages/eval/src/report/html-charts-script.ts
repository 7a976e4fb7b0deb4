/**
 * The page script of report.html: reads the embedded results and draws, per dataset, accuracy vs supervision step
 * (one colour per model; exact solid, token dashed) and the halting histogram (first step where the halting head
 * says stop, or the steps taken when the evaluation was not traced), with chart.js. Plain ES2017, no imports.
 */
export const CHARTS_SCRIPT = `
(function () {
  "use strict";
  var results = JSON.parse(document.getElementById("recurse-results").textContent);
  var palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
  var colour = {};
  results.models.forEach(function (m, i) { colour[m.name] = palette[i % palette.length]; });
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  window.recurseCharts = [];

  function percentAxis(title) {
    return { min: 0, max: 1, title: { display: true, text: title }, ticks: { callback: function (v) { return Math.round(v * 100) + "%"; } } };
  }

  results.datasets.forEach(function (dataset, d) {
    var entries = results.entries.filter(function (e) { return e.dataset === dataset.name; });

    var curveCanvas = document.getElementById("curve-" + d);
    var curved = entries.filter(function (e) { return e.curve; });
    if (curveCanvas && curved.length) {
      var steps = [];
      curved.forEach(function (e) { e.curve.step.forEach(function (s) { if (steps.indexOf(s) < 0) steps.push(s); }); });
      steps.sort(function (a, b) { return a - b; });
      var lines = [];
      curved.forEach(function (e) {
        var at = function (key) { return steps.map(function (s) { var k = e.curve.step.indexOf(s); return k < 0 ? null : e.curve[key][k]; }); };
        lines.push({ label: e.model + " exact", data: at("exact_accuracy"), borderColor: colour[e.model], backgroundColor: colour[e.model], tension: 0 });
        lines.push({ label: e.model + " token", data: at("token_accuracy"), borderColor: colour[e.model], backgroundColor: colour[e.model], borderDash: [6, 4], tension: 0 });
      });
      window.recurseCharts.push(new Chart(curveCanvas, {
        type: "line",
        data: { labels: steps, datasets: lines },
        options: { scales: { x: { title: { display: true, text: "supervision step" } }, y: percentAxis("accuracy") } }
      }));
    }

    var haltCanvas = document.getElementById("halt-" + d);
    var halting = entries.filter(function (e) { return e.halting; });
    if (haltCanvas && halting.length) {
      var traced = halting.every(function (e) { return e.halting.first_halt_histogram; });
      var hist = function (e) { return traced ? e.halting.first_halt_histogram : e.halting.steps_histogram; };
      var labels = [];
      halting.forEach(function (e) { hist(e).step.forEach(function (s) { if (labels.indexOf(s) < 0) labels.push(s); }); });
      labels.sort(function (a, b) { return a - b; });
      var keys = labels.map(String);
      if (traced) keys.push("never");
      var bars = halting.map(function (e) {
        var h = hist(e);
        var total = h.count.reduce(function (a, b) { return a + b; }, 0) + (h.never || 0);
        var data = labels.map(function (s) { var k = h.step.indexOf(s); return k < 0 || !total ? 0 : h.count[k] / total; });
        if (traced) data.push(total ? h.never / total : 0);
        return { label: e.model, data: data, backgroundColor: colour[e.model] };
      });
      window.recurseCharts.push(new Chart(haltCanvas, {
        type: "bar",
        data: { labels: keys, datasets: bars },
        options: { scales: {
          x: { title: { display: true, text: traced ? "first step where the halting head says stop" : "supervision steps taken" } },
          y: percentAxis("share of examples")
        } }
      }));
    }
  });
})();
`;
