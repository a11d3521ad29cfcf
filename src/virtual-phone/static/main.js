// The virtual phone page: which address it plays, its notifications (new messages, calls, push
// requests, pinned at the top), and its apps as tabs: messages, calls, TOTP and push authenticators.
import { startAuthenticator } from './authenticator.js';
import { showCalls } from './calls.js';
import { showInbox } from './inbox.js';
import { startPush } from './push.js';
import { startTabs } from './tabs.js';
import { refreshQuiet } from './ui.js';

const ADDRESS_KEY = 'verity.virtual-phone.address';
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const byId = (id) => document.getElementById(id);

/** "+1 (415) 555-2671" → "+14155552671"; emails unchanged. Undefined when it is neither. */
function normalise(text) {
  const value = text.trim();
  if (value.includes('@')) return EMAIL.test(value) ? value : undefined;
  const number = value.replace(/[\s().-]/g, '');
  return E164.test(number) ? number : undefined;
}

/** The status bar's clock, like a phone's (hours and minutes, this browser's locale). */
function startClock(clock) {
  const tick = () => {
    const now = new Date();
    clock.dateTime = now.toISOString();
    clock.textContent = now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  };
  tick();
  setInterval(tick, 10_000);
}

const selectTab = startTabs(document.querySelector('.tabs[role="tablist"]'));
startClock(byId('clock'));

let stopping = [];

function use(address) {
  for (const stop of stopping.splice(0)) stop();
  const isNumber = !address.includes('@');
  byId('inbox-title').textContent = `Messages · ${address}`;
  byId('inbox-empty').textContent = 'No messages yet.';
  stopping.push(showInbox(address, {
    list: byId('messages'),
    empty: byId('inbox-empty'),
    status: byId('inbox-status'),
    banners: byId('banners'),
  }));
  // An email address has no calls: its tab goes, and the inbox shows if calls were open.
  byId('tab-calls').hidden = !isNumber;
  byId('active-calls').replaceChildren();
  if (isNumber) {
    byId('calls-title').textContent = `Recent calls · ${address}`;
    stopping.push(showCalls(address, { list: byId('call-list'), active: byId('active-calls'), empty: byId('calls-empty'), status: byId('calls-status') }));
  } else if (!byId('calls').hidden) {
    selectTab('inbox');
  }
  refreshQuiet();
  document.title = `${address} · Virtual phone · Verity (development)`;
}

const form = byId('address-form');
const input = byId('address');
const error = byId('address-error');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const address = normalise(input.value);
  if (!address) {
    error.textContent = 'Expected an E.164 number such as +14155552671, or an email address.';
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  error.textContent = '';
  input.removeAttribute('aria-invalid');
  input.value = address;
  localStorage.setItem(ADDRESS_KEY, address);
  use(address);
});

const remembered = localStorage.getItem(ADDRESS_KEY);
if (remembered && normalise(remembered)) {
  input.value = remembered;
  use(remembered);
}

startAuthenticator({ form: byId('totp-form'), input: byId('totp-uri'), error: byId('totp-error'), list: byId('totp-list') });
document.body.dataset.ready = 'true';
void startPush({
  form: byId('push-form'),
  input: byId('push-token'),
  error: byId('push-error'),
  progress: byId('push-progress'),
  factorList: byId('push-factors'),
  challengeList: byId('push-challenges'),
  empty: byId('push-empty'),
}).then(() => (document.body.dataset.pushReady = 'true'));
