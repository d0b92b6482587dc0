// Tools: the MCP servers the registry knows and their tools (GET /api/tools); a selected tool shows
// its description and input schema and can be called (POST /api/tools/{server}/{tool}).

import { h, clear, prettyJson, setText } from './util.js';
import { getJson, postJson } from './api.js';

let listEl;
let detailEl;
let statusEl;
let servers = [];
let selected = null; // {server, tool}
let loading = false;

export function initTools() {
  listEl = document.getElementById('tools-list');
  detailEl = document.getElementById('tool-detail');
  statusEl = document.getElementById('tools-status');
  document.getElementById('tools-refresh').addEventListener('click', () => loadTools());
  document.getElementById('tool-form').addEventListener('submit', (e) => {
    e.preventDefault();
    callTool();
  });
  document.getElementById('tool-args-reset').addEventListener('click', () => {
    const tool = selectedTool();
    if (tool) document.getElementById('tool-args').value = prettyJson(exampleFromSchema(tool.inputSchema));
  });
}

export function showTools() {
  loadTools();
}

async function loadTools() {
  if (loading) return;
  loading = true;
  setText(statusEl, 'Loading tools...');
  statusEl.dataset.state = 'loading';
  try {
    const body = await getJson('/api/tools');
    servers = Array.isArray(body && body.servers) ? body.servers : [];
    renderList();
    setText(statusEl, servers.length ? '' : 'No MCP server has announced itself yet.');
    statusEl.dataset.state = 'ok';
    if (selected && !selectedTool()) {
      selected = null;
      renderDetail();
    } else if (selected) {
      markSelected();
    }
  } catch (e) {
    setText(statusEl, `Could not load the tools: ${e.message}`);
    statusEl.dataset.state = 'error';
  } finally {
    loading = false;
  }
}

function selectedTool() {
  if (!selected) return null;
  const server = servers.find((srv) => srv.server === selected.server);
  if (!server || !Array.isArray(server.tools)) return null;
  return server.tools.find((t) => t.name === selected.tool) || null;
}

function renderList() {
  clear(listEl);
  for (const server of servers) {
    const online = server.online !== false;
    const tools = Array.isArray(server.tools) ? server.tools.slice().sort((a, b) => String(a.name).localeCompare(String(b.name))) : [];
    const agentIds = Array.isArray(server.agent_ids) ? server.agent_ids : [];
    const box = h('div', { class: 'server', dataset: { server: server.server, online: online } },
      h('div', { class: 'server-head' },
        h('span', { class: 'server-name', text: server.server }),
        h('span', { class: `badge status-${online ? 'available' : 'offline'}`, text: online ? 'online' : 'offline' }),
        h('span', { class: 'muted small', text: `${tools.length} tool${tools.length === 1 ? '' : 's'}` })),
      agentIds.length ? h('div', { class: 'muted small', text: `replicas: ${agentIds.join(', ')}` }) : null,
      server.error ? h('div', { class: 'error-text small', text: server.error }) : null,
      h('ul', { class: 'tool-list' }, tools.map((tool) => {
        const key = `${server.server}/${tool.name}`;
        return h('li', null, h('button', {
          type: 'button',
          class: 'tool-item',
          dataset: { tool: key },
          title: tool.description || '',
          onclick: () => select(server.server, tool.name),
        }, h('span', { class: 'tool-name', text: tool.name }),
        tool.title && tool.title !== tool.name ? h('span', { class: 'muted small', text: ` ${tool.title}` }) : null));
      })));
    listEl.append(box);
  }
}

function markSelected() {
  const key = selected ? `${selected.server}/${selected.tool}` : '';
  for (const el of listEl.querySelectorAll('[data-tool]')) {
    el.classList.toggle('selected', el.dataset.tool === key);
  }
}

function select(server, tool) {
  selected = { server, tool };
  markSelected();
  renderDetail();
}

function renderDetail() {
  const tool = selectedTool();
  const form = document.getElementById('tool-form');
  const info = document.getElementById('tool-info');
  const result = document.getElementById('tool-result');
  const schemaBox = document.getElementById('tool-schema');
  clear(info);
  clear(result);
  clear(schemaBox);
  result.removeAttribute('data-state');
  if (!tool) {
    form.hidden = true;
    info.append(h('p', { class: 'muted', text: 'Select a tool on the left to see its schema and call it.' }));
    return;
  }
  const annotations = tool.annotations && typeof tool.annotations === 'object' ? tool.annotations : null;
  info.append(
    h('h3', null, h('span', { class: 'muted', text: `${selected.server} / ` }), tool.name),
    tool.title ? h('p', { class: 'tool-title', text: tool.title }) : null,
    h('p', { class: 'tool-description', text: tool.description || '(no description)' }),
    annotations ? h('p', { class: 'small muted', text: annotationText(annotations) }) : null);
  schemaBox.append(
    h('details', { class: 'schema', open: true },
      h('summary', { text: 'Input schema' }),
      h('pre', { class: 'json', text: prettyJson(tool.inputSchema || {}) })),
    tool.outputSchema ? h('details', { class: 'schema' },
      h('summary', { text: 'Output schema' }),
      h('pre', { class: 'json', text: prettyJson(tool.outputSchema) })) : null);
  form.hidden = false;
  document.getElementById('tool-args').value = prettyJson(exampleFromSchema(tool.inputSchema));
  document.getElementById('tool-call').disabled = false;
}

function annotationText(a) {
  const parts = [];
  if (a.readOnlyHint) parts.push('read-only');
  if (a.destructiveHint) parts.push('destructive');
  if (a.idempotentHint) parts.push('idempotent');
  if (a.openWorldHint) parts.push('open world');
  return parts.length ? `Hints: ${parts.join(', ')}` : '';
}

/** A JSON value that fits the schema's required parts: defaults where given, else empty values of the right type. */
export function exampleFromSchema(schema) {
  const value = valueFor(schema, 0);
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function valueFor(schema, depth) {
  if (!schema || typeof schema !== 'object' || depth > 6) return null;
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') || type[0];
  if (!type && schema.properties) type = 'object';
  switch (type) {
    case 'string': return '';
    case 'integer':
    case 'number': return Number.isFinite(schema.minimum) && schema.minimum > 0 ? schema.minimum : 0;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': {
      const out = {};
      const props = schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
      for (const name of Array.isArray(schema.required) ? schema.required : []) {
        out[name] = valueFor(props[name], depth + 1);
      }
      return out;
    }
    default: return null;
  }
}

async function callTool() {
  const tool = selectedTool();
  const result = document.getElementById('tool-result');
  const button = document.getElementById('tool-call');
  if (!tool) return;
  let args;
  try {
    const text = document.getElementById('tool-args').value.trim();
    args = text ? JSON.parse(text) : {};
    if (!args || typeof args !== 'object' || Array.isArray(args)) throw new Error('the arguments must be a JSON object');
  } catch (e) {
    showResult('error', `Invalid arguments: ${e.message}`);
    return;
  }
  button.disabled = true;
  result.dataset.state = 'pending';
  clear(result).append(h('p', { class: 'muted', text: `Calling ${selected.server}/${tool.name}...` }));
  const path = `/api/tools/${encodeURIComponent(selected.server)}/${encodeURIComponent(tool.name)}`;
  try {
    const { body } = await postJson(path, args);
    const res = body && body.result ? body.result : {};
    const isError = res.isError === true;
    const texts = Array.isArray(res.content)
      ? res.content.filter((c) => c && c.type === 'text' && typeof c.text === 'string').map((c) => c.text) : [];
    clear(result);
    result.dataset.state = isError ? 'error' : 'ok';
    result.append(h('div', { class: 'result-head', text: isError ? 'The tool answered with an error' : 'Result' }));
    if (isError) {
      result.append(h('p', { class: 'error-text', text: texts.join('\n') || 'error (no message)' }));
    }
    if (res.structuredContent !== undefined) {
      result.append(h('pre', { class: 'json', text: prettyJson(res.structuredContent) }));
    } else if (!isError) {
      for (const t of texts) result.append(h('pre', { class: 'json', text: tryPretty(t) }));
    }
    const other = Array.isArray(res.content) ? res.content.filter((c) => c && c.type !== 'text') : [];
    if (other.length) result.append(h('pre', { class: 'json', text: prettyJson(other) }));
  } catch (e) {
    showResult('error', e.message);
  } finally {
    button.disabled = false;
  }
}

function tryPretty(text) {
  try {
    return prettyJson(JSON.parse(text));
  } catch (e) {
    return text;
  }
}

function showResult(state, message) {
  const result = document.getElementById('tool-result');
  clear(result);
  result.dataset.state = state;
  result.append(h('p', { class: state === 'error' ? 'error-text' : '', text: message }));
}
