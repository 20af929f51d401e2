// The driver's status page: reads /api/v1 every second and updates the page in place.
// Values are put in with textContent only, never as markup.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const EVERY_MS = 1000;

function $(id) { return document.getElementById(id); }

function fmt(v, digits) {
  if (v === null || v === undefined) return "–";
  if (typeof v !== "number") return String(v);
  if (digits !== undefined) return v.toFixed(digits);
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en") : String(Math.round(v * 100) / 100);
}

function ago(ms) {
  if (ms === null || ms === undefined) return "–";
  return ms < 1000 ? ms + " ms ago" : (ms / 1000).toFixed(1) + " s ago";
}

function duration(seconds) {
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
}

// Replaces a table's rows: each row is a list of [value, className] or plain values.
function fill(tableId, rows, rowClass) {
  const body = $(tableId).tBodies[0];
  const fresh = document.createElement("tbody");
  for (const r of rows) {
    const tr = document.createElement("tr");
    const cls = rowClass ? rowClass(r) : "";
    if (cls) tr.className = cls;
    for (const cell of r.cells) {
      const td = document.createElement("td");
      const [value, kind] = Array.isArray(cell) ? cell : [cell, typeof cell === "number" ? "num" : ""];
      td.textContent = typeof value === "number" ? fmt(value) : (value === null || value === undefined ? "–" : String(value));
      if (kind) td.className = kind;
      tr.appendChild(td);
    }
    if (r.attrs) for (const [k, v] of Object.entries(r.attrs)) tr.setAttribute(k, v);
    fresh.appendChild(tr);
  }
  body.replaceWith(fresh);
}

// A line chart in an SVG: one polyline per series, scaled to the largest value shown.
function chart(svgId, points, keys) {
  const svg = $(svgId);
  const W = 600, H = 180, top = 14, bottom = 170;
  let max = 0;
  for (const p of points) for (const k of keys) if (typeof p[k] === "number" && p[k] > max) max = p[k];
  const scale = max > 0 ? max * 1.1 : 1;
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  for (let i = 0; i <= 4; i++) {
    const y = top + (bottom - top) * i / 4;
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("class", "grid");
    line.setAttribute("x1", "0"); line.setAttribute("x2", String(W));
    line.setAttribute("y1", String(y)); line.setAttribute("y2", String(y));
    svg.appendChild(line);
  }
  const label = document.createElementNS(SVG, "text");
  label.setAttribute("x", "4"); label.setAttribute("y", "11");
  label.textContent = "max " + fmt(scale / 1.1) + " · last " + Math.round(points.length) + " s";
  svg.appendChild(label);
  const n = points.length;
  keys.forEach((k, i) => {
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("class", "s" + i);
    const xy = [];
    points.forEach((p, j) => {
      if (typeof p[k] !== "number") return;
      const x = n > 1 ? (j / (n - 1)) * W : W;
      const y = bottom - (p[k] / scale) * (bottom - top);
      xy.push(x.toFixed(1) + "," + y.toFixed(1));
    });
    line.setAttribute("points", xy.join(" "));
    svg.appendChild(line);
  });
  const last = n ? points[n - 1] : {};
  svg.setAttribute("data-samples", String(n));
  svg.setAttribute("data-last", keys.map(k => (typeof last[k] === "number" ? last[k] : 0)).join(","));
}

async function get(name) {
  const r = await fetch("api/v1/" + name, { credentials: "same-origin", cache: "no-store" });
  if (!r.ok) throw new Error(name + ": HTTP " + r.status);
  return r.json();
}

async function refresh() {
  const [app, executors, endpoints, connections, plugins, history] = await Promise.all(
    ["application", "executors", "endpoints", "connections", "plugins", "history"].map(get));

  document.title = app.name + " · rpcenv driver";
  $("app-name").textContent = app.name;
  $("app-id").textContent = app.id;
  $("driver-url").textContent = app.driverUrl;
  $("started").textContent = new Date(app.startTime).toLocaleString();
  $("uptime").textContent = duration(app.uptimeSeconds);

  const active = executors.filter(e => e.state === "active").length;
  $("executor-count").textContent = active + " active, " + (executors.length - active) + " removed";
  fill("executors", executors.map(e => ({
    cells: [e.id, e.host, e.state, e.cores, new Date(e.registeredAt).toLocaleTimeString(),
      e.state === "active" ? ago(e.lastHeartbeatAgeMs) : "–",
      e.messagesPerSecond === undefined ? null : e.messagesPerSecond, e.asks, e.failures,
      [e.removalReason || "", "reason"]],
    attrs: { "data-executor": e.id, "data-state": e.state },
    state: e.state,
  })), r => (r.state === "removed" ? "removed" : ""));

  fill("endpoints", endpoints.map(e => ({
    cells: [e.executor, e.endpoint, e.oneWay, e.asks, e.answered, e.failed, e.handlingP50Ms,
      e.handlingP99Ms, e.handlingMaxMs, e.inboxDepth, e.inboxDepthMax, e.stallWarnings],
  })));
  fill("envs", connections.envs.map(c => ({
    cells: [c.executor, c.openIn, c.openOut, c.handshaking, c.framesIn, c.framesOut, c.bytesIn, c.bytesOut,
      c.handshakesRefused, c.framesRefused],
  })));
  fill("peers", connections.peers.map(p => ({
    cells: [p.executor, p.peer, p.direction, p.asksOutstanding, p.outboxBytes],
  })));
  $("driver-plugins").textContent = plugins.driverPlugins.length ? plugins.driverPlugins.join(", ") : "none";
  fill("plugin-metrics", plugins.metrics.map(m => ({ cells: [m.executor, [m.name, "wrap"], m.value] })));
  fill("settings", Object.entries(app.settings).map(([k, v]) => ({ cells: [k, [v, "wrap"]] })));

  chart("chart-rates", history.points, ["messagesPerSecond", "framesInPerSecond", "framesOutPerSecond"]);
  chart("chart-latency", history.points, ["askP50Ms", "askP99Ms"]);
}

async function loop() {
  const status = $("status");
  try {
    await refresh();
    status.textContent = "live";
    status.className = "status ok";
  } catch (e) {
    // The driver stopped or the network failed: say so, keep the last figures, try again.
    status.textContent = "not reachable (" + e.message + "); retrying";
    status.className = "status error";
  }
  setTimeout(loop, EVERY_MS);
}

loop();
