// The inbox: every SMS and email the simulated carrier delivered to the address, newest first.
import { follow, segment, simulator } from './api.js';

/** Digit runs that look like a one-time code (4 to 10 digits). */
const CODE = /\b\d{4,10}\b/g;

const keyOf = (m) => `${m.date_created}|${m.channel}|${m.from}|${m.body}`;

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

function renderMessage(message) {
  const item = document.createElement('li');
  item.className = `message ${message.channel}`;
  const meta = document.createElement('p');
  meta.className = 'meta';
  const channel = document.createElement('span');
  channel.className = 'badge';
  channel.textContent = message.channel === 'email' ? 'Email' : 'SMS';
  const from = document.createElement('span');
  from.textContent = `from ${message.from}`;
  const time = document.createElement('time');
  time.dateTime = message.date_created;
  time.textContent = new Date(message.date_created).toLocaleTimeString();
  meta.append(channel, ' ', from, ' · ', time);
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
    if (known.has(key)) return;
    const element = renderMessage(message);
    known.set(key, message.date_created);
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
  return follow(`/sim/v1/inbox/${segment(address)}/stream`, 'message', {
    onEvent: add,
    onOpen: reload,
    onStatus: (text) => (status.textContent = text),
  });
}
