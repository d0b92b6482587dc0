// The page: header (connection, mode, token), hash routes, and wiring of the views.

import { setText, syncClock, renderCount, onProblem, reportError } from './util.js';
import { getJson, setToken, hasToken, onTokenChange, onAuthProblem } from './api.js';
import { connect, onConnection, batchCounts } from './bus.js';
import { initAgents, loadAgents, applyInfo, agentsStats } from './agents.js';
import { initTools, showTools } from './tools.js';
import { initWorkflows, showWorkflows, hideWorkflows, resyncWorkflows } from './workflows.js';
import { initMetrics, showMetrics, hideMetrics } from './metrics.js';
import { initTopology, showTopology, hideTopology } from './topology.js';

const VIEWS = ['agents', 'tools', 'workflows', 'metrics', 'topology'];
let currentView = null;

window.agentnetStats = () => {
  const a = agentsStats();
  const b = batchCounts();
  return {
    heartbeats: a.heartbeats,
    batches: b.batches,
    renders: renderCount(),
    agents: a.agents,
    batches_by_address: { ...b.byAddress },
  };
};

function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [view, ...rest] = hash.split('/');
  if (!VIEWS.includes(view)) return { view: 'agents', arg: null };
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { view, arg };
}

function route() {
  const { view, arg } = parseRoute();
  if (currentView && currentView !== view) leave(currentView);
  currentView = view;
  for (const v of VIEWS) {
    const section = document.getElementById(`view-${v}`);
    section.hidden = v !== view;
    const link = document.getElementById(`nav-${v}`);
    link.classList.toggle('active', v === view);
    if (v === view) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  document.title = `agentnet · ${view}`;
  switch (view) {
    case 'tools': showTools(); break;
    case 'workflows': showWorkflows(arg); break;
    case 'metrics': showMetrics(); break;
    case 'topology': showTopology(); break;
    default: break;
  }
}

function leave(view) {
  if (view === 'workflows') hideWorkflows();
  if (view === 'metrics') hideMetrics();
  if (view === 'topology') hideTopology();
}

function initHeader() {
  const conn = document.getElementById('connection');
  const connText = document.getElementById('connection-text');
  onConnection((connected, { reconnected }) => {
    conn.dataset.state = connected ? 'connected' : 'disconnected';
    setText(connText, connected ? 'live' : 'disconnected');
    conn.title = connected ? 'Receiving live updates over the event bus' : 'No live updates: reconnecting...';
    if (connected) {
      // the snapshot is read after the handlers are registered, so nothing falls in between
      loadInfo();
      loadAgents().catch((e) => reportError(e));
      if (reconnected) resyncWorkflows();
    }
  });

  const input = document.getElementById('token-input');
  const save = document.getElementById('token-save');
  const state = document.getElementById('token-state');
  const showState = (set) => {
    setText(state, set ? 'token set' : 'no token');
    state.dataset.state = set ? 'set' : 'unset';
    input.placeholder = set ? 'token set (enter to replace)' : 'dashboard token';
  };
  const saveToken = () => {
    const value = input.value.trim();
    input.value = '';
    if (value) setToken(value);
  };
  save.addEventListener('click', saveToken);
  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    saveToken();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      saveToken();
    }
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    input.value = '';
    setToken('');
  });
  onTokenChange((set) => {
    showState(set);
    input.classList.remove('attention');
  });
  showState(hasToken());
  // a refused POST points at the token box
  onAuthProblem(() => {
    input.classList.add('attention');
    input.focus();
  });

  const problem = document.getElementById('problem');
  const problemText = document.getElementById('problem-text');
  onProblem((message) => {
    setText(problemText, message);
    problem.hidden = false;
  });
  document.getElementById('problem-close').addEventListener('click', () => {
    problem.hidden = true;
  });
}

async function loadInfo() {
  try {
    const info = await getJson('/api/info');
    syncClock(info.now);
    applyInfo(info);
    const mode = document.getElementById('mode');
    setText(mode, info.mode === 'nats' ? 'NATS' : info.mode === 'local' ? 'local (in memory)' : String(info.mode || '?'));
    mode.dataset.mode = info.mode || '';
    mode.title = info.mode === 'local'
      ? 'Local mode: everything runs in one JVM; state is kept in memory and lost at restart'
      : 'NATS mode: state lives in JetStream';
  } catch (e) {
    reportError(e);
  }
}

function start() {
  initHeader();
  initAgents();
  initTools();
  initWorkflows();
  initMetrics();
  initTopology();
  window.addEventListener('hashchange', route);
  route();
  loadInfo();
  loadAgents().catch((e) => reportError(e));
  connect();
}

start();
