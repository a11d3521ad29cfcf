// The inbox: every SMS and email the simulated carrier accepted for the address, newest first,
// each with its delivery status (queued → sent → delivered, or undelivered/failed), live.
import { follow, segment, simulator } from './api.js';

/** Digit runs that look like a one-time code (4 to 10 digits). */
const CODE = /\b\d{4,10}\b/g;

/** Messages stored before the simulator had statuses carry no id. */
const keyOf = (m) => m.id ?? `${m.date_created}|${m.channel}|${m.from}|${m.body}`;

const CHANNEL_LABELS = { email: 'Email', whatsapp: 'WhatsApp', call: 'Call' };

/** What each status means for the person holding the phone. */
const STATUS_TEXTS = {
  queued: 'Queued at the carrier',
  sent: 'Sent to the network',
  delivered: 'Delivered',
  undelivered: 'Not delivered',
  failed: 'Failed',
};

/** Statuses only move forward (a reload answered before a change must not undo it). */
const RANK = { queued: 0, sent: 1, delivered: 2, undelivered: 2, failed: 2 };

/** Appends `text` to `parent`, with each code-like run in a <mark> (text nodes only, never HTML). */
function appendHighlighted(parent, text) {
  let last = 0;
  for (const match of text.matchAll(CODE)) {
    parent.append(text.slice(last, match.index));
    const mark = document.createElement('mark');
    mark.className = 'code';
    mark.textContent = match[0];
    parent.append(mark);
    last = match.index + match[0].length;
  }
  parent.append(text.slice(last));
}

/** The status line of a message (replaced in place when the status changes). */
function renderStatus(message) {
  const status = document.createElement('span');
  status.className = 'delivery';
  status.dataset.status = message.status;
  const error = message.error_code ? ` (carrier error ${message.error_code})` : '';
  status.textContent = `${STATUS_TEXTS[message.status] ?? message.status}${error}`;
  if (message.id) status.title = `Message ${message.id}, ${message.status} at ${message.date_updated}`;
  return status;
}

function renderMessage(message) {
  const item = document.createElement('li');
  item.className = `message ${message.channel}`;
  item.dataset.status = message.status;
  const meta = document.createElement('p');
  meta.className = 'meta';
  const channel = document.createElement('span');
  channel.className = 'badge';
  channel.textContent = CHANNEL_LABELS[message.channel] ?? 'SMS';
  const from = document.createElement('span');
  from.textContent = `from ${message.from}`;
  const time = document.createElement('time');
  time.dateTime = message.date_created;
  time.textContent = new Date(message.date_created).toLocaleTimeString();
  meta.append(channel, ' ', from, ' · ', time, ' · ', renderStatus(message));
  item.append(meta);
  if (message.subject) {
    const subject = document.createElement('p');
    subject.className = 'subject';
    subject.textContent = message.subject;
    item.append(subject);
  }
  const body = document.createElement('p');
  body.className = 'body';
  appendHighlighted(body, message.body);
  item.append(body);
  return item;
}

/** Shows the inbox of `address` in the page, live; returns a function that stops following it. */
export function showInbox(address, { list, empty, status }) {
  const known = new Map();
  list.replaceChildren();

  const add = (message) => {
    const key = keyOf(message);
    const shown = known.get(key);
    if (shown) {
      // A status change, or a reload after reconnecting: only a later status replaces the line.
      if (RANK[message.status] <= RANK[shown.dataset.status]) return;
      shown.dataset.status = message.status;
      shown.querySelector('.delivery')?.replaceWith(renderStatus(message));
      return;
    }
    const element = renderMessage(message);
    known.set(key, element);
    element.dataset.date = message.date_created;
    // Newest first: above the first message that is not newer (a reload after reconnecting adds the
    // missed ones oldest first, so equal timestamps keep their arrival order, newest on top).
    const next = [...list.children].find((child) => child.dataset.date <= message.date_created);
    list.insertBefore(element, next ?? null);
    empty.hidden = true;
  };

  const reload = () => {
    simulator('GET', `/sim/v1/inbox/${segment(address)}`)
      .then(({ messages }) => [...messages].reverse().forEach(add))
      .catch((error) => (status.textContent = `Could not load the inbox: ${error.message}`));
  };

  empty.hidden = false;
  return follow(`/sim/v1/inbox/${segment(address)}/stream`, ['message', 'status'], {
    onEvent: add,
    onOpen: reload,
    onStatus: (text) => (status.textContent = text),
  });
}
