// The SockJS event bus: four outbound batch addresses, nothing sent. Each batch is {now, items}.
// Reconnects (the client's own reconnect) and tells listeners about every open and close.

import { syncClock, reportError } from './util.js';

export const ADDRESSES = ['dashboard.heartbeats', 'dashboard.agents', 'dashboard.metrics', 'dashboard.events'];

const listeners = new Map(ADDRESSES.map((a) => [a, []]));
const connectionListeners = [];
const counts = { batches: 0, byAddress: Object.fromEntries(ADDRESSES.map((a) => [a, 0])) };

let connected = false;
let everConnected = false;

/** fn(batch) for every batch on address. */
export function subscribe(address, fn) {
  listeners.get(address).push(fn);
}

/** fn(connected, {reconnected}) on every open and close. */
export function onConnection(fn) {
  connectionListeners.push(fn);
}

export function isConnected() {
  return connected;
}

export function batchCounts() {
  return counts;
}

function dispatch(address, body) {
  if (!body || typeof body !== 'object') return;
  counts.batches++;
  counts.byAddress[address]++;
  syncClock(body.now);
  for (const fn of listeners.get(address)) {
    try {
      fn(body);
    } catch (e) {
      reportError(e);
    }
  }
}

function setConnected(value, reconnected) {
  connected = value;
  for (const fn of connectionListeners) {
    try {
      fn(value, { reconnected });
    } catch (e) {
      reportError(e);
    }
  }
}

export function connect() {
  if (typeof EventBus !== 'function') {
    reportError(new Error('the event bus client (/vendor/vertx-eventbus.js) did not load'));
    return;
  }
  const bus = new EventBus('/eventbus');
  // the client opens a new SockJS session after a close (1 s growing to 5 s); its handlers start
  // empty on every session, so onopen registers them again
  bus.enableReconnect(true);
  bus.onopen = () => {
    for (const address of ADDRESSES) {
      bus.registerHandler(address, (err, msg) => {
        if (err) {
          reportError(new Error(`event bus ${address}: ${err.message || 'refused'}`));
          return;
        }
        dispatch(address, msg && msg.body);
      });
    }
    const reconnected = everConnected;
    everConnected = true;
    setConnected(true, reconnected);
  };
  bus.onclose = () => {
    if (connected) setConnected(false, false);
  };
  bus.onerror = (err) => {
    reportError(new Error(`event bus: ${(err && (err.message || err.body)) || 'error'}`));
  };
  // the default logs to the console; only errors matter here
  bus.onunhandled = (json) => {
    if (json && json.type === 'err') bus.onerror(json);
  };
}
