// The dashboard's charts, drawn from the numbers the page itself shows (json_script).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const percent = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  Chart.defaults.animation = false;

  // The server bounds the series to the plausible dates (about 11 years of days); never draw
  // more than that, whatever the page holds.
  const series = data.pace.series.slice(-4500);
  new Chart(document.getElementById("chart-pace"), {
    data: {
      labels: series.map((p) => p.day),
      datasets: [
        { type: "line", label: gettext("Valid, cumulative"), data: series.map((p) => p.cumulative_valid),
          borderColor: "#198754", yAxisID: "y" },
        { type: "line", label: gettext("Straight line to the requirement"), data: series.map((p) => p.target ?? null),
          borderColor: "#6c757d", borderDash: [6, 4], pointRadius: 0, yAxisID: "y" },
        { type: "bar", label: gettext("Lines entered that day"), data: series.map((p) => p.raw),
          backgroundColor: "rgba(13,110,253,0.35)", yAxisID: "y1" },
      ],
    },
    options: { scales: { y: { beginAtZero: true, position: "left" },
                         y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } } } },
  });

  const reasons = data.reasons.filter((r) => r.lines || r.la_2022);
  new Chart(document.getElementById("chart-reasons"), {
    type: "bar",
    data: {
      labels: reasons.map((r) => r.label),
      datasets: [
        { label: gettext("This petition, % of raw"), data: reasons.map((r) => percent(r.share)), backgroundColor: "#0d6efd" },
        { label: gettext("LA County 2022, % of raw"), data: reasons.map((r) => percent(r.la_2022)), backgroundColor: "#adb5bd" },
      ],
    },
    options: { indexAxis: "y" },
  });

  const circulators = data.circulators.filter((c) => c.validity_rate !== null);
  new Chart(document.getElementById("chart-circulators"), {
    type: "bar",
    data: {
      labels: circulators.map((c) => c.circulator),
      datasets: [{ label: gettext("Validity rate, %"), data: circulators.map((c) => percent(c.validity_rate)),
                   backgroundColor: circulators.map((c) => (c.flagged ? "#dc3545" : "#198754")) }],
    },
    options: { scales: { y: { beginAtZero: true, max: 100 } } },
  });
})();
