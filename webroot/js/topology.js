// Topology: GET /api/topology as an SVG graph in three columns (agents -has-> capabilities -uses->
// MCP servers), refreshed every 5 s while visible and soon after agent transitions. Beyond 50 agents
// they are grouped by type, one node per type with a count.

import { s, clear, setText, throttle } from './util.js';
import { getJson } from './api.js';
import { agents, isOffline, onAgentTransitions } from './agents.js';

const GROUP_BEYOND = 50;
const COL_X = { agent: 20, capability: 390, mcp_server: 760 };
const NODE_W = 220;
const NODE_H = 24;
const ROW = 32;
const TOP = 44;
const WIDTH = 1000;

let container;
let statusEl;
let visible = false;
let timer = null;
let loading = false;
let lastData = null;

export function initTopology() {
  container = document.getElementById('topology');
  statusEl = document.getElementById('topology-status');
  document.getElementById('topology-refresh').addEventListener('click', () => load());
  document.getElementById('topology-group').addEventListener('change', () => {
    if (lastData) render(lastData);
  });
  const soon = throttle(() => {
    if (visible) load();
  }, 1000);
  onAgentTransitions(() => soon());
}

export function showTopology() {
  visible = true;
  load();
  if (!timer) timer = setInterval(() => load(), 5000);
}

export function hideTopology() {
  visible = false;
  if (timer) clearInterval(timer);
  timer = null;
}

async function load() {
  if (loading) return;
  loading = true;
  try {
    const data = await getJson('/api/topology');
    lastData = data;
    if (visible) render(data);
    statusEl.dataset.state = 'ok';
  } catch (e) {
    setText(statusEl, `Could not load the topology: ${e.message}`);
    statusEl.dataset.state = 'error';
  } finally {
    loading = false;
  }
}

/** The agent id of an agent node: its id is `agent:<agent_id>`, its label the agent id. */
function agentIdOf(node) {
  if (typeof node.agent_id === 'string') return node.agent_id;
  return node.id.startsWith('agent:') ? node.id.slice('agent:'.length) : node.id;
}

function agentOffline(node) {
  if (node.status === 'offline') return true;
  const agent = agents.get(agentIdOf(node));
  return agent ? isOffline(agent) : false;
}

function agentType(node) {
  if (typeof node.agent_type === 'string' && node.agent_type) return node.agent_type;
  const agent = agents.get(agentIdOf(node));
  if (agent && agent.agent_type) return agent.agent_type;
  return 'agents';
}

/** Nodes and edges as drawn: agents grouped by type when there are many (or when asked). */
function prepare(data) {
  const nodes = Array.isArray(data && data.nodes) ? data.nodes.filter((n) => n && typeof n.id === 'string') : [];
  const edges = Array.isArray(data && data.edges) ? data.edges.filter((e) => e && e.from && e.to) : [];
  const agentNodes = nodes.filter((n) => n.kind === 'agent');
  const mode = document.getElementById('topology-group').value;
  const grouped = mode === 'type' || (mode === 'auto' && agentNodes.length > GROUP_BEYOND);
  const out = { agent: [], capability: [], mcp_server: [], edges: [], grouped, agentTotal: agentNodes.length };
  const alias = new Map(); // agent id -> drawn node id
  if (grouped) {
    const groups = new Map();
    for (const n of agentNodes) {
      const type = agentType(n);
      let g = groups.get(type);
      if (!g) {
        g = { id: `group:${type}`, kind: 'agent', label: type, count: 0, offline: 0, members: [] };
        groups.set(type, g);
      }
      g.count++;
      if (agentOffline(n)) g.offline++;
      alias.set(n.id, g.id);
    }
    for (const g of groups.values()) {
      const online = g.count - g.offline;
      out.agent.push({
        id: g.id, kind: 'agent', group: true,
        label: `${g.label} ×${g.count}${g.offline ? ` (${g.offline} offline)` : ''}`,
        status: online === 0 ? 'offline' : 'available',
        title: `${g.count} agents of type ${g.label}: ${online} online, ${g.offline} offline`,
      });
    }
  } else {
    for (const n of agentNodes) {
      const offline = agentOffline(n);
      out.agent.push({ id: n.id, kind: 'agent', label: n.label || agentIdOf(n), status: offline ? 'offline' : (n.status || 'available'), title: `${agentIdOf(n)} (${agentType(n)})` });
    }
  }
  for (const n of nodes) {
    if (n.kind === 'capability') out.capability.push({ id: n.id, kind: n.kind, label: n.label || n.id, status: n.status, title: n.label || n.id });
    if (n.kind === 'mcp_server') out.mcp_server.push({ id: n.id, kind: n.kind, label: n.label || n.id, status: n.status, title: n.label || n.id });
  }
  for (const col of ['agent', 'capability', 'mcp_server']) out[col].sort((a, b) => a.label.localeCompare(b.label));
  const seen = new Map();
  for (const e of edges) {
    const from = alias.get(e.from) || e.from;
    const to = alias.get(e.to) || e.to;
    const key = `${from}->${to}`;
    const known = seen.get(key);
    if (known) {
      known.count++;
    } else {
      const edge = { from, to, kind: e.kind || 'has', key, count: 1 };
      seen.set(key, edge);
      out.edges.push(edge);
    }
  }
  return out;
}

function render(data) {
  const g = prepare(data);
  const rows = Math.max(1, g.agent.length, g.capability.length, g.mcp_server.length);
  const height = TOP + rows * ROW + 16;
  const positions = new Map();
  for (const col of ['agent', 'capability', 'mcp_server']) {
    const list = g[col];
    const offset = TOP + ((rows - list.length) * ROW) / 2;
    list.forEach((n, i) => positions.set(n.id, { x: COL_X[col], y: offset + i * ROW, node: n }));
  }
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', height, role: 'img', 'aria-label': 'agents, capabilities and MCP servers' });
  svg.append(
    s('text', { class: 'col-title', x: COL_X.agent, y: 20, text: g.grouped ? `Agents (${g.agentTotal}, grouped by type)` : `Agents (${g.agentTotal})` }),
    s('text', { class: 'col-title', x: COL_X.capability, y: 20, text: `Capabilities (${g.capability.length})` }),
    s('text', { class: 'col-title', x: COL_X.mcp_server, y: 20, text: `MCP servers (${g.mcp_server.length})` }));
  const edgeLayer = s('g', { class: 'edges' });
  const nodeLayer = s('g', { class: 'nodes' });
  svg.append(edgeLayer, nodeLayer);
  const edgesByNode = new Map();
  for (const e of g.edges) {
    const a = positions.get(e.from);
    const b = positions.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    const offline = a.node.status === 'offline';
    const path = s('path', {
      class: `edge kind-${e.kind}${offline ? ' offline' : ''}${a.node.kind === 'agent' && b.node.kind === 'mcp_server' ? ' direct' : ''}`,
      d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
      dataset: { edge: e.key, kind: e.kind, from: e.from, to: e.to },
    }, s('title', { text: `${e.from} ${e.kind} ${e.to}${e.count > 1 ? ` (${e.count})` : ''}` }));
    edgeLayer.append(path);
    for (const id of [e.from, e.to]) {
      if (!edgesByNode.has(id)) edgesByNode.set(id, []);
      edgesByNode.get(id).push(path);
    }
  }
  for (const { x, y, node } of positions.values()) {
    const label = node.label.length > 30 ? `${node.label.slice(0, 29)}…` : node.label;
    const el = s('g', {
      class: `node kind-${node.kind}${node.group ? ' group' : ''}${node.status === 'offline' ? ' offline' : ''}`,
      transform: `translate(${x},${y})`,
      dataset: { nodeId: node.id, kind: node.kind, status: node.status || '' },
    },
    s('title', { text: node.title || node.label }),
    s('rect', { width: NODE_W, height: NODE_H, rx: 5 }),
    s('text', { x: 8, y: 16, text: label }));
    const related = edgesByNode.get(node.id) || [];
    el.addEventListener('mouseenter', () => related.forEach((p) => p.classList.add('hot')));
    el.addEventListener('mouseleave', () => related.forEach((p) => p.classList.remove('hot')));
    nodeLayer.append(el);
  }
  clear(container).append(svg);
  const empty = g.agent.length + g.capability.length + g.mcp_server.length === 0;
  setText(statusEl, empty ? 'Nothing to show yet: no agent has announced itself.' : '');
}
