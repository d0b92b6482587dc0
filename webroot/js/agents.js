// Agents: a Map model fed by GET /api/agents and the dashboard.heartbeats / dashboard.agents
// batches. Batches only update the model and mark rows dirty; one render per animation frame
// touches the changed rows' changed cells (and, once a second, the ages).

import { h, setText, setData, scheduleRender, serverNow, syncClock, toMillis, formatAge, formatPercent } from './util.js';
import { getJson } from './api.js';
import { subscribe } from './bus.js';

/** agent_id -> {agent_id, agent_type, status, load, capacity, capabilities, lastSeen, online, reason} */
export const agents = new Map();

const settings = { staleAfterMs: 90000, heartbeatIntervalMs: 30000 };
const rows = new Map(); // agent_id -> row state
const rowByKey = new Map(); // sort key -> row state
const rowByTr = new WeakMap(); // tr -> row state

/*
 * Rows out of view (scrolled away, filtered out, or another view shown) keep their status, type,
 * capabilities and data attributes current, but their load and age, which change with every beat,
 * are drawn only when they come into view: 500 agents beating every second then cost the browser
 * the rows on screen, not the whole table.
 */
const viewObserver = typeof IntersectionObserver === 'function' ? new IntersectionObserver((entries) => {
  let any = false;
  for (const entry of entries) {
    const row = rowByTr.get(entry.target);
    if (!row) continue;
    row.inView = entry.isIntersecting;
    if (row.inView && row.behind) {
      dirty.add(row.id);
      any = true;
    }
  }
  if (any) scheduleRender(render);
}, { rootMargin: '400px 0px' }) : null;
const order = []; // sort keys of the rows, in table order
const dirty = new Set();
const heartbeatListeners = [];
const transitionListeners = [];

let heartbeatsApplied = 0;
let shown = 0;
let onlineShown = 0;
let filter = '';
let refreshAll = false;
let tbody;
let countEl;
let onlineEl;
let emptyEl;

export function agentsStats() {
  return { heartbeats: heartbeatsApplied, agents: shown };
}

/** fn(items, now) after each heartbeat batch (items as received). */
export function onHeartbeats(fn) {
  heartbeatListeners.push(fn);
}

/** fn(items) after each dashboard.agents batch (online/offline/draining transitions). */
export function onAgentTransitions(fn) {
  transitionListeners.push(fn);
}

/** From /api/info: how old a last beat may be before the agent counts as offline. */
export function applyInfo(info) {
  if (!info) return;
  if (Number.isFinite(info.stale_after_ms)) settings.staleAfterMs = info.stale_after_ms;
  if (Number.isFinite(info.heartbeat_interval_ms)) settings.heartbeatIntervalMs = info.heartbeat_interval_ms;
  refreshAll = true;
  scheduleRender(render);
}

export function isOffline(agent, now = serverNow()) {
  return agent.status === 'offline' || agent.online === false
    || !Number.isFinite(agent.lastSeen) || now - agent.lastSeen > settings.staleAfterMs;
}

export function initAgents() {
  tbody = document.querySelector('#agents-table tbody');
  countEl = document.getElementById('agents-count');
  onlineEl = document.getElementById('agents-online');
  emptyEl = document.getElementById('agents-empty');
  const filterInput = document.getElementById('agents-filter');
  filterInput.addEventListener('input', () => {
    filter = filterInput.value.trim().toLowerCase();
    refreshAll = true;
    scheduleRender(render);
  });

  subscribe('dashboard.heartbeats', (batch) => {
    const now = batch.now;
    const items = Array.isArray(batch.items) ? batch.items : [];
    for (const item of items) {
      if (!item || typeof item.agent_id !== 'string') continue;
      const agent = upsert(item.agent_id);
      mergeFields(agent, item);
      agent.online = item.online !== false;
      // the dashboard flushes what it received since the last flush: the beat was seen by `now`
      agent.lastSeen = Number.isFinite(now) ? now : serverNow();
      if (agent.online) agent.reason = '';
      dirty.add(item.agent_id);
    }
    heartbeatsApplied += items.length;
    for (const fn of heartbeatListeners) fn(items, now);
    scheduleRender(render);
  });

  subscribe('dashboard.agents', (batch) => {
    const items = Array.isArray(batch.items) ? batch.items : [];
    for (const item of items) {
      if (!item || typeof item.agent_id !== 'string') continue;
      const agent = upsert(item.agent_id);
      if (item.agent && typeof item.agent === 'object') mergeFields(agent, item.agent);
      if (item.kind === 'offline') {
        agent.online = false;
        agent.reason = item.reason || 'offline';
      } else if (item.kind === 'online') {
        agent.online = true;
        agent.reason = '';
        if (!Number.isFinite(agent.lastSeen) || agent.lastSeen < batch.now - settings.staleAfterMs) {
          agent.lastSeen = batch.now;
        }
      } else if (item.kind === 'draining') {
        agent.status = 'draining';
        agent.reason = item.reason || '';
      }
      dirty.add(item.agent_id);
    }
    for (const fn of transitionListeners) fn(items);
    scheduleRender(render);
  });

  // ages and staleness move with time even without batches
  setInterval(() => {
    refreshAll = true;
    scheduleRender(render);
  }, 1000);
}

/** Loads the snapshot (at start and after a reconnect); a snapshot older than what batches said loses. */
export async function loadAgents() {
  const body = await getJson('/api/agents');
  syncClock(body.now);
  const list = Array.isArray(body.agents) ? body.agents : [];
  const seen = new Set();
  for (const item of list) {
    if (!item || typeof item.agent_id !== 'string') continue;
    seen.add(item.agent_id);
    let lastSeen = Number.isFinite(item.heartbeat_age_ms) && Number.isFinite(body.now)
      ? body.now - item.heartbeat_age_ms : toMillis(item.last_seen);
    const known = agents.get(item.agent_id);
    if (known && Number.isFinite(known.lastSeen) && Number.isFinite(lastSeen) && known.lastSeen > lastSeen) continue;
    const agent = upsert(item.agent_id);
    mergeFields(agent, item);
    agent.online = item.online !== false;
    agent.lastSeen = lastSeen;
    dirty.add(item.agent_id);
  }
  // agents the server has forgotten leave the table
  for (const id of Array.from(agents.keys())) {
    if (!seen.has(id) && !dirty.has(id)) removeAgent(id);
  }
  scheduleRender(render);
}

function upsert(id) {
  let agent = agents.get(id);
  if (!agent) {
    agent = { agent_id: id, agent_type: '', status: '', load: NaN, capacity: 0, capabilities: [], lastSeen: NaN, online: true, reason: '' };
    agents.set(id, agent);
  }
  return agent;
}

function mergeFields(agent, src) {
  if (typeof src.agent_type === 'string') agent.agent_type = src.agent_type;
  if (typeof src.status === 'string') agent.status = src.status;
  if (typeof src.load === 'number') agent.load = src.load;
  if (typeof src.capacity === 'number') agent.capacity = src.capacity;
  if (Array.isArray(src.capabilities)) agent.capabilities = src.capabilities.map(String);
}

function removeAgent(id) {
  agents.delete(id);
  const row = rows.get(id);
  if (row) {
    if (viewObserver) viewObserver.unobserve(row.tr);
    row.tr.remove();
    rows.delete(id);
    rowByKey.delete(row.key);
    const i = order.indexOf(row.key);
    if (i >= 0) order.splice(i, 1);
  }
}

// ---------------------------------------------------------------- rendering

function sortKey(agent) {
  return `${agent.agent_type}\u0000${agent.agent_id}`;
}

function createRow(agent) {
  const cells = {
    id: h('td', { class: 'agent-id' }),
    type: h('td', { class: 'agent-type' }),
    status: h('td', { class: 'agent-status' }, h('span', { class: 'badge' })),
    load: h('td', { class: 'agent-load' }),
    capacity: h('td', { class: 'agent-capacity num' }),
    capabilities: h('td', { class: 'agent-capabilities' }),
    age: h('td', { class: 'agent-age num' }),
  };
  const fill = h('span', { class: 'fill' });
  const pct = h('span', { class: 'pct' });
  cells.load.append(h('span', { class: 'bar' }, fill), pct);
  const tr = h('tr', { dataset: { agentId: agent.agent_id } },
    cells.id, cells.type, cells.status, cells.load, cells.capacity, cells.capabilities, cells.age);
  setText(cells.id, agent.agent_id);
  const row = {
    id: agent.agent_id, tr, cells, badge: cells.status.firstChild, fill, pct, key: sortKey(agent), last: {}, visible: true,
    inView: true, // until the observer says otherwise
    behind: false, // load or age not drawn while out of view
  };
  rowByTr.set(tr, row);
  if (viewObserver) viewObserver.observe(tr);
  return row;
}

/** Puts a new row at its sorted place. */
function insertRow(row) {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (order[mid] < row.key) lo = mid + 1; else hi = mid;
  }
  const nextKey = order[lo];
  order.splice(lo, 0, row.key);
  const next = nextKey === undefined ? null : rowByKey.get(nextKey);
  tbody.insertBefore(row.tr, next ? next.tr : null);
  rowByKey.set(row.key, row);
}

function matches(agent) {
  if (!filter) return true;
  return agent.agent_id.toLowerCase().includes(filter)
    || agent.agent_type.toLowerCase().includes(filter)
    || agent.status.toLowerCase().includes(filter)
    || agent.capabilities.some((c) => c.toLowerCase().includes(filter));
}

/** MCP servers declare `mcp:<server>` and one `mcp:<server>/<tool>` per tool: shown as a count. */
function capabilitiesText(capabilities) {
  const tools = new Map();
  const plain = [];
  for (const c of capabilities) {
    const m = /^mcp:([^/]+)\/(.+)$/.exec(c);
    if (m) {
      tools.set(m[1], (tools.get(m[1]) || 0) + 1);
    } else {
      plain.push(c);
    }
  }
  return plain.map((c) => {
    const server = c.startsWith('mcp:') ? c.slice(4) : null;
    const n = server ? tools.get(server) : 0;
    if (n) tools.delete(server);
    return n ? `${c} (${n} tools)` : c;
  }).concat(Array.from(tools, ([server, n]) => `mcp:${server} (${n} tools)`)).join(', ');
}

function updateRow(row, agent, now) {
  const last = row.last;
  const offline = isOffline(agent, now);
  const status = offline ? 'offline' : (agent.status || 'unknown');
  if (last.offline !== offline || last.status !== status) {
    setData(row.tr, 'online', !offline);
    setData(row.tr, 'status', status);
    row.tr.classList.toggle('offline', offline);
    setText(row.badge, status);
    row.badge.className = `badge status-${status}`;
    last.offline = offline;
    last.status = status;
  }
  const reason = offline ? (agent.reason || (agent.status === 'offline' ? 'announced offline' : 'no recent heartbeat')) : '';
  if (last.reason !== reason) {
    if (reason) row.cells.status.title = reason; else row.cells.status.removeAttribute('title');
    last.reason = reason;
  }
  if (last.type !== agent.agent_type) {
    setText(row.cells.type, agent.agent_type);
    last.type = agent.agent_type;
  }
  if (last.capacity !== agent.capacity) {
    setText(row.cells.capacity, agent.capacity > 0 ? agent.capacity : '-');
    last.capacity = agent.capacity;
  }
  const caps = agent.capabilities.join(', ');
  if (last.caps !== caps) {
    setText(row.cells.capabilities, capabilitiesText(agent.capabilities));
    row.cells.capabilities.title = caps;
    last.caps = caps;
  }
  if (row.inView) {
    row.behind = false;
    drawLoadAndAge(row, agent, now);
  } else {
    row.behind = true;
  }
  const visible = matches(agent);
  if (row.visible !== visible) {
    row.tr.hidden = !visible;
    row.visible = visible;
  }
}

function drawLoadAndAge(row, agent, now) {
  const last = row.last;
  if (last.load !== agent.load) {
    const pct = Number.isFinite(agent.load) ? Math.max(0, Math.min(1, agent.load)) : 0;
    row.fill.style.transform = `scaleX(${pct.toFixed(3)})`;
    row.fill.className = pct >= 0.9 ? 'fill high' : pct >= 0.6 ? 'fill mid' : 'fill';
    setText(row.pct, formatPercent(agent.load));
    last.load = agent.load;
  }
  setText(row.cells.age, formatAge(now - agent.lastSeen));
}

function render() {
  if (!tbody) return;
  const now = serverNow();
  const ids = refreshAll ? agents.keys() : dirty;
  for (const id of ids) {
    const agent = agents.get(id);
    if (!agent) continue;
    let row = rows.get(id);
    if (!row) {
      row = createRow(agent);
      rows.set(id, row);
      insertRow(row);
    }
    updateRow(row, agent, now);
  }
  dirty.clear();
  refreshAll = false;
  let count = 0;
  let online = 0;
  for (const row of rows.values()) {
    if (row.visible) {
      count++;
      if (!row.last.offline) online++;
    }
  }
  shown = count;
  onlineShown = online;
  setText(countEl, count);
  setText(onlineEl, online);
  emptyEl.hidden = agents.size > 0;
}

