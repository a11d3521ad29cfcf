// The simulator's development APIs (/sim/v1/…), same origin, no authentication.

/** A failed simulator call, with the API's message (Twilio-style error body). */
export class SimulatorApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET or POST (JSON body) to the simulator; resolves with the parsed JSON answer. */
export async function simulator(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = await response.json().catch(() => undefined);
  if (!response.ok) throw new SimulatorApiError(response.status, parsed?.message ?? `${method} ${path} answered ${response.status}`);
  return parsed;
}

/**
 * Follows a server-sent-events stream. `onOpen` runs on every (re)connection, so the caller can
 * reload the list it missed while disconnected; EventSource reconnects by itself. `event` is one
 * event name or several (`onEvent` then gets the name as its second argument).
 */
export function follow(path, event, { onEvent, onOpen, onStatus }) {
  const source = new EventSource(path);
  source.addEventListener('open', () => {
    onStatus('Live');
    onOpen();
  });
  source.addEventListener('error', () => onStatus(source.readyState === EventSource.CLOSED ? 'Disconnected' : 'Reconnecting…'));
  for (const name of [event].flat()) source.addEventListener(name, (message) => onEvent(JSON.parse(message.data), name));
  return () => source.close();
}

/** The path segment of an address (E.164 "+" and email "@" escaped). */
export const segment = (address) => encodeURIComponent(address);
