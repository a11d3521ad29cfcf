// Calls to the simulated phone: ring, answer or reject, hear the prompts, key digits, hang up.
import { follow, segment, simulator } from './api.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const SHOWN_CALLS = 5;
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

function button(text, className, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

/** One call's card; built once, then updated in place so focus and audio survive updates. */
class CallCard {
  constructor(number, call) {
    this.number = number;
    this.sid = call.sid;
    this.call = call;
    this.heard = call.status === 'in-progress' ? 0 : call.prompts.length; // ended calls do not replay
    this.audioQueue = [];
    this.playing = false;
    this.keying = Promise.resolve();

    this.element = document.createElement('li');
    this.element.className = 'call';
    this.title = document.createElement('h3');
    this.title.className = 'call-title';
    this.title.setAttribute('aria-live', 'polite');
    this.error = document.createElement('p');
    this.error.className = 'error';
    this.error.setAttribute('role', 'alert');

    this.answerButton = button('Answer', 'answer', () => this.act('answer', () => this.hangupButton.focus()));
    this.rejectButton = button('Reject', 'reject', () => this.act('reject'));
    this.hangupButton = button('Hang up', 'hangup', () => this.act('hangup'));
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
    this.element.append(this.title, this.hint, this.actions, this.error, this.transcript, this.playButton, this.audio, this.dialer);
    this.update(call);
  }

  update(call) {
    if (!isCurrent(call, this.call) && call !== this.call) return;
    this.call = call;
    const ringing = call.status === 'ringing';
    const live = call.status === 'in-progress';
    this.element.dataset.status = call.status;
    this.title.textContent = describe(call);
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

/** Shows the calls to `number` in the page, live; returns a function that stops following them. */
export function showCalls(number, { list, empty, status }) {
  const cards = new Map();
  list.replaceChildren();
  empty.hidden = false;

  const show = (call) => {
    const card = cards.get(call.sid);
    if (card) {
      card.update(call);
      return;
    }
    const created = new CallCard(number, call);
    cards.set(call.sid, created);
    const next = [...list.children].find((child) => child.dataset.created <= call.date_created);
    created.element.dataset.created = call.date_created;
    list.insertBefore(created.element, next ?? null);
    while (list.children.length > SHOWN_CALLS) {
      const oldest = list.lastElementChild;
      for (const [sid, c] of cards) if (c.element === oldest) cards.delete(sid);
      oldest.remove();
    }
    empty.hidden = true;
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
