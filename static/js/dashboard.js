// The dashboard's charts, drawn from the numbers the page itself shows (json_script).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const percent = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  const number = (v) => (v === null || v === undefined ? "" : Math.round(v).toLocaleString("en-US"));
  Chart.defaults.animation = false;
  // Colours that stay apart in black and white too: each line has its own dash pattern.
  const GREEN = "#198754", GREY = "#6c757d", BLUE = "#0d6efd", RED = "#dc3545";
  const MONTHS = [
    pgettext("short month", "Jan"), pgettext("short month", "Feb"), pgettext("short month", "Mar"),
    pgettext("short month", "Apr"), pgettext("short month", "May"), pgettext("short month", "Jun"),
    pgettext("short month", "Jul"), pgettext("short month", "Aug"), pgettext("short month", "Sep"),
    pgettext("short month", "Oct"), pgettext("short month", "Nov"), pgettext("short month", "Dec"),
  ];
  const shortDay = (iso) => `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
  const dayTicks = { autoSkip: true, autoSkipPadding: 12, maxTicksLimit: 8, maxRotation: 0 };
  const charts = [];

  // The server bounds the series to the plausible dates (about 11 years of days); never draw
  // more than that, whatever the page holds.
  const series = data.pace.series.slice(-4500);
  const lastKnown = series.reduce((last, p, i) => (p.cumulative_valid !== null ? i : last), -1);
  const upToToday = series.slice(0, lastKnown + 1);
  // Days before the first line are empty bars: the daily chart starts at the first line.
  const firstLine = upToToday.findIndex((p) => p.raw > 0);
  const daily = firstLine < 0 ? upToToday : upToToday.slice(firstLine);
  const hasTarget = series.some((p) => p.target !== undefined);

  // At the recent pace: the last 14 days' valid lines a day, carried on to the deadline.
  const recent = upToToday.slice(-14);
  const recentPerDay = recent.length ? recent.reduce((sum, p) => sum + p.valid, 0) / recent.length : 0;
  const projected = series.map((p, i) => {
    if (!hasTarget || lastKnown < 0 || i < lastKnown) return null;
    return Math.round(upToToday[lastKnown].cumulative_valid + recentPerDay * (i - lastKnown));
  });

  // 1. Valid signatures so far against the requirement, to the deadline.
  const cumulativeDatasets = [
    { label: gettext("Valid so far"), data: series.map((p) => p.cumulative_valid), borderColor: GREEN,
      backgroundColor: GREEN, borderWidth: 3, pointRadius: 0, pointStyle: "line" },
  ];
  if (hasTarget) {
    cumulativeDatasets.push(
      { label: interpolate(ngettext("At the last %(days)s day's pace (%(rate)s valid a day)",
                                  "At the last %(days)s days' pace (%(rate)s valid a day)", recent.length),
                         { days: recent.length, rate: number(recentPerDay) }, true),
        data: projected, borderColor: GREEN, backgroundColor: GREEN, borderDash: [2, 3],
        borderWidth: 2, pointRadius: 0, pointStyle: "line" },
      { label: gettext("Straight line to the requirement by the deadline"), data: series.map((p) => p.target ?? null),
        borderColor: GREY, backgroundColor: GREY, borderDash: [8, 4], borderWidth: 2, pointRadius: 0,
        pointStyle: "line" },
    );
  }
  charts.push(new Chart(document.getElementById("chart-pace"), {
    type: "line",
    data: { labels: series.map((p) => shortDay(p.day)), datasets: cumulativeDatasets },
    options: {
      maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
      plugins: { legend: { labels: { usePointStyle: true, pointStyleWidth: 28 } } },
      scales: { x: { ticks: dayTicks },
                y: { beginAtZero: true, title: { display: true, text: gettext("valid, cumulative") },
                     ticks: { callback: (v) => number(v) } } },
    },
  }));

  // 2. Each day: lines entered and valid, beside the valid a day still needed.
  const needed = data.pace.valid_per_day_needed;
  const dailyDatasets = [
    { type: "bar", label: gettext("Lines entered"), data: daily.map((p) => p.raw), backgroundColor: "rgba(13,110,253,0.45)",
      borderColor: BLUE, borderWidth: 1, pointStyle: "rect" },
    { type: "bar", label: gettext("Valid"), data: daily.map((p) => p.valid), backgroundColor: GREEN, pointStyle: "rect" },
  ];
  if (needed !== null && needed !== undefined) {
    dailyDatasets.push({ type: "line", label: interpolate(gettext("Valid a day needed from now on (%s)"), [number(needed)]),
      data: daily.map(() => needed), borderColor: RED, backgroundColor: RED, borderDash: [8, 4],
      borderWidth: 2, pointRadius: 0, pointStyle: "line" });
  }
  charts.push(new Chart(document.getElementById("chart-daily"), {
    data: { labels: daily.map((p) => shortDay(p.day)), datasets: dailyDatasets },
    options: {
      maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
      plugins: { legend: { labels: { usePointStyle: true, pointStyleWidth: 28 } } },
      scales: { x: { ticks: dayTicks, grid: { display: false } },
                y: { beginAtZero: true, title: { display: true, text: gettext("lines a day") },
                     ticks: { callback: (v) => number(v) } } },
    },
  }));

  const reasons = data.reasons.filter((r) => r.lines || r.la_2022);
  charts.push(new Chart(document.getElementById("chart-reasons"), {
    type: "bar",
    data: {
      labels: reasons.map((r) => r.label),
      datasets: [
        { label: gettext("This petition, % of raw"), data: reasons.map((r) => percent(r.share)), backgroundColor: BLUE },
        { label: gettext("LA County 2022 full count, % of raw"), data: reasons.map((r) => percent(r.la_2022)),
          backgroundColor: "#adb5bd" },
      ],
    },
    options: { indexAxis: "y", maintainAspectRatio: false, scales: { y: { ticks: { autoSkip: false } } } },
  }));

  // One horizontal bar per circulator, every one labelled: the chart grows with their number.
  const circulators = data.circulators.filter((c) => c.validity_rate !== null);
  const box = document.getElementById("chart-circulators-box");
  box.style.setProperty("--bars", String(circulators.length));  // app.css sizes the box
  charts.push(new Chart(document.getElementById("chart-circulators"), {
    type: "bar",
    data: {
      // "check" in the label too: the colour alone is lost in black and white.
      labels: circulators.map((c) => (c.flagged ? `${c.circulator}  [${pgettext("circulator flag", "check")}]` : c.circulator)),
      datasets: [{ label: gettext("Validity rate, %"), data: circulators.map((c) => percent(c.validity_rate)),
                   backgroundColor: circulators.map((c) => (c.flagged ? RED : GREEN)) }],
    },
    options: {
      indexAxis: "y", maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, max: 100, position: "top", title: { display: true, text: gettext("valid, % of decided lines") } },
                y: { ticks: { autoSkip: false, font: { size: 10 } } } },
    },
  }));

  // Printed, the page is narrower than the screen: redraw the charts at the printed size, and
  // back after. Chromium sends beforeprint before it lays the page out for print, so the print
  // media query's change is the moment to measure; beforeprint covers the other browsers.
  const resize = () => charts.forEach((chart) => chart.resize());
  window.matchMedia("print").addEventListener("change", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
