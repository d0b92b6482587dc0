// Workflows: the list (GET /api/workflows, kept live from workflow.* events), the submit form
// built from the definitions' parameter schemas, and the detail page with the step graph.

import {
  h, s, clear, setText, setData, scheduleRender, serverNow, toMillis, formatTime, formatDuration, prettyJson, throttle,
} from './util.js';
import { getJson, postJson } from './api.js';
import { subscribe } from './bus.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const LIST_LIMIT = 200;

const workflows = new Map(); // workflow_id -> summary (+ localUpdate: when an event last changed it)
let definitions = new Map(); // workflow_type -> definition
let definitionsLoaded = null; // promise

let tbody;
let listStatusEl;
let listLoadStarted = 0;
let visible = false;
let currentId = null; // the detail page's workflow, or null
let detail = null; // {id, record, definition, graph: {nodes: Map}, ...}
let detailPoll = null;
let detailTick = null;

export function initWorkflows() {
  tbody = document.querySelector('#workflows-table tbody');
  listStatusEl = document.getElementById('workflows-status');
  document.getElementById('wf-filter-status').addEventListener('change', () => scheduleRender(renderList));
  document.getElementById('wf-filter-type').addEventListener('change', () => scheduleRender(renderList));
  document.getElementById('workflows-refresh').addEventListener('click', () => loadList());
  document.getElementById('wf-type').addEventListener('change', () => renderParams());
  document.getElementById('wf-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  document.getElementById('wf-cancel').addEventListener('click', () => cancelCurrent());

  subscribe('dashboard.events', (batch) => {
    const items = Array.isArray(batch.items) ? batch.items : [];
    let listChanged = false;
    for (const event of items) {
      if (!event || typeof event.event_type !== 'string') continue;
      const data = event.data && typeof event.data === 'object' ? event.data : {};
      const id = data.workflow_id;
      if (typeof id !== 'string') continue;
      if (event.event_type.startsWith('workflow.')) {
        applyWorkflowEvent(event.event_type, data);
        listChanged = true;
        if (id === currentId) applyDetailEvent(event.event_type, data);
      } else if (event.event_type.startsWith('task.') && id === currentId) {
        applyTaskEvent(event.event_type, data);
      }
    }
    if (listChanged) scheduleRender(renderList);
  });
}

// ---------------------------------------------------------------- definitions

export function loadDefinitions(force) {
  if (!definitionsLoaded || force) {
    definitionsLoaded = getJson('/api/definitions').then((body) => {
      const list = Array.isArray(body && body.workflows) ? body.workflows : [];
      definitions = new Map(list.map((d) => [d.workflow_type, d]));
      fillTypeSelects();
      return definitions;
    }).catch((e) => {
      definitionsLoaded = null;
      throw e;
    });
  }
  return definitionsLoaded;
}

function fillTypeSelects() {
  const select = document.getElementById('wf-type');
  const previous = select.value;
  clear(select);
  for (const type of definitions.keys()) select.append(h('option', { value: type, text: type }));
  if (definitions.has(previous)) select.value = previous;
  renderParams();
  const filter = document.getElementById('wf-filter-type');
  const previousFilter = filter.value;
  clear(filter).append(h('option', { value: '', text: 'all types' }));
  for (const type of definitions.keys()) filter.append(h('option', { value: type, text: type }));
  filter.value = definitions.has(previousFilter) ? previousFilter : '';
}

// ---------------------------------------------------------------- routing

/** id: a workflow id for the detail page, or null for the list and the form. */
export function showWorkflows(id) {
  visible = true;
  const listSection = document.getElementById('wf-list-section');
  const detailSection = document.getElementById('workflow-detail');
  if (id) {
    listSection.hidden = true;
    detailSection.hidden = false;
    openDetail(id);
  } else {
    closeDetail();
    listSection.hidden = false;
    detailSection.hidden = true;
    loadList();
    loadDefinitions().catch((e) => showListStatus(`Could not load the workflow definitions: ${e.message}`, 'error'));
  }
}

export function hideWorkflows() {
  visible = false;
  closeDetail();
}

export function resyncWorkflows() {
  if (!visible) return;
  if (currentId) refetchDetail(); else loadList();
}

// ---------------------------------------------------------------- list

function showListStatus(text, state) {
  setText(listStatusEl, text);
  listStatusEl.dataset.state = state;
}

async function loadList() {
  const started = Date.now();
  listLoadStarted = started;
  try {
    const body = await getJson(`/api/workflows?limit=${LIST_LIMIT}`);
    if (listLoadStarted !== started) return;
    const list = Array.isArray(body && body.workflows) ? body.workflows : [];
    const seen = new Set();
    for (const summary of list) {
      if (!summary || typeof summary.workflow_id !== 'string') continue;
      seen.add(summary.workflow_id);
      const known = workflows.get(summary.workflow_id);
      // an event that arrived while the list was on its way is newer than the list
      if (known && known.localUpdate > started) continue;
      workflows.set(summary.workflow_id, { ...summary, localUpdate: 0 });
    }
    for (const [id, w] of workflows) {
      if (!seen.has(id) && !(w.localUpdate > started)) workflows.delete(id);
    }
    const total = Number.isFinite(body.total) ? body.total : list.length;
    showListStatus(total > list.length ? `Showing the newest ${list.length} of ${total} workflows.` : '', 'ok');
    scheduleRender(renderList);
  } catch (e) {
    showListStatus(`Could not load the workflows: ${e.message}`, 'error');
  }
}

const SUMMARY_FIELDS = ['workflow_type', 'priority', 'submitted_at', 'started_at', 'finished_at', 'error'];

function applyWorkflowEvent(type, data) {
  const id = data.workflow_id;
  const w = workflows.get(id) || { workflow_id: id, status: 'pending', step_status: {} };
  for (const field of SUMMARY_FIELDS) {
    if (data[field] !== undefined) w[field] = data[field];
  }
  if (data.step_status && typeof data.step_status === 'object') w.step_status = { ...data.step_status };
  // in workflow.step the `status` is the step's; the workflow's own status comes with the others
  if (type !== 'workflow.step' && typeof data.status === 'string') {
    w.status = data.status;
  } else if (type === 'workflow.step' && w.status === 'pending') {
    w.status = 'in_progress';
  }
  w.localUpdate = Date.now();
  workflows.set(id, w);
  if (workflows.size > LIST_LIMIT * 2) trimList();
}

function trimList() {
  const sorted = Array.from(workflows.values()).sort(bySubmittedDesc);
  for (const w of sorted.slice(LIST_LIMIT)) workflows.delete(w.workflow_id);
}

function bySubmittedDesc(a, b) {
  const ta = toMillis(a.submitted_at);
  const tb = toMillis(b.submitted_at);
  return (Number.isFinite(tb) ? tb : 0) - (Number.isFinite(ta) ? ta : 0) || String(b.workflow_id).localeCompare(String(a.workflow_id));
}

const rowCache = new Map(); // workflow_id -> {tr, sig}

function renderList() {
  if (!tbody) return;
  const statusFilter = document.getElementById('wf-filter-status').value;
  const typeFilter = document.getElementById('wf-filter-type').value;
  const list = Array.from(workflows.values())
    .filter((w) => (!statusFilter || w.status === statusFilter) && (!typeFilter || w.workflow_type === typeFilter))
    .sort(bySubmittedDesc)
    .slice(0, LIST_LIMIT);
  const wanted = new Set(list.map((w) => w.workflow_id));
  for (const [id, cached] of rowCache) {
    if (!wanted.has(id)) {
      cached.tr.remove();
      rowCache.delete(id);
    }
  }
  let previous = null;
  for (const w of list) {
    const sig = JSON.stringify([w.status, w.priority, w.started_at, w.finished_at, w.error, w.step_status, w.workflow_type]);
    let cached = rowCache.get(w.workflow_id);
    if (!cached || cached.sig !== sig) {
      const tr = workflowRow(w);
      if (cached) cached.tr.replaceWith(tr);
      cached = { tr, sig };
      rowCache.set(w.workflow_id, cached);
    }
    const expectedPosition = previous ? previous.nextSibling : tbody.firstChild;
    if (expectedPosition !== cached.tr) tbody.insertBefore(cached.tr, expectedPosition);
    previous = cached.tr;
  }
  document.getElementById('workflows-empty').hidden = list.length > 0;
  setText(document.getElementById('workflows-count'), list.length);
}

function workflowRow(w) {
  const steps = w.step_status && typeof w.step_status === 'object' ? Object.entries(w.step_status) : [];
  const started = toMillis(w.started_at);
  const finished = toMillis(w.finished_at);
  const duration = Number.isFinite(started) ? (Number.isFinite(finished) ? finished : serverNow()) - started : NaN;
  return h('tr', { dataset: { workflowId: w.workflow_id, status: w.status } },
    h('td', { class: 'wf-id', title: w.workflow_id }, h('a', { href: `#/workflows/${encodeURIComponent(w.workflow_id)}`, text: w.workflow_id })),
    h('td', { text: w.workflow_type || '' }),
    h('td', null, h('span', { class: `badge status-${w.status}`, text: w.status })),
    h('td', { class: 'num', text: w.priority ?? '' }),
    h('td', { class: 'step-dots' }, steps.map(([id, st]) => h('span', { class: `dot status-${st}`, title: `${id}: ${st}` }))),
    h('td', { text: formatTime(w.submitted_at) }),
    h('td', { class: 'num', text: Number.isFinite(finished) || TERMINAL.has(w.status) ? formatDuration(duration) : (Number.isFinite(started) ? 'running' : '-') }),
    h('td', { class: 'error-text small', text: w.error || '', title: w.error || '' }));
}

// ---------------------------------------------------------------- submit form

function schemaType(schema) {
  if (!schema) return 'string';
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') || type[0];
  if (!type && Array.isArray(schema.enum)) type = typeof schema.enum[0] === 'number' ? 'number' : 'string';
  return type || 'string';
}

function renderParams() {
  const container = document.getElementById('wf-params');
  const description = document.getElementById('wf-type-description');
  clear(container);
  const def = definitions.get(document.getElementById('wf-type').value);
  setText(description, def ? def.description || '' : '');
  if (!def) return;
  const schema = def.parameters && typeof def.parameters === 'object' ? def.parameters : {};
  const props = schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const names = Object.keys(props);
  if (!names.length) {
    container.append(h('p', { class: 'muted small', text: 'This workflow takes no parameters.' }));
    return;
  }
  for (const name of names) container.append(paramField(name, props[name] || {}, required.has(name)));
}

function paramField(name, schema, isRequired) {
  const type = schemaType(schema);
  const id = `wf-param-${name}`;
  const hasDefault = Object.prototype.hasOwnProperty.call(schema, 'default');
  let input;
  if (Array.isArray(schema.enum)) {
    input = h('select', { id, name: `param-${name}` },
      isRequired && !hasDefault ? null : h('option', { value: '', text: '' }),
      schema.enum.map((v) => h('option', { value: JSON.stringify(v), text: String(v) })));
    if (hasDefault) input.value = JSON.stringify(schema.default);
  } else if (type === 'boolean') {
    input = h('input', { id, name: `param-${name}`, type: 'checkbox' });
    input.checked = hasDefault ? schema.default === true : false;
  } else if (type === 'integer' || type === 'number') {
    input = h('input', {
      id,
      name: `param-${name}`,
      type: 'number',
      step: type === 'integer' ? '1' : 'any',
      min: Number.isFinite(schema.minimum) ? schema.minimum : null,
      max: Number.isFinite(schema.maximum) ? schema.maximum : null,
      required: isRequired,
    });
    if (hasDefault) input.value = String(schema.default);
  } else if (type === 'object' || type === 'array') {
    input = h('textarea', { id, name: `param-${name}`, rows: 3, class: 'json-input', spellcheck: 'false', placeholder: type === 'object' ? '{ }' : '[ ]' });
    if (hasDefault) input.value = JSON.stringify(schema.default, null, 2);
  } else {
    input = h('input', {
      id,
      name: `param-${name}`,
      type: 'text',
      required: isRequired,
      pattern: typeof schema.pattern === 'string' ? schema.pattern : null,
      maxlength: Number.isFinite(schema.maxLength) ? schema.maxLength : null,
      autocomplete: 'off',
    });
    if (hasDefault) input.value = String(schema.default);
  }
  input.dataset.type = type;
  input.dataset.param = name;
  if (hasDefault) input.dataset.default = JSON.stringify(schema.default);
  if (isRequired) input.dataset.required = 'true';
  const limits = [];
  if (Number.isFinite(schema.minimum)) limits.push(`min ${schema.minimum}`);
  if (Number.isFinite(schema.maximum)) limits.push(`max ${schema.maximum}`);
  return h('div', { class: `field${isRequired ? ' required' : ''}` },
    h('label', { for: id },
      h('span', { class: 'param-name', text: name }),
      isRequired ? h('span', { class: 'req', title: 'required', text: ' *' }) : null,
      h('span', { class: 'muted small', text: ` ${type}${limits.length ? ` (${limits.join(', ')})` : ''}` })),
    input,
    schema.description ? h('div', { class: 'help', text: schema.description }) : null);
}

/** The parameters object from the form; throws with a message naming the field when a value cannot be read. */
function readParams() {
  const params = {};
  for (const input of document.querySelectorAll('#wf-params [data-param]')) {
    const name = input.dataset.param;
    const type = input.dataset.type;
    const isRequired = input.dataset.required === 'true';
    if (input.tagName === 'SELECT') {
      if (input.value !== '') params[name] = JSON.parse(input.value);
    } else if (type === 'boolean') {
      const dflt = input.dataset.default === 'true';
      // an optional checkbox left at its default is left out (the server fills the default in)
      if (isRequired || input.checked !== dflt || (input.checked && input.dataset.default === undefined)) params[name] = input.checked;
    } else if (type === 'integer' || type === 'number') {
      const text = input.value.trim();
      if (text === '') continue;
      const n = Number(text);
      if (!Number.isFinite(n)) throw new Error(`parameter '${name}': not a number`);
      params[name] = n;
    } else if (type === 'object' || type === 'array') {
      const text = input.value.trim();
      if (text === '') continue;
      let value;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new Error(`parameter '${name}': invalid JSON (${e.message})`);
      }
      params[name] = value;
    } else {
      if (input.value === '') continue;
      params[name] = input.value;
    }
  }
  return params;
}

async function submit() {
  const out = document.getElementById('wf-submit-result');
  const button = document.getElementById('wf-submit');
  const type = document.getElementById('wf-type').value;
  clear(out);
  let parameters;
  try {
    if (!type) throw new Error('choose a workflow type');
    parameters = readParams();
  } catch (e) {
    out.dataset.state = 'error';
    out.append(h('span', { text: e.message }));
    return;
  }
  const request = { workflow_type: type, parameters };
  const priorityText = document.getElementById('wf-priority').value.trim();
  if (priorityText !== '') request.priority = Number(priorityText);
  const customId = document.getElementById('wf-id').value.trim();
  if (customId) request.workflow_id = customId;
  button.disabled = true;
  out.dataset.state = 'pending';
  out.append(h('span', { class: 'muted', text: 'Submitting...' }));
  try {
    const { body } = await postJson('/api/workflows', request);
    const id = body && body.workflow_id;
    clear(out);
    out.dataset.state = 'ok';
    out.append(h('span', { text: 'Submitted ' }),
      h('a', { id: 'wf-submit-link', href: `#/workflows/${encodeURIComponent(id)}`, text: id }),
      h('span', { text: ` (${body.status || 'pending'})` }));
    if (typeof id === 'string' && !workflows.has(id)) {
      workflows.set(id, {
        workflow_id: id, workflow_type: type, status: body.status || 'pending', priority: request.priority ?? 5,
        submitted_at: new Date(serverNow()).toISOString(), step_status: {}, localUpdate: Date.now(),
      });
      scheduleRender(renderList);
    }
  } catch (e) {
    clear(out);
    out.dataset.state = 'error';
    out.append(h('span', { text: e.message }));
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- detail

function openDetail(id) {
  if (currentId !== id) {
    closeDetail();
    currentId = id;
    detail = { id, record: null, definition: null, nodes: new Map(), builtFor: null, progress: new Map() };
    const section = document.getElementById('workflow-detail');
    section.dataset.workflowId = id;
    section.dataset.status = 'loading';
    setText(document.getElementById('wf-detail-id'), id);
    setText(document.getElementById('wf-detail-message'), 'Loading...');
    document.getElementById('wf-detail-message').dataset.state = 'loading';
    clear(document.getElementById('wf-graph'));
    clear(document.getElementById('wf-compensation'));
    clear(document.getElementById('wf-steps-table').querySelector('tbody'));
    clear(document.getElementById('wf-cancel-result'));
    document.getElementById('wf-detail-body').hidden = true;
  }
  if (detailPoll) clearInterval(detailPoll);
  if (detailTick) clearInterval(detailTick);
  refetchDetail();
  detailPoll = setInterval(() => {
    if (detail && detail.record && !TERMINAL.has(detail.record.status)) refetchDetail();
  }, 5000);
  detailTick = setInterval(() => {
    if (detail && detail.record && !TERMINAL.has(detail.record.status)) scheduleRender(renderDetail);
  }, 1000);
}

function closeDetail() {
  if (detailPoll) clearInterval(detailPoll);
  if (detailTick) clearInterval(detailTick);
  detailPoll = null;
  detailTick = null;
  currentId = null;
  detail = null;
}

let fetchSeq = 0;

async function fetchDetailNow() {
  if (!detail) return;
  const d = detail;
  const seq = ++fetchSeq;
  try {
    const [record] = await Promise.all([
      getJson(`/api/workflows/${encodeURIComponent(d.id)}`),
      loadDefinitions().catch(() => null),
    ]);
    if (detail !== d || seq !== fetchSeq) return;
    d.record = record;
    d.definition = definitions.get(record.workflow_type) || null;
    setText(document.getElementById('wf-detail-message'), '');
    document.getElementById('wf-detail-message').dataset.state = 'ok';
    document.getElementById('wf-detail-body').hidden = false;
    scheduleRender(renderDetail);
  } catch (e) {
    if (detail !== d) return;
    const msg = document.getElementById('wf-detail-message');
    msg.dataset.state = 'error';
    setText(msg, e.status === 404 ? `No workflow ${d.id}.` : `Could not load workflow ${d.id}: ${e.message}`);
    if (!d.record) {
      document.getElementById('workflow-detail').dataset.status = 'unknown';
    }
  }
}

const refetchDetail = throttle(() => {
  fetchDetailNow();
}, 400);

function applyDetailEvent(type, data) {
  if (!detail || !detail.record) {
    refetchDetail();
    return;
  }
  const record = detail.record;
  if (type === 'workflow.step' && typeof data.step_id === 'string') {
    const target = data.compensation ? record.compensation : record.steps;
    if (target && target[data.step_id]) {
      const step = target[data.step_id];
      if (typeof data.status === 'string') step.status = data.status;
      if (typeof data.agent_id === 'string') step.agent_id = data.agent_id;
      if (Number.isFinite(data.attempt)) step.attempts = data.attempt;
      if (typeof data.error === 'string') step.error = data.error;
    }
  } else if (typeof data.status === 'string') {
    record.status = data.status;
    for (const field of SUMMARY_FIELDS) {
      if (data[field] !== undefined) record[field] = data[field];
    }
  }
  scheduleRender(renderDetail);
  refetchDetail();
}

function applyTaskEvent(type, data) {
  if (!detail) return;
  if (type === 'task.progress' && typeof data.step_id === 'string' && typeof data.message === 'string') {
    detail.progress.set(data.step_id, data.message);
    scheduleRender(renderDetail);
  }
  if (type !== 'task.progress') refetchDetail();
}

function renderDetail() {
  if (!detail || !detail.record) return;
  const { record } = detail;
  const section = document.getElementById('workflow-detail');
  setData(section, 'workflowId', detail.id);
  setData(section, 'status', record.status);
  const statusEl = document.getElementById('wf-detail-status');
  setText(statusEl, record.status);
  statusEl.className = `badge status-${record.status}`;
  setText(document.getElementById('wf-detail-type'), record.workflow_type || '');
  setText(document.getElementById('wf-detail-priority'), record.priority ?? '');
  setText(document.getElementById('wf-detail-submitted'), formatTime(record.submitted_at));
  setText(document.getElementById('wf-detail-started'), formatTime(record.started_at));
  setText(document.getElementById('wf-detail-finished'), formatTime(record.finished_at));
  const started = toMillis(record.started_at);
  const finished = toMillis(record.finished_at);
  setText(document.getElementById('wf-detail-duration'),
    Number.isFinite(started) ? formatDuration((Number.isFinite(finished) ? finished : serverNow()) - started) : '-');
  const errorEl = document.getElementById('wf-detail-error');
  setText(errorEl, record.error || '');
  errorEl.hidden = !record.error;
  const terminal = TERMINAL.has(record.status);
  const cancel = document.getElementById('wf-cancel');
  cancel.hidden = terminal;
  cancel.disabled = terminal || record.cancel_requested === true;
  if (record.cancel_requested && !terminal) setText(cancel, 'Cancel requested');
  else setText(cancel, 'Cancel workflow');
  setText(document.getElementById('wf-detail-params'), prettyJson(record.parameters || {}));
  const resultBox = document.getElementById('wf-result-box');
  resultBox.hidden = !(record.status === 'completed' && record.result !== undefined);
  if (!resultBox.hidden) setText(document.getElementById('wf-result'), prettyJson(record.result));
  renderGraph();
  renderStepsTable();
}

// ---------------------------------------------------------------- step graph

const BOX_W = 200;
const BOX_H = 126;
const GAP_X = 56;
const GAP_Y = 22;
const PAD = 16;

/** The steps to draw, in definition order, with their dependencies. */
function graphSteps() {
  const { record, definition } = detail;
  const steps = record.steps && typeof record.steps === 'object' ? record.steps : {};
  if (definition && Array.isArray(definition.steps)) {
    const list = definition.steps.map((st) => ({ id: st.id, def: st, deps: Array.isArray(st.depends_on) ? st.depends_on : [] }));
    for (const id of Object.keys(steps)) {
      if (!list.some((st) => st.id === id)) list.push({ id, def: null, deps: [] });
    }
    return list;
  }
  return Object.keys(steps).map((id) => ({ id, def: null, deps: [] }));
}

function layout(steps) {
  const byId = new Map(steps.map((st) => [st.id, st]));
  const depth = new Map();
  const visiting = new Set();
  const depthOf = (id) => {
    if (depth.has(id)) return depth.get(id);
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const st = byId.get(id);
    let d = 0;
    for (const dep of st ? st.deps : []) {
      if (byId.has(dep)) d = Math.max(d, depthOf(dep) + 1);
    }
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const layers = [];
  for (const st of steps) {
    const d = depthOf(st.id);
    (layers[d] = layers[d] || []).push(st);
  }
  const tallest = Math.max(1, ...layers.map((l) => (l ? l.length : 0)));
  const height = PAD * 2 + tallest * BOX_H + (tallest - 1) * GAP_Y;
  const positions = new Map();
  layers.forEach((layer, i) => {
    if (!layer) return;
    const layerHeight = layer.length * BOX_H + (layer.length - 1) * GAP_Y;
    const top = (height - layerHeight) / 2;
    layer.forEach((st, j) => {
      positions.set(st.id, { x: PAD + i * (BOX_W + GAP_X), y: top + j * (BOX_H + GAP_Y) });
    });
  });
  const width = PAD * 2 + layers.length * BOX_W + Math.max(0, layers.length - 1) * GAP_X;
  return { positions, width, height };
}

function renderGraph() {
  const graph = document.getElementById('wf-graph');
  const steps = graphSteps();
  const signature = `${detail.record.workflow_type}|${steps.map((st) => `${st.id}<${st.deps.join(',')}`).join(';')}`;
  if (detail.builtFor !== signature) {
    detail.builtFor = signature;
    detail.nodes = new Map();
    clear(graph);
    const { positions, width, height } = layout(steps);
    graph.style.width = `${width}px`;
    graph.style.height = `${height}px`;
    const svg = s('svg', { class: 'edges', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true' },
      s('defs', null, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }))));
    for (const st of steps) {
      const to = positions.get(st.id);
      for (const dep of st.deps) {
        const from = positions.get(dep);
        if (!from || !to) continue;
        const x1 = from.x + BOX_W;
        const y1 = from.y + BOX_H / 2;
        const x2 = to.x - 2;
        const y2 = to.y + BOX_H / 2;
        const mx = (x1 + x2) / 2;
        svg.append(s('path', { class: 'edge', d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, 'marker-end': 'url(#arrow)', dataset: { from: dep, to: st.id } }));
      }
    }
    graph.append(svg);
    for (const st of steps) {
      const pos = positions.get(st.id);
      const node = stepNode(st.id, st.def, false);
      node.el.style.left = `${pos.x}px`;
      node.el.style.top = `${pos.y}px`;
      node.el.style.width = `${BOX_W}px`;
      node.el.style.height = `${BOX_H}px`;
      graph.append(node.el);
      detail.nodes.set(st.id, node);
    }
    const comp = document.getElementById('wf-compensation');
    clear(comp);
    const compensation = detail.record.compensation && typeof detail.record.compensation === 'object' ? detail.record.compensation : {};
    const compIds = Object.keys(compensation);
    document.getElementById('wf-compensation-box').hidden = compIds.length === 0;
    for (const id of compIds) {
      const node = stepNode(id, null, true);
      comp.append(node.el);
      detail.nodes.set(`comp:${id}`, node);
    }
  }
  const steps2 = detail.record.steps || {};
  for (const st of steps) updateStepNode(detail.nodes.get(st.id), steps2[st.id], st.id);
  const compensation = detail.record.compensation || {};
  for (const id of Object.keys(compensation)) updateStepNode(detail.nodes.get(`comp:${id}`), compensation[id], id);
}

function stepNode(id, def, compensation) {
  const fields = {
    status: h('span', { class: 'badge' }),
    action: h('div', { class: 'step-action small muted' }),
    agent: h('div', { class: 'step-agent small' }),
    attempts: h('div', { class: 'step-attempts small' }),
    times: h('div', { class: 'step-times small' }),
    duration: h('div', { class: 'step-duration small' }),
    error: h('div', { class: 'step-error small' }),
    progress: h('div', { class: 'step-progress small muted' }),
  };
  // compensation steps carry data-compensation-id, not data-step-id: most never run (they stay
  // pending in a workflow that succeeded), and [data-step-id] is the workflow's own steps
  const ids = compensation ? { compensationId: id } : { stepId: id };
  const el = h('div', { class: `step-node${compensation ? ' compensation' : ''}`, dataset: { ...ids, status: 'pending' } },
    h('div', { class: 'step-head' }, h('span', { class: 'step-id', text: id }), fields.status),
    fields.action, fields.agent, fields.attempts, fields.times, fields.duration, fields.error, fields.progress);
  if (def) {
    setText(fields.action, `${def.action} · ${def.capability}`);
    const tools = Array.isArray(def.mcp_tools) && def.mcp_tools.length ? `\nMCP tools: ${def.mcp_tools.join(', ')}` : '';
    el.title = `${def.description || id}${tools}`;
  }
  return { el, fields };
}

function updateStepNode(node, step, id) {
  if (!node) return;
  const st = step || { status: 'pending', attempts: 0 };
  const status = st.status || 'pending';
  setData(node.el, 'status', status);
  const f = node.fields;
  setText(f.status, status);
  f.status.className = `badge status-${status}`;
  if (!f.action.textContent && st.action) setText(f.action, `${st.action} · ${st.capability || ''}`);
  setText(f.agent, st.agent_id ? `agent ${st.agent_id}` : 'agent -');
  f.agent.title = st.agent_id || '';
  setText(f.attempts, `attempts ${st.attempts ?? 0}${st.failures ? `, failures ${st.failures}` : ''}`);
  const started = toMillis(st.started_at);
  const finished = toMillis(st.finished_at);
  setText(f.times, Number.isFinite(started)
    ? `${formatTime(st.started_at)} → ${Number.isFinite(finished) ? formatTime(st.finished_at) : '…'}`
    : (st.assigned_at ? `assigned ${formatTime(st.assigned_at)}` : ''));
  setText(f.duration, Number.isFinite(started)
    ? `took ${formatDuration((Number.isFinite(finished) ? finished : (TERMINAL.has(status) ? started : serverNow())) - started)}` : '');
  setText(f.error, st.error || '');
  f.error.title = st.error || '';
  const progress = status === 'running' || status === 'assigned' ? detail.progress.get(id) || '' : '';
  setText(f.progress, progress);
  f.progress.title = progress;
}

function renderStepsTable() {
  const tbodyEl = document.getElementById('wf-steps-table').querySelector('tbody');
  const { record } = detail;
  const signature = JSON.stringify([record.steps, record.compensation]);
  if (detail.tableSignature === signature) return;
  detail.tableSignature = signature;
  const rows = [];
  const add = (id, st, comp) => {
    const history = Array.isArray(st.history) ? st.history : [];
    rows.push(h('tr', { dataset: { step: id } },
      h('td', null, id, comp ? h('span', { class: 'muted small', text: ' (compensation)' }) : null),
      h('td', null, h('span', { class: `badge status-${st.status}`, text: st.status })),
      h('td', { text: st.agent_id || '-' }),
      h('td', { class: 'num', text: st.attempts ?? 0 }),
      h('td', { text: st.task_id || '-' }),
      h('td', { class: 'small' }, history.length ? history.map((entry) => h('div', {
        text: `#${entry.attempt ?? '?'} ${entry.outcome || ''} ${formatTime(entry.at)}${entry.agent_id ? ` on ${entry.agent_id}` : ''}${entry.reason ? `: ${entry.reason}` : ''}`,
      })) : '-'),
      h('td', { class: 'small' }, st.result !== undefined ? h('details', null, h('summary', { text: 'result' }), h('pre', { class: 'json', text: prettyJson(st.result) })) : '')));
  };
  for (const [id, st] of Object.entries(record.steps || {})) add(id, st, false);
  for (const [id, st] of Object.entries(record.compensation || {})) add(id, st, true);
  clear(tbodyEl).append(...rows);
}

async function cancelCurrent() {
  if (!detail) return;
  const out = document.getElementById('wf-cancel-result');
  const button = document.getElementById('wf-cancel');
  clear(out);
  button.disabled = true;
  try {
    const { body } = await postJson(`/api/workflows/${encodeURIComponent(detail.id)}/cancel`, {});
    out.dataset.state = 'ok';
    out.append(h('span', { text: `Cancel sent: ${body && body.status ? body.status : 'ok'}` }));
    refetchDetail();
  } catch (e) {
    out.dataset.state = 'error';
    out.append(h('span', { text: e.message }));
    button.disabled = false;
  }
}
