// Small helpers shared by the views: DOM building (text only, never HTML from the server),
// the server clock, formatting and one requestAnimationFrame render scheduler.

/**
 * Builds an element. attrs: class, text, dataset ({k: v}), style ({k: v}), on<event> handlers,
 * anything else as an attribute (false/null/undefined skipped). Children: nodes or strings (as text).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  appendChildren(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Same as h() for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  appendChildren(el, children);
  return el;
}

function applyAttrs(el, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) el.dataset[k] = String(v);
      }
    } else if (key === 'style' && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) el.style.setProperty(k, v);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.setAttribute('class', value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function appendChildren(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Removes every child of el. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Sets textContent only when it changed (cheap to call every frame). */
export function setText(el, text) {
  const t = text === undefined || text === null ? '' : String(text);
  if (el.textContent !== t) el.textContent = t;
}

/** Sets a data attribute only when it changed. */
export function setData(el, key, value) {
  const v = String(value);
  if (el.dataset[key] !== v) el.dataset[key] = v;
}

// ---------------------------------------------------------------- server clock

let clockOffset = 0; // server epoch ms - browser epoch ms

/** Takes a server timestamp (epoch ms, as `now` in /api/info and in every batch). */
export function syncClock(serverNow) {
  if (typeof serverNow === 'number' && Number.isFinite(serverNow)) {
    clockOffset = serverNow - Date.now();
  }
}

/** The server's current time in epoch ms. */
export function serverNow() {
  return Date.now() + clockOffset;
}

/** Epoch ms from an ISO string or a number; NaN when absent or unreadable. */
export function toMillis(value) {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value) return Date.parse(value);
  return NaN;
}

// ---------------------------------------------------------------- formatting

/** "3 s", "4 min 10 s", "2 h 5 min"; "-" for NaN. */
export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const sec = Math.floor(ms / 1000);
  if (sec < 60) return `${sec} s`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} min ${sec % 60} s`;
  const hours = Math.floor(min / 60);
  if (hours < 48) return `${hours} h ${min % 60} min`;
  return `${Math.floor(hours / 24)} d`;
}

/** Age of a server timestamp: "2 s ago". */
export function formatAge(ms) {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1000) return 'now';
  return `${formatDuration(ms)} ago`;
}

const pad = (n) => String(n).padStart(2, '0');

/** Local wall-clock time of an ISO/epoch timestamp: "14:03:07"; with date when not today. */
export function formatTime(value) {
  const ms = toMillis(value);
  if (!Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** A load fraction (0..1) as "42%". */
export function formatPercent(fraction) {
  if (typeof fraction !== 'number' || !Number.isFinite(fraction)) return '-';
  return `${Math.round(fraction * 100)}%`;
}

/** Pretty JSON for display (inserted as text). */
export function prettyJson(value) {
  try {
    return JSON.stringify(value, null, 2);
  } catch (e) {
    return String(value);
  }
}

// ---------------------------------------------------------------- render scheduling

const pendingRenders = new Set();
let frameRequested = false;
let renderPasses = 0;

/**
 * Asks for fn to run in the next animation frame. The same fn asked for several times before the
 * frame runs once: batches only update models and mark things dirty, views redraw at most once a frame.
 */
export function scheduleRender(fn) {
  pendingRenders.add(fn);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(runRenders);
  }
}

function runRenders() {
  frameRequested = false;
  const fns = Array.from(pendingRenders);
  pendingRenders.clear();
  renderPasses++;
  for (const fn of fns) {
    try {
      fn();
    } catch (e) {
      reportError(e);
    }
  }
}

export function renderCount() {
  return renderPasses;
}

/** Calls fn at most once per interval ms (leading and trailing). */
export function throttle(fn, interval) {
  let last = 0;
  let timer = null;
  const run = () => {
    timer = null;
    last = Date.now();
    fn();
  };
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + interval - Date.now());
    if (wait === 0) {
      run();
    } else {
      timer = setTimeout(run, wait);
    }
  };
}

// ---------------------------------------------------------------- problems

const problemListeners = [];

/** Unexpected errors go to the page's status line instead of the console. */
export function reportError(error) {
  const message = error && error.message ? error.message : String(error);
  for (const listener of problemListeners) listener(message);
}

export function onProblem(listener) {
  problemListeners.push(listener);
}
