// REST access: JSON in and out, the server's {error} message on failures, and the dashboard token
// (sessionStorage, sent as a Bearer header on every POST, never shown again).

const TOKEN_KEY = 'agentnet.dashboard.token';
const tokenListeners = [];
let memoryToken = ''; // used only when sessionStorage is refused

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch (e) {
    return '';
  }
}

export function setToken(token) {
  try {
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  } catch (e) {
    // storage refused (private mode): the token only lives until the page reloads
    memoryToken = token;
  }
  for (const listener of tokenListeners) listener(Boolean(token));
}


function currentToken() {
  return getToken() || memoryToken;
}

export function hasToken() {
  return Boolean(currentToken());
}

export function onTokenChange(listener) {
  tokenListeners.push(listener);
}

const authProblemListeners = [];

/** listener(status) when a POST is refused for want of the right token (401/403). */
export function onAuthProblem(listener) {
  authProblemListeners.push(listener);
}

/** A failed call: HTTP status (0 when the server could not be reached) and a message for people. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }

  get authProblem() {
    return this.status === 401 || this.status === 403;
  }
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    return text;
  }
}

function errorMessage(status, body, statusText) {
  let server = '';
  if (body && typeof body === 'object' && typeof body.error === 'string') {
    server = body.error;
  } else if (typeof body === 'string' && body.trim()) {
    server = body.trim().slice(0, 300);
  }
  if (status === 401 || status === 403) {
    const why = status === 401 ? 'This action needs the dashboard token' : 'The dashboard token was refused';
    return `${why} (HTTP ${status}): enter the token (DASHBOARD_TOKEN) in the Token box at the top, save it, and try again.`
      + (server ? ` Server: ${server}` : '');
  }
  return server ? `${server} (HTTP ${status})` : `HTTP ${status} ${statusText || ''}`.trim();
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    const token = currentToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    init.body = JSON.stringify(body === undefined ? {} : body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `The dashboard server cannot be reached (${e.message})`, null);
  }
  const parsed = await readBody(response);
  if (!response.ok) {
    if (response.status === 401 || response.status === 403) {
      for (const listener of authProblemListeners) listener(response.status);
    }
    throw new ApiError(response.status, errorMessage(response.status, parsed, response.statusText), parsed);
  }
  return { status: response.status, body: parsed };
}

/** GET path; resolves with the parsed JSON, rejects with an ApiError. */
export async function getJson(path) {
  return (await call('GET', path)).body;
}

/** POST body as JSON with the token; resolves with {status, body}, rejects with an ApiError. */
export async function postJson(path, body) {
  return call('POST', path, body);
}
