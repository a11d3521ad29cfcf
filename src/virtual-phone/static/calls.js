/* global setTimeout, clearTimeout */
// Calls to the simulated phone: ring, answer or reject, hear the prompts, key digits, hang up.
import { follow, segment, simulator } from './api.js';
import { announce, icon, refreshQuiet } from './ui.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const SHOWN_CALLS = 5;
/** How long an ended call stays in the notifications (its last prompt, its outcome) before Recent calls. */
const ENDED_SHOWN_MS = 8_000;
const STAGE = { ringing: 0, 'in-progress': 1 };
const stageOf = (call) => STAGE[call.status] ?? 2;

/** Whether `incoming` is at least as recent as `current` (stream events and action answers race). */
function isCurrent(incoming, current) {
  if (!current) return true;
  if (stageOf(incoming) !== stageOf(current)) return stageOf(incoming) > stageOf(current);
  if (incoming.prompts.length !== current.prompts.length) return incoming.prompts.length > current.prompts.length;
  return incoming.date_updated >= current.date_updated;
}

function describe(call) {
  if (call.status === 'ringing') return `Incoming call from ${call.from}`;
  if (call.status === 'in-progress') return `On a call with ${call.from}`;
  // A flash call is never answered: its caller id (ending in the code) is the message.
  if (call.status === 'no-answer' && call.prompts.length === 0) return `Missed call from ${call.from}`;
  const ends = { completed: 'Call ended', busy: 'Busy', canceled: 'Call canceled by the caller', failed: 'Call failed', 'no-answer': 'Not answered' };
  return `${ends[call.status] ?? `Call ${call.status}`} · ${call.from}`;
}

function button(text, className, onClick, iconName) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  if (iconName) element.append(icon(iconName), text);
  else element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

/** One call's card; built once, then updated in place so focus and audio survive updates. */
class CallCard {
  constructor(number, call) {
    this.number = number;
    /** Called after each update (set by showCalls, which moves the card where its status belongs). */
    this.onChange = undefined;
    this.sid = call.sid;
    this.call = call;
    this.heard = call.status === 'in-progress' ? 0 : call.prompts.length; // ended calls do not replay
    this.audioQueue = [];
    this.playing = false;
    this.keying = Promise.resolve();

    this.element = document.createElement('li');
    this.element.className = 'call';
    this.element.dataset.created = call.date_created;
    this.title = document.createElement('h3');
    this.title.className = 'call-title';
    this.title.tabIndex = -1;
    this.title.setAttribute('aria-live', 'polite');
    this.icon = document.createElement('span');
    this.icon.className = 'call-icon';
    this.error = document.createElement('p');
    this.error.className = 'error';
    this.error.setAttribute('role', 'alert');

    this.answerButton = button('Answer', 'answer', () => this.act('answer', () => this.hangupButton.focus()), 'call');
    this.rejectButton = button('Reject', 'reject', () => this.act('reject'), 'hangup');
    this.hangupButton = button('Hang up', 'hangup', () => this.act('hangup'), 'hangup');
    // Set by showCalls while an ended call lingers in the notifications.
    this.closeButton = button('Close', 'close-call quiet-button', () => this.onClose?.(), 'x');
    this.closeButton.hidden = true;
    this.actions = document.createElement('div');
    this.actions.className = 'actions';
    this.actions.append(this.answerButton, this.rejectButton, this.hangupButton);

    this.transcript = document.createElement('ol');
    this.transcript.className = 'transcript';
    this.transcript.setAttribute('aria-label', 'Transcript');
    this.transcript.setAttribute('aria-live', 'polite');

    this.audio = document.createElement('audio');
    this.audio.controls = true;
    this.audio.preload = 'auto';
    this.audio.addEventListener('ended', () => this.playNext());
    this.audio.addEventListener('error', () => this.playNext());
    this.playButton = button('▶ Play the prompts', 'play', () => {
      this.playButton.hidden = true;
      this.playNext();
    });
    this.playButton.hidden = true;

    this.keyed = document.createElement('output');
    this.keyed.className = 'keyed';
    this.keyed.setAttribute('aria-label', 'Keyed digits');
    this.keypad = document.createElement('div');
    this.keypad.className = 'keypad';
    this.keypad.setAttribute('role', 'group');
    this.keypad.setAttribute('aria-label', 'Keypad');
    this.keys = KEYS.map((key) => button(key, 'key', () => this.press(key)));
    this.keypad.append(...this.keys);
    this.dialer = document.createElement('div');
    this.dialer.className = 'dialer';
    this.dialer.append(this.keyed, this.keypad);

    this.hint = document.createElement('p');
    this.hint.className = 'hint';
    this.hint.textContent = "A flash call's code is the last digits of its caller id.";
    this.heading = document.createElement('div');
    this.heading.className = 'call-heading';
    this.heading.append(this.icon, this.title, this.closeButton);
    this.element.append(this.heading, this.hint, this.actions, this.error, this.transcript, this.playButton, this.audio, this.dialer);
    this.update(call);
  }

  update(call) {
    if (!isCurrent(call, this.call) && call !== this.call) return;
    this.call = call;
    const ringing = call.status === 'ringing';
    const live = call.status === 'in-progress';
    this.element.dataset.status = call.status;
    this.element.dataset.sid = call.sid;
    this.title.textContent = describe(call);
    const iconName = ringing ? 'incoming' : live ? 'active' : call.status === 'completed' ? 'call' : 'hangup';
    if (this.icon.dataset.name !== iconName) {
      this.icon.dataset.name = iconName;
      this.icon.replaceChildren(icon(iconName));
    }
    this.hint.hidden = !(call.status === 'no-answer' && call.prompts.length === 0);
    this.answerButton.hidden = !ringing;
    this.rejectButton.hidden = !ringing;
    this.hangupButton.hidden = !live;
    this.actions.hidden = !ringing && !live;
    this.dialer.hidden = !live;
    const waitingForDigits = live && call.waiting_for === 'digits';
    for (const key of this.keys) if (key.disabled === waitingForDigits) key.disabled = !waitingForDigits;
    for (const prompt of call.prompts.slice(this.transcript.children.length)) {
      const line = document.createElement('li');
      line.textContent = prompt.text;
      line.lang = prompt.locale;
      this.transcript.append(line);
    }
    for (const prompt of call.prompts.slice(this.heard)) if (prompt.audio_url) this.audioQueue.push(prompt.audio_url);
    this.heard = call.prompts.length;
    this.audio.hidden = !this.audio.src && this.audioQueue.length === 0;
    if (!this.playing && this.playButton.hidden) this.playNext();
    this.onChange?.(this);
  }

  /** Plays the queued prompts in order; a blocked autoplay leaves a play button. */
  playNext() {
    const url = this.audioQueue.shift();
    if (!url) {
      this.playing = false;
      return;
    }
    this.playing = true;
    this.audio.hidden = false;
    this.audio.src = url;
    this.audio.play().catch(() => {
      this.playing = false;
      this.audioQueue.unshift(url);
      this.playButton.hidden = false;
    });
  }

  act(action, then) {
    this.error.textContent = '';
    simulator('POST', `/sim/v1/phones/${segment(this.number)}/calls/${this.sid}/${action}`)
      .then((call) => {
        this.update(call);
        then?.();
      })
      .catch((error) => (this.error.textContent = error.message));
  }

  /** One DTMF request per key, in the order pressed. */
  press(key) {
    this.error.textContent = '';
    this.keyed.value += key;
    this.keying = this.keying
      .then(() => simulator('POST', `/sim/v1/phones/${segment(this.number)}/calls/${this.sid}/dtmf`, { digits: key }))
      .then((call) => this.update(call))
      .catch((error) => (this.error.textContent = error.message));
  }
}

/**
 * Shows the calls to `number` in the page, live: ringing and ongoing ones pinned in `active` (the
 * notification area), ended ones in `list` (the Calls app); returns a function that stops following them.
 */
export function showCalls(number, { list, active, empty, status }) {
  const cards = new Map();
  list.replaceChildren();
  active.replaceChildren();
  empty.hidden = false;

  /** Moves a card where its status belongs, newest first; the history keeps SHOWN_CALLS. */
  const place = (card) => {
    const live = stageOf(card.call) < 2;
    // A call that ends in the notifications stays there a moment, so its outcome is seen.
    if (!live && card.element.parentElement === active && card.lingering === undefined) {
      // A missed flash call stays until closed: its caller id is the code the developer needs.
      const missedFlash = card.call.status === 'no-answer' && card.call.prompts.length === 0;
      card.lingering = missedFlash ? true : setTimeout(() => card.onClose(), ENDED_SHOWN_MS);
      card.onClose = () => {
        clearTimeout(card.lingering);
        card.lingering = null;
        card.closeButton.hidden = true;
        place(card);
      };
      card.closeButton.hidden = false;
      card.closeButton.setAttribute('aria-label', `Close: ${describe(card.call)}`);
      // Its Hang up or Answer button just went away: focus moves to Close rather than to the page's top.
      if (card.element.contains(document.activeElement) || document.activeElement === document.body) card.closeButton.focus();
      announce(describe(card.call));
    }
    const pinned = live || Boolean(card.lingering);
    const target = pinned ? active : list;
    if (card.element.parentElement === target) return;
    // Moved in one task, so a playing prompt goes on (a media element pauses only when left out of the page).
    const hadFocus = card.element.contains(document.activeElement);
    const next = [...target.children].find((child) => child.dataset.created <= card.call.date_created);
    target.insertBefore(card.element, next ?? null);
    while (list.children.length > SHOWN_CALLS) {
      const oldest = list.lastElementChild;
      for (const [sid, c] of cards) if (c.element === oldest) cards.delete(sid);
      oldest.remove();
    }
    empty.hidden = cards.size > 0;
    refreshQuiet();
    if (pinned && card.call.status === 'ringing') announce(describe(card.call));
    // Its buttons are gone with the call: focus stays in the notification area rather than falling to the page.
    if (hadFocus) document.getElementById('notifications')?.focus();
  };

  const show = (call) => {
    const card = cards.get(call.sid);
    if (card) {
      card.update(call);
      return;
    }
    const created = new CallCard(number, call);
    created.onChange = place;
    cards.set(call.sid, created);
    place(created);
  };

  const reload = () => {
    simulator('GET', `/sim/v1/phones/${segment(number)}/calls`)
      .then(({ calls }) => [...calls].reverse().forEach(show))
      .catch((error) => {
        status.textContent = error.status === 404 ? 'Calls need the simulated voice provider (VERITY_VOICE_PROVIDER=simulator).' : `Could not load the calls: ${error.message}`;
      });
  };

  return follow(`/sim/v1/phones/${segment(number)}/stream`, 'call', {
    onEvent: show,
    onOpen: reload,
    onStatus: (text) => {
      status.textContent = text;
      // A refused stream (no simulated voice provider) never opens: the list says why.
      if (text === 'Disconnected') reload();
    },
  });
}
