// Pantau desk: keyboard shortcuts, the CSRF header for htmx, and the dashboard charts. No inline script
// anywhere (the Content-Security-Policy allows scripts from /static only).
"use strict";

function typing(ev) {
  const t = ev.target;
  return t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
}

// Lists: j/k move the selection, Enter or o opens it.
let selected = -1;
function rows() { return Array.from(document.querySelectorAll("table[data-keys=rows] tbody tr[data-href]")); }
function select(i) {
  const all = rows();
  if (!all.length) return;
  selected = Math.max(0, Math.min(all.length - 1, i));
  all.forEach((r, n) => r.classList.toggle("selected", n === selected));
  all[selected].scrollIntoView({block: "nearest"});
}

// A flag page: c / d / m choose the decision and focus the note; with a note written, they record it.
function choose(value) {
  const form = document.getElementById("decide");
  if (!form) return;
  const radio = form.querySelector(`input[name=decision][value=${value}]`);
  radio.checked = true;
  const note = form.querySelector("#note");
  if (note.value.trim()) form.requestSubmit(); else note.focus();
}

document.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && ev.target.id === "note") {
    ev.preventDefault();
    ev.target.form.requestSubmit();
    return;
  }
  if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const go = (id) => { const a = document.getElementById(id); if (a) window.location = a.href; };
  switch (ev.key) {
    case "j": select(selected + 1); break;
    case "k": select(selected - 1); break;
    case "Enter": case "o": if (selected >= 0) window.location = rows()[selected].dataset.href; break;
    case "c": choose("confirm"); break;
    case "d": choose("dismiss"); break;
    case "m": choose("needs_more"); break;
    case "n": go("next-flag"); break;
    case "p": go("prev-flag"); break;
    default: return;
  }
  ev.preventDefault();
});

document.addEventListener("click", (ev) => {
  const tr = ev.target.closest("tr[data-href]");
  if (tr && !ev.target.closest("a, button, input, select")) window.location = tr.dataset.href;
});

document.addEventListener("htmx:configRequest", (ev) => {
  const meta = document.querySelector("meta[name=csrf-token]");
  if (meta) ev.detail.headers["X-CSRF-Token"] = meta.content;
});
document.addEventListener("htmx:afterSwap", () => { selected = -1; drawCharts(); });

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"];

function drawCharts() {
  const holder = document.getElementById("chart-data");
  if (!holder || typeof Chart === "undefined") return;
  const data = JSON.parse(holder.dataset.json || "{}");
  if (!data.weeks) return;
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const name = canvas.dataset.chart;
    if (canvas.chart) canvas.chart.destroy();
    let config;
    if (name === "outlet") {
      config = {type: "bar", data: {labels: data.outlet.map((o) => o.outlet), datasets: [
        {label: "alleged", data: data.outlet.map((o) => o.alleged), backgroundColor: PALETTE[0]},
        {label: "pending", data: data.outlet.map((o) => o.pending), backgroundColor: PALETTE[1]}]},
        options: {indexAxis: "y", animation: false}};
    } else {
      const series = Object.entries(data[name] || {});
      config = {type: "bar", data: {labels: data.weeks, datasets: series.map(([label, values], i) => (
        {label, data: values, backgroundColor: PALETTE[i % PALETTE.length]}))},
        options: {animation: false, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true}}}};
    }
    canvas.chart = new Chart(canvas, config);
  });
}
window.addEventListener("load", drawCharts);
