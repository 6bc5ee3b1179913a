/* The pipeline page: polls /api/overview every 2 s and redraws. No framework, no build step.
 * Every value from the server goes into the page through textContent or checked attributes. */
/* global document, window */
"use strict";

const POLL_MS = 2000;
const STAGES = ["fetch", "clean", "translate", "extract", "index"];
let selected = new URLSearchParams(window.location.search).get("batch") || "";
let lastOk = 0;
let timer;

// ---- tiny DOM helpers -----------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    // Through the CSSOM: the page's CSP forbids inline style attributes.
    else if (k === "style") Object.assign(el.style, v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof window.Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = "http://www.w3.org/2000/svg";
function s(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || "") ? url : undefined;
}

const fmt = new Intl.NumberFormat();
function n(x) { return fmt.format(x || 0); }

function ms(v) {
  if (v === undefined || v === null) return "–";
  if (v < 1000) return `${v} ms`;
  if (v < 60000) return `${(v / 1000).toFixed(v < 10000 ? 1 : 0)} s`;
  return `${Math.round(v / 60000)} min`;
}

function ago(iso) {
  const t = Date.parse(iso);
  if (!t) return "";
  const d = Math.max(0, (Date.now() - t) / 1000);
  if (d < 60) return `${Math.round(d)} s ago`;
  if (d < 3600) return `${Math.round(d / 60)} min ago`;
  if (d < 86400) return `${Math.round(d / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

function replace(id, ...nodes) {
  const el = document.getElementById(id);
  el.replaceChildren(...nodes.flat());
  return el;
}

// ---- stages ---------------------------------------------------------------------------------

function sparkline(ok, bad) {
  const w = 240, hgt = 34, n = ok.length, bw = w / n;
  const max = Math.max(1, ...ok.map((v, i) => v + (bad[i] || 0)));
  const svg = s("svg", { class: "spark", viewBox: `0 0 ${w} ${hgt}`, preserveAspectRatio: "none", role: "img", "aria-label": "jobs per minute, last hour" });
  svg.append(s("line", { class: "base", x1: 0, x2: w, y1: hgt - 0.5, y2: hgt - 0.5 }));
  ok.forEach((v, i) => {
    const hOk = (v / max) * (hgt - 2);
    const hBad = ((bad[i] || 0) / max) * (hgt - 2);
    if (hOk > 0) svg.append(s("rect", { class: "bar-ok", x: i * bw + 0.6, y: hgt - hOk, width: Math.max(1, bw - 1.2), height: hOk, rx: 1 }));
    if (hBad > 0) svg.append(s("rect", { class: "bar-bad", x: i * bw + 0.6, y: hgt - hOk - hBad, width: Math.max(1, bw - 1.2), height: hBad, rx: 1 }));
  });
  return svg;
}

function count(label, value, cls) {
  return h("div", { class: `count ${cls || ""} ${value ? "" : "zero"}` }, h("b", { class: "num" }, n(value)), h("span", {}, label));
}

function renderStages(stages) {
  replace("stages", stages.map((st, i) => {
    const c = st.counts || {};
    const waiting = (c.waiting || 0) + (c.prioritized || 0) + (c.paused || 0);
    return h("article", { class: "card stage", "data-stage": st.stage },
      h("div", { class: "stage-head" },
        h("a", { class: "stage-name", href: `queues/queue/${encodeURIComponent(st.stage)}`, title: `open the ${st.stage} queue in bull-board` },
          h("span", { class: "stage-step" }, String(i + 1)), st.stage),
        h("a", { href: `queues/queue/${encodeURIComponent(st.stage)}?status=failed`, class: "hint", title: "failed jobs in bull-board" }, "jobs ↗")),
      h("div", { class: "stage-rate" },
        h("span", { class: "big num" }, n(st.completed_last_hour)),
        h("span", { class: "unit" }, "done / h"),
        st.failed_last_hour ? h("span", { class: "bad num" }, `${n(st.failed_last_hour)} failed`) : null),
      sparkline(st.completed_per_minute, st.failed_per_minute),
      h("div", { class: "counts" },
        count("waiting", waiting), count("active", c.active, "active"), count("delayed", c.delayed), count("failed", c.failed, "failed")),
      h("div", { class: "latency" },
        h("div", {}, h("small", {}, "run"), h("b", { class: "num" }, ms(st.latency.processing_p50_ms)), " / ", h("span", { class: "num" }, ms(st.latency.processing_p95_ms))),
        h("div", {}, h("small", {}, "queue wait"), h("b", { class: "num" }, ms(st.latency.wait_p50_ms)), " / ", h("span", { class: "num" }, ms(st.latency.wait_p95_ms)))));
  }));
}

// ---- batches --------------------------------------------------------------------------------

function pct(part, total) {
  return total > 0 ? Math.min(100, (100 * part) / total) : 0;
}

function renderBatches(batches, focus) {
  if (!batches.length) {
    replace("batches", h("p", { class: "empty" }, "No batches yet. Enqueue some URLs: ", h("code", {}, "npm run enqueue -- urls.txt")));
    return;
  }
  replace("batches", batches.map((b) => {
    const e = b.ended;
    const ended = e.indexed + e.failed + e.skipped;
    const problems = e.failed + e.skipped;
    const badge = !b.done ? h("span", { class: "badge running" }, "running")
      : problems ? h("span", { class: "badge done-failures" }, "done, with failures") : h("span", { class: "badge done" }, "done");
    const reasons = Object.entries(b.failure_reasons || {}).sort((x, y) => y[1] - x[1]).slice(0, 6);
    return h("article", {
      class: `card batch ${b.id === focus ? "selected" : ""}`, "data-batch": b.id, "data-ended": ended, "data-count": b.count,
      tabindex: 0, role: "button", "aria-pressed": b.id === focus ? "true" : "false",
      onclick: () => select(b.id), onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(b.id); } },
    },
      h("div", { class: "batch-head" },
        h("span", { class: "batch-title", title: b.label || b.id }, b.label || "unlabelled batch"),
        badge,
        h("span", { class: "spacer" }),
        h("span", { class: "batch-meta" }, h("span", { class: "mono" }, b.id), ` · ${ago(b.created)}`)),
      h("div", { class: "ended", title: `${ended} of ${b.count} ended` },
        h("div", { class: "seg-indexed", style: { width: `${pct(e.indexed, b.count)}%` } }),
        h("div", { class: "seg-failed", style: { width: `${pct(e.failed, b.count)}%` } }),
        h("div", { class: "seg-skipped", style: { width: `${pct(e.skipped, b.count)}%` } })),
      h("div", { class: "ended-text num" },
        h("span", { class: "t-indexed" }, h("b", {}, n(e.indexed)), " indexed"),
        h("span", { class: "t-failed" }, h("b", {}, n(e.failed)), " failed"),
        h("span", { class: "t-skipped" }, h("b", {}, n(e.skipped)), " skipped"),
        h("span", {}, h("b", {}, n(b.count - ended)), " in flight"),
        h("span", { class: "pct" }, `${n(ended)} / ${n(b.count)}`)),
      h("div", { class: "stage-bars" }, STAGES.map((st) => {
        const done = (b.stages || {})[st] || 0;
        // A stage can at most pass the URLs that have not failed before it.
        return [
          h("span", { class: "label" }, st),
          h("div", { class: "track" }, h("div", { class: `fill ${b.done || done >= b.count ? "complete" : ""}`, style: { width: `${pct(done, b.count)}%` } })),
          h("span", { class: "n num", "data-stage-done": st }, `${n(done)} / ${n(b.count)}`),
        ];
      })),
      reasons.length ? h("div", { class: "reasons" }, reasons.map(([r, c]) =>
        h("span", { class: `chip ${/^[^:]*:(unsupported|skip)/.test(r) ? "skip" : ""}` }, r, h("b", {}, `×${c}`)))) : null);
  }));
}

function renderFailures(failures, focus, batches) {
  const b = batches.find((x) => x.id === focus);
  replace("failures-batch", b ? `${b.label || b.id}` : "");
  if (!focus) {
    replace("failures", h("p", { class: "empty" }, "No batch selected."));
    return;
  }
  if (!failures.length) {
    replace("failures", h("div", { class: "card ok-box" }, b && !b.done ? "No failures so far." : "No failures in this batch."));
    return;
  }
  replace("failures", failures.map((f) => {
    const skip = f.samples.length > 0 && f.samples.every((x) => x.status === "skipped");
    return h("article", { class: `card failure ${skip ? "skip" : ""}`, "data-reason": f.reason },
      h("div", { class: "failure-head" },
        h("span", { class: "failure-reason" }, f.reason),
        h("span", { class: "failure-count num" }, `${n(f.count)} URL${f.count === 1 ? "" : "s"}`)),
      f.samples.length ? h("ul", { class: "samples" }, f.samples.map((x) => h("li", {},
        safeUrl(x.url) ? h("a", { href: safeUrl(x.url), target: "_blank", rel: "noopener noreferrer", title: x.url }, x.url) : h("span", { class: "mono" }, x.url),
        x.detail ? h("span", { class: "detail", title: x.detail }, x.detail) : null)))
        : h("p", { class: "hint" }, "sample URLs appear once the failure is indexed"));
  }));
}

function actorLine(e) {
  const src = e.source_countries.length ? e.source_countries.join(", ") : (e.actors.find((a) => a.role === "source") || {}).name;
  const tgt = e.target_countries.length ? e.target_countries.join(", ") : (e.actors.find((a) => a.role === "target") || {}).name;
  if (!tgt) return h("span", { class: "actors" }, src || "?");
  return h("span", { class: "actors" }, src || "?", h("span", { class: "arrow" }, "→"), tgt);
}

function renderEvents(events) {
  if (!events.length) {
    replace("events", h("p", { class: "empty" }, "No events indexed yet."));
    return;
  }
  replace("events", events.map((e) => h("article", { class: "card event", "data-event": e.id },
    h("div", { class: "event-head" },
      h("span", { class: "etype" }, e.type),
      actorLine(e),
      h("span", { class: "event-meta" }, [e.date, e.place].filter(Boolean).join(" · "), e.num_sources ? ` · ${e.num_sources} source${e.num_sources === 1 ? "" : "s"}` : "")),
    e.evidence[0] ? h("blockquote", {}, e.evidence[0].sentence) : null,
    h("div", { class: "srcs" }, e.evidence.filter((x) => safeUrl(x.url)).map((x) =>
      h("a", { href: safeUrl(x.url), target: "_blank", rel: "noopener noreferrer", title: x.url }, x.language ? h("span", { class: "lang" }, x.language) : null, x.url))))));
}

// ---- polling --------------------------------------------------------------------------------

function setLive(state, text) {
  const el = document.getElementById("live");
  el.dataset.state = state;
  document.getElementById("live-text").textContent = text;
}

function select(id) {
  selected = id;
  const url = new URL(window.location.href);
  url.searchParams.set("batch", id);
  window.history.replaceState(null, "", url);
  for (const el of document.querySelectorAll(".batch")) {
    const on = el.dataset.batch === id;
    el.classList.toggle("selected", on);
    el.setAttribute("aria-pressed", on ? "true" : "false");
  }
  refresh();
}

async function refresh() {
  clearTimeout(timer);
  try {
    const res = await fetch(`api/overview${selected ? `?batch=${encodeURIComponent(selected)}` : ""}`, { headers: { accept: "application/json" }, cache: "no-store" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const data = await res.json();
    renderStages(data.stages);
    renderBatches(data.batches, data.selected);
    renderFailures(data.failures, data.selected, data.batches);
    renderEvents(data.events);
    document.getElementById("prefix").textContent = `queue prefix ${data.queue_prefix}`;
    lastOk = Date.now();
    setLive("live", "live");
  } catch (err) {
    setLive("error", lastOk ? `offline (${err.message}), last update ${ago(new Date(lastOk).toISOString())}` : `offline (${err.message})`);
  } finally {
    timer = setTimeout(refresh, document.hidden ? POLL_MS * 5 : POLL_MS);
  }
}

document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
refresh();
