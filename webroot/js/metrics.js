// Metrics: rolling series from dashboard.metrics (MetricReports tagged node, vm, mcp, agent) and
// from heartbeat loads, drawn with Chart.js at most once a second while the view is visible;
// and the alerts feed from alert.* events.

import { h, clear, setText, scheduleRender, serverNow, toMillis, formatTime } from './util.js';
import { subscribe } from './bus.js';
import { agents, onHeartbeats } from './agents.js';

const WINDOW_MS = 10 * 60 * 1000;
const MAX_ALERTS = 200;
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5',
  '#0d9488', '#b91c1c', '#a16207', '#9333ea', '#0369a1', '#be123c', '#15803d', '#c2410c', '#1d4ed8', '#6d28d9'];

/** Timestamps and values of one line, oldest first, trimmed to the window. */
class Series {
  constructor() {
    this.ts = [];
    this.vs = [];
  }

  /** Adds a point; points closer than minGap ms to the last one replace it. */
  add(t, v, minGap = 0) {
    const n = this.ts.length;
    if (n && t < this.ts[n - 1]) return; // out of order: older than what we have
    if (n && t - this.ts[n - 1] < minGap) {
      this.vs[n - 1] = v;
      return;
    }
    this.ts.push(t);
    this.vs.push(v);
  }

  trim(oldest) {
    let i = 0;
    while (i < this.ts.length && this.ts[i] < oldest) i++;
    if (i > 0) {
      this.ts.splice(0, i);
      this.vs.splice(0, i);
    }
  }

  last() {
    return this.vs.length ? this.vs[this.vs.length - 1] : NaN;
  }

  meanSince(t) {
    let sum = 0;
    let n = 0;
    for (let i = this.ts.length - 1; i >= 0 && this.ts[i] >= t; i--) {
      sum += this.vs[i];
      n++;
    }
    return n ? sum / n : NaN;
  }

  points(now) {
    const out = new Array(this.ts.length);
    for (let i = 0; i < this.ts.length; i++) out[i] = { x: (this.ts[i] - now) / 1000, y: this.vs[i] };
    return out;
  }
}

const nodeSeries = new Map(); // `${node}\u0000${metric}` -> Series
const agentSeries = new Map(); // agent_id -> Series (load in %)
const mcpLatest = new Map(); // server -> {up, latency_ms, at}
const vmLatest = new Map(); // vmid -> {name, node, running, cpu_pct, memory_used_pct, at}
const picked = new Set();
const colors = new Map();
const activeAlerts = new Map(); // rule/target -> alert data

let visible = false;
let dirty = true;
let nodesChart = null;
let agentsChart = null;
let alertsFeed;
let pendingAlerts = [];
let alertCount = 0;

function colorFor(key) {
  let color = colors.get(key);
  if (!color) {
    color = PALETTE[colors.size % PALETTE.length];
    colors.set(key, color);
  }
  return color;
}

export function initMetrics() {
  alertsFeed = document.getElementById('alerts-feed');
  subscribe('dashboard.metrics', (batch) => {
    const items = Array.isArray(batch.items) ? batch.items : [];
    for (const report of items) applyReport(report, batch.now);
    dirty = true;
  });
  onHeartbeats((items, now) => {
    const t = Number.isFinite(now) ? now : serverNow();
    for (const hb of items) {
      if (!hb || typeof hb.agent_id !== 'string' || typeof hb.load !== 'number') continue;
      seriesFor(agentSeries, hb.agent_id).add(t, hb.load * 100, 1000);
    }
    dirty = true;
  });
  subscribe('dashboard.events', (batch) => {
    const items = Array.isArray(batch.items) ? batch.items : [];
    let any = false;
    for (const event of items) {
      if (event && typeof event.event_type === 'string' && event.event_type.startsWith('alert.')) {
        pendingAlerts.push(event);
        any = true;
      }
    }
    if (any) scheduleRender(renderAlerts);
  });

  document.getElementById('metrics-top-n').addEventListener('change', () => {
    dirty = true;
    updateCharts();
  });
  const pickInput = document.getElementById('metrics-agent-pick');
  const addPicked = () => {
    const id = pickInput.value.trim();
    if (!id) return;
    picked.add(id);
    pickInput.value = '';
    renderPicked();
    dirty = true;
    updateCharts();
  };
  document.getElementById('metrics-agent-add').addEventListener('click', addPicked);
  pickInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      addPicked();
    }
  });
  pickInput.addEventListener('focus', fillAgentOptions);
  document.getElementById('alerts-clear').addEventListener('click', () => {
    clear(alertsFeed);
    alertCount = 0;
    document.getElementById('alerts-empty').hidden = false;
  });

  setInterval(() => {
    const oldest = serverNow() - WINDOW_MS;
    for (const map of [nodeSeries, agentSeries]) {
      for (const [key, series] of map) {
        series.trim(oldest);
        if (!series.ts.length) map.delete(key);
      }
    }
    if (visible && dirty) updateCharts();
  }, 1000);
}

function seriesFor(map, key) {
  let series = map.get(key);
  if (!series) {
    series = new Series();
    map.set(key, series);
  }
  return series;
}

function applyReport(report, now) {
  if (!report || typeof report !== 'object') return;
  const tags = report.tags && typeof report.tags === 'object' ? report.tags : {};
  const metrics = report.metrics && typeof report.metrics === 'object' ? report.metrics : {};
  let t = toMillis(report.timestamp);
  if (!Number.isFinite(t)) t = Number.isFinite(now) ? now : serverNow();
  switch (tags.kind) {
    case 'node':
      if (!tags.node) return;
      for (const metric of ['cpu_pct', 'memory_used_pct']) {
        if (typeof metrics[metric] === 'number') seriesFor(nodeSeries, `${tags.node}\u0000${metric}`).add(t, metrics[metric]);
      }
      break;
    case 'agent':
      if (tags.agent_id && typeof metrics.load === 'number') seriesFor(agentSeries, tags.agent_id).add(t, metrics.load * 100, 1000);
      break;
    case 'mcp':
      if (tags.server) mcpLatest.set(tags.server, { up: metrics.up, latency_ms: metrics.latency_ms, at: t });
      break;
    case 'vm':
      if (tags.vmid) {
        vmLatest.set(tags.vmid, {
          name: tags.name || '', node: tags.node || '', running: metrics.running,
          cpu_pct: metrics.cpu_pct, memory_used_pct: metrics.memory_used_pct, at: t,
        });
      }
      break;
    default:
      break;
  }
}

export function showMetrics() {
  visible = true;
  if (!nodesChart) createCharts();
  dirty = true;
  updateCharts();
}

export function hideMetrics() {
  visible = false;
}

function secondsTick(value) {
  const v = Math.round(-value);
  if (v === 0) return 'now';
  return v >= 60 ? `-${Math.round(v / 60)} min` : `-${v} s`;
}

function chartOptions(yTitle, yMax) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: true,
    interaction: { mode: 'nearest', intersect: false },
    elements: { point: { radius: 1.8, hitRadius: 6 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: {
      x: {
        type: 'linear', min: -WINDOW_MS / 1000, max: 0,
        ticks: { stepSize: 60, callback: secondsTick }, title: { display: true, text: 'time (server clock)' },
      },
      y: { type: 'linear', min: 0, suggestedMax: yMax, title: { display: true, text: yTitle } },
    },
    plugins: {
      legend: { position: 'bottom', labels: { usePointStyle: true, pointStyle: 'line', boxWidth: 18, font: { size: 11 } } },
      tooltip: { callbacks: { title: (ctx) => (ctx.length ? secondsTick(ctx[0].parsed.x) : '') } },
    },
  };
}

function createCharts() {
  if (typeof Chart !== 'function') {
    setText(document.getElementById('metrics-status'), 'Chart.js (/vendor/chart.umd.min.js) did not load: no charts.');
    return;
  }
  nodesChart = new Chart(document.getElementById('metrics-nodes'), { type: 'line', data: { datasets: [] }, options: chartOptions('% (cpu solid, memory dashed)', 100) });
  agentsChart = new Chart(document.getElementById('metrics-agents'), { type: 'line', data: { datasets: [] }, options: chartOptions('load %', 100) });
}

function dataset(label, key, points, dashed) {
  const color = colorFor(key);
  // points stay visible: node metrics come every METRICS_INTERVAL (15 s), so a line starts as one sample
  return { label, data: points, borderColor: color, backgroundColor: color, borderDash: dashed ? [5, 4] : [], pointRadius: 1.8 };
}

function updateCharts() {
  if (!nodesChart || !agentsChart || !visible) return;
  dirty = false;
  const now = serverNow();

  const nodeKeys = Array.from(nodeSeries.keys()).sort();
  nodesChart.data.datasets = nodeKeys.map((key) => {
    const [node, metric] = key.split('\u0000');
    const memory = metric === 'memory_used_pct';
    return dataset(`${node} ${memory ? 'memory' : 'cpu'}`, `node:${node}:${metric}`, nodeSeries.get(key).points(now), memory);
  });
  nodesChart.update('none');
  document.getElementById('metrics-nodes-empty').hidden = nodeKeys.length > 0;

  const topN = Number(document.getElementById('metrics-top-n').value) || 0;
  const since = now - 120000;
  const ranked = Array.from(agentSeries.entries())
    .filter(([id]) => !picked.has(id))
    .map(([id, series]) => ({ id, score: series.meanSince(since), last: series.last() }))
    .filter((a) => Number.isFinite(a.score) || Number.isFinite(a.last))
    .sort((a, b) => ((b.score || 0) - (a.score || 0)) || ((b.last || 0) - (a.last || 0)) || a.id.localeCompare(b.id))
    .slice(0, topN)
    .map((a) => a.id);
  const shown = [...Array.from(picked).sort(), ...ranked.sort()];
  agentsChart.data.datasets = shown.map((id) => {
    const series = agentSeries.get(id);
    return dataset(picked.has(id) ? `${id} (picked)` : id, `agent:${id}`, series ? series.points(now) : [], false);
  });
  agentsChart.update('none');
  document.getElementById('metrics-agents-empty').hidden = shown.length > 0;
  renderLatest();
}

function renderLatest() {
  const mcpBody = document.querySelector('#metrics-mcp tbody');
  clear(mcpBody);
  for (const server of Array.from(mcpLatest.keys()).sort()) {
    const m = mcpLatest.get(server);
    const up = m.up === undefined ? '?' : m.up >= 1 ? 'up' : 'down';
    mcpBody.append(h('tr', { dataset: { server } },
      h('td', { text: server }),
      h('td', null, h('span', { class: `badge status-${up === 'up' ? 'available' : up === 'down' ? 'offline' : 'unknown'}`, text: up })),
      h('td', { class: 'num', text: typeof m.latency_ms === 'number' ? `${Math.round(m.latency_ms)} ms` : '-' }),
      h('td', { text: formatTime(m.at) })));
  }
  const vmBody = document.querySelector('#metrics-vms tbody');
  clear(vmBody);
  const vmids = Array.from(vmLatest.keys()).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  for (const vmid of vmids) {
    const vm = vmLatest.get(vmid);
    const state = vm.running === undefined ? 'unknown' : vm.running >= 1 ? 'running' : 'stopped';
    vmBody.append(h('tr', { dataset: { vmid } },
      h('td', { text: vmid }),
      h('td', { text: vm.name }),
      h('td', { text: vm.node }),
      h('td', null, h('span', { class: `badge status-${state === 'running' ? 'available' : state === 'stopped' ? 'offline' : 'unknown'}`, text: state })),
      h('td', { class: 'num', text: typeof vm.cpu_pct === 'number' ? `${vm.cpu_pct.toFixed(1)}%` : '-' }),
      h('td', { class: 'num', text: typeof vm.memory_used_pct === 'number' ? `${vm.memory_used_pct.toFixed(1)}%` : '-' })));
  }
  document.getElementById('metrics-latest-empty').hidden = mcpLatest.size + vmLatest.size > 0;
}

function renderPicked() {
  const box = document.getElementById('metrics-picked');
  clear(box);
  for (const id of Array.from(picked).sort()) {
    box.append(h('span', { class: 'chip', dataset: { agentId: id } }, id,
      h('button', {
        type: 'button', class: 'chip-remove', title: `stop showing ${id}`, 'aria-label': `remove ${id}`, text: '×',
        onclick: () => {
          picked.delete(id);
          renderPicked();
          dirty = true;
          updateCharts();
        },
      })));
  }
}

function fillAgentOptions() {
  const list = document.getElementById('metrics-agent-options');
  const ids = new Set([...agents.keys(), ...agentSeries.keys()]);
  clear(list);
  for (const id of Array.from(ids).sort().slice(0, 1000)) list.append(h('option', { value: id }));
}

// ---------------------------------------------------------------- alerts

function renderAlerts() {
  const events = pendingAlerts;
  pendingAlerts = [];
  const fragment = document.createDocumentFragment();
  // newest first: the last event of the batch goes on top
  for (let i = events.length - 1; i >= 0; i--) fragment.append(alertItem(events[i]));
  alertsFeed.insertBefore(fragment, alertsFeed.firstChild);
  alertCount += events.length;
  while (alertCount > MAX_ALERTS && alertsFeed.lastChild) {
    alertsFeed.removeChild(alertsFeed.lastChild);
    alertCount--;
  }
  document.getElementById('alerts-empty').hidden = alertCount > 0;
  renderActiveCount();
}

function alertItem(event) {
  const data = event.data && typeof event.data === 'object' ? event.data : {};
  const resolved = event.event_type === 'alert.resolved';
  const severity = typeof data.severity === 'string' ? data.severity : 'info';
  const key = `${data.rule}/${data.target}`;
  if (resolved) activeAlerts.delete(key); else activeAlerts.set(key, data);
  const when = event.timestamp || serverNow();
  return h('div', { class: `alert severity-${severity}${resolved ? ' resolved' : ''}`, dataset: { severity, state: resolved ? 'resolved' : 'raised', rule: data.rule } },
    h('div', { class: 'alert-head' },
      h('span', { class: 'alert-time', text: formatTime(when) }),
      h('span', { class: `badge severity-${severity}`, text: severity }),
      h('span', { class: 'alert-state', text: resolved ? 'resolved' : (data.recurring ? 'raised again' : 'raised') }),
      h('span', { class: 'alert-target muted', text: [data.kind, data.target].filter(Boolean).join(' ') })),
    h('div', { class: 'alert-message', text: data.message || `${data.rule || 'alert'} on ${data.target || '?'}` }),
    data.workflow_id ? h('div', { class: 'small' }, 'remediation ',
      h('a', { href: `#/workflows/${encodeURIComponent(data.workflow_id)}`, text: data.workflow_id })) : null,
    data.workflow_error ? h('div', { class: 'small error-text', text: `remediation not started: ${data.workflow_error}` }) : null);
}

function renderActiveCount() {
  const badge = document.getElementById('nav-alerts-count');
  const n = activeAlerts.size;
  setText(badge, n);
  badge.hidden = n === 0;
  badge.title = `${n} active alert${n === 1 ? '' : 's'}`;
}
