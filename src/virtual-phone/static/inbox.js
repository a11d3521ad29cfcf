// The inbox: every SMS and email the simulated carrier accepted for the address, newest first,
// each with its delivery status (queued → sent → delivered, or undelivered/failed), live.
/* global navigator */
import { follow, segment, simulator } from './api.js';
import { announce, icon, refreshQuiet } from './ui.js';

/** Digit runs that look like a one-time code (4 to 10 digits). */
const CODE = /\b\d{4,10}\b/g;

/** Messages stored before the simulator had statuses carry no id. */
const keyOf = (m) => m.id ?? `${m.date_created}|${m.channel}|${m.from}|${m.body}`;

const CHANNEL_LABELS = { email: 'Email', whatsapp: 'WhatsApp', call: 'Call' };

/** How many new-message banners the notification area keeps (the inbox keeps them all). */
const SHOWN_BANNERS = 2;
/** A message this recent is news: a reload right after it arrived still shows its banner. */
const NEW_FOR_MS = 120_000;

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

/** A notification banner for a new message: who sent it, its text (codes marked), Copy code and Dismiss. */
function renderBanner(message, { onDismiss }) {
  const item = document.createElement('li');
  item.className = `banner ${message.channel}`;
  item.dataset.id = keyOf(message);
  const label = CHANNEL_LABELS[message.channel] ?? 'SMS';
  const text = document.createElement('div');
  text.className = 'banner-text';
  const meta = document.createElement('p');
  meta.className = 'meta';
  const time = document.createElement('time');
  time.dateTime = message.date_created;
  time.textContent = new Date(message.date_created).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  meta.append(`${label} · ${message.from} · `, time);
  const body = document.createElement('p');
  body.className = 'body';
  appendHighlighted(body, message.subject ? `${message.subject}: ${message.body}` : message.body);
  text.append(meta, body);
  const actions = document.createElement('div');
  actions.className = 'banner-actions';
  const code = message.body.match(CODE)?.[0];
  if (code) {
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'quiet-button copy';
    copy.append(icon('copy'));
    copy.title = `Copy ${code}`;
    copy.setAttribute('aria-label', `Copy code ${code}`);
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(code).then(
        () => {
          copy.replaceChildren(icon('check'));
          copy.setAttribute('aria-label', `Copied ${code}`);
          announce(`Copied ${code}`);
        },
        () => announce('Could not copy: select the code instead.'),
      );
    });
    actions.append(copy);
  }
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.className = 'quiet-button dismiss';
  dismiss.append(icon('x'));
  dismiss.setAttribute('aria-label', `Dismiss the ${label} from ${message.from}`);
  dismiss.addEventListener('click', onDismiss);
  actions.append(dismiss);
  item.append(icon(message.channel === 'email' ? 'email' : 'sms'), text, actions);
  return item;
}

/**
 * Shows the inbox of `address` in the page, live, and a banner in `banners` for each new message;
 * returns a function that stops following it.
 */
export function showInbox(address, { list, empty, status, banners }) {
  const known = new Map();
  let loaded = false;
  list.replaceChildren();
  banners.replaceChildren();
  refreshQuiet();

  const notify = (message) => {
    if (Date.parse(message.date_created) < Date.now() - NEW_FOR_MS) return;
    const banner = renderBanner(message, {
      onDismiss: () => {
        // Focus goes to the next banner, or to the notification area, never to the page's top.
        const next = banner.nextElementSibling ?? banner.previousElementSibling;
        banner.remove();
        refreshQuiet();
        (next?.querySelector('button') ?? document.getElementById('notifications')).focus();
      },
    });
    banners.prepend(banner);
    while (banners.children.length > SHOWN_BANNERS) banners.lastElementChild.remove();
    refreshQuiet();
    if (loaded) announce(`New ${CHANNEL_LABELS[message.channel] ?? 'SMS'} from ${message.from}: ${message.body}`);
  };

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
    // Only the newest message gets a banner (a reload adds the missed ones oldest first, each newest in turn).
    if (list.firstElementChild === element) notify(message);
  };

  const reload = () => {
    simulator('GET', `/sim/v1/inbox/${segment(address)}`)
      .then(({ messages }) => [...messages].reverse().forEach(add))
      .then(() => (loaded = true))
      .catch((error) => (status.textContent = `Could not load the inbox: ${error.message}`));
  };

  empty.hidden = false;
  return follow(`/sim/v1/inbox/${segment(address)}/stream`, ['message', 'status'], {
    onEvent: add,
    onOpen: reload,
    onStatus: (text) => (status.textContent = text),
  });
}
