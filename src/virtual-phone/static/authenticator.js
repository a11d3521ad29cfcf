// A TOTP authenticator app. Development only: the URIs (and so the secrets) sit unencrypted in localStorage.
import { parseOtpauthUri, totpAt } from './totp.js';

const STORAGE_KEY = 'verity.virtual-phone.totp';

function loadUris() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((uri) => typeof uri === 'string') : [];
  } catch {
    return [];
  }
}

const saveUris = (uris) => localStorage.setItem(STORAGE_KEY, JSON.stringify(uris));

/** "123456" → "123 456" for reading; the element keeps the plain code in data-code. */
const grouped = (code) => (code.length % 3 === 0 ? code.replace(/(\d{3})(?=\d)/g, '$1 ') : code.replace(/(\d{4})(?=\d)/g, '$1 '));

function renderAccount(account, onRemove) {
  const item = document.createElement('li');
  item.className = 'totp-account';
  const name = document.createElement('p');
  name.className = 'totp-name';
  name.textContent = account.issuer ? `${account.issuer} · ${account.account}` : account.account || 'Unnamed account';
  const code = document.createElement('p');
  code.className = 'totp-code';
  const left = document.createElement('p');
  left.className = 'totp-left';
  const meter = document.createElement('progress');
  meter.max = account.period;
  meter.setAttribute('aria-hidden', 'true');
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'remove';
  remove.textContent = 'Remove';
  remove.setAttribute('aria-label', `Remove ${name.textContent}`);
  remove.addEventListener('click', onRemove);
  item.append(name, code, left, meter, remove);

  const refresh = async (nowMs) => {
    const { code: value, secondsLeft } = await totpAt(account, nowMs);
    if (code.dataset.code !== value) {
      code.dataset.code = value;
      code.textContent = grouped(value);
    }
    left.textContent = `${secondsLeft} s left`;
    meter.value = secondsLeft;
  };
  return { item, refresh };
}

/** Shows the stored TOTP accounts and their codes, refreshed every second. */
export function startAuthenticator({ form, input, error, list }) {
  let uris = loadUris();
  let shown = [];

  const render = () => {
    shown = [];
    list.replaceChildren();
    uris.forEach((uri, index) => {
      let account;
      try {
        account = parseOtpauthUri(uri);
      } catch {
        return; // stored by an older page or edited by hand: skip it
      }
      const view = renderAccount(account, () => {
        uris = uris.filter((_, i) => i !== index);
        saveUris(uris);
        render();
      });
      list.append(view.item);
      shown.push(view);
    });
    tick();
  };

  const tick = () => {
    const now = Date.now();
    for (const view of shown) view.refresh(now).catch((e) => (error.textContent = e.message));
  };

  // An error is about the URI that was submitted: it goes once the URI is being changed.
  input.addEventListener('input', () => (error.textContent = ''));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const uri = input.value.trim();
    try {
      parseOtpauthUri(uri);
    } catch (e) {
      error.textContent = e.message;
      return;
    }
    if (!uris.includes(uri)) uris = [...uris, uri];
    saveUris(uris);
    input.value = '';
    render();
  });

  render();
  setInterval(tick, 1000);
}
