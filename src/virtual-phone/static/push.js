// A push authenticator (docs/push.md): enrolls with an enrollment token, keeps a non-extractable
// P-256 key per factor in IndexedDB, follows each factor's challenge stream and answers with signed
// responses bound to the details it shows. Development only, like the rest of the page.
/* global URLSearchParams, AbortController, TextDecoderStream, setTimeout */
import { MAX_DEVICE_TOKEN_SECONDS, generateDeviceKey, jwtClaims, signDeviceToken, signFactorVerification, signPushResponse } from './push-protocol.js';
import { parseEnrollmentInput } from './enrollment-input.js';
import { deleteFactor, listFactors, putFactor } from './push-store.js';
import { announce, icon, refreshQuiet } from './ui.js';
import { createParser } from './vendor/eventsource-parser.js';

/** A refused /device/v1 call, with Verity's code and message. */
class DeviceApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Device calls send no cookies (`credentials: 'omit'`): the API needs none, and a 401 of Verity
 * carries `WWW-Authenticate: Basic`, on which a credentialed fetch would open the browser's login prompt.
 */
async function deviceCall(method, path, bearer, form) {
  const response = await fetch(path, {
    method,
    credentials: 'omit',
    headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json' },
    body: form === undefined ? undefined : new URLSearchParams(form),
  });
  const parsed = await response.json().catch(() => undefined);
  if (!response.ok) throw new DeviceApiError(response.status, parsed?.code, parsed?.message ?? `${method} ${path} answered ${response.status}`);
  return parsed;
}

/**
 * Exchanges a short enrollment code for the enrollment token it stands for (once: the code is then used).
 * No bearer: the code is the secret.
 */
async function redeemCode(code) {
  const response = await fetch(`/device/v1/EnrollmentCodes/${encodeURIComponent(code)}`, { method: 'POST', credentials: 'omit', headers: { Accept: 'application/json' } });
  const parsed = await response.json().catch(() => undefined);
  if (response.status === 404) throw new Error('This enrollment code is unknown, used or expired: ask the enrollment page for a new one.');
  if (response.status === 429) throw new Error('Too many enrollment codes tried from here: wait a minute and try again.');
  if (!response.ok || typeof parsed?.enrollment_token !== 'string') throw new Error(parsed?.message ?? `Redeeming the code answered ${response.status}.`);
  return parsed.enrollment_token;
}

const factorPath = (sid, suffix = '') => `/device/v1/Factors/${encodeURIComponent(sid)}${suffix}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `onEvent(name, data)` for each server-sent event of `body` until it ends. The stream is read
 * with fetch (it needs an Authorization header) and parsed by eventsource-parser, served with the page.
 */
async function readEvents(body, onEvent) {
  const parser = createParser({ onEvent: (event) => onEvent(event.event ?? 'message', event.data) });
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}

/**
 * Follows a factor's challenge stream. The stream needs an Authorization header, so it is read with
 * fetch (EventSource cannot send one); Verity ends it when the device token expires, and it is
 * reopened with a fresh token. `onOpen` runs on every connection so the caller can drop answered
 * challenges it missed.
 */
function followChallenges(record, { onChallenge, onOpen, onStatus }) {
  let stopped = false;
  let controller;
  const loop = async () => {
    let delay = 1_000;
    while (!stopped) {
      controller = new AbortController();
      try {
        const token = await signDeviceToken(record.keys.privateKey, record.sid, MAX_DEVICE_TOKEN_SECONDS);
        const response = await fetch(factorPath(record.sid, '/Challenges/Stream'), {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          credentials: 'omit',
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          const parsed = await response.json().catch(() => undefined);
          const message = parsed?.message ?? `the stream answered ${response.status}`;
          // Refused for good (factor deleted, key not accepted): retrying would not help.
          if (response.status >= 400 && response.status < 500 && response.status !== 429) {
            onStatus(`Refused: ${message}`);
            return;
          }
          throw new Error(message);
        }
        onStatus('Live');
        delay = 1_000;
        await onOpen();
        await readEvents(response.body, (event, data) => {
          if (event === 'challenge') onChallenge(JSON.parse(data));
        });
      } catch {
        if (stopped) return;
        onStatus('Reconnecting…');
        await sleep(delay);
        delay = Math.min(delay * 2, 30_000);
        continue;
      }
      if (!stopped) onStatus('Reconnecting…');
    }
  };
  void loop();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

const element = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

function definitionList(pairs, className) {
  const list = element('dl', className);
  for (const [label, value] of pairs) list.append(element('dt', '', label), element('dd', '', value));
  return list;
}

/** The account as people know it (the token's account_name); the identity only for factors enrolled before tokens carried one. */
const accountOf = (record) => record.accountName || record.identity;
const secondsUntil = (iso) => Math.round((Date.parse(iso) - Date.now()) / 1000);
const SETTLED_SHOWN_MS = 60_000;

/** Shows the stored push factors and their pending challenges, and enrolls new ones. */
export function startPush({ form, input, error, progress, factorList, challengeList, empty }) {
  const factors = new Map(); // sid → { record, item, stop }
  const challenges = new Map(); // sid → { challenge, item, tick }
  let idCounter = 0;

  const refreshEmpty = () => {
    empty.hidden = challengeList.children.length > 0;
    refreshQuiet();
  };

  const dropChallenge = (sid) => {
    const item = challenges.get(sid)?.item;
    const hadFocus = item?.contains(document.activeElement);
    item?.remove();
    challenges.delete(sid);
    refreshEmpty();
    if (hadFocus) document.getElementById('notifications')?.focus();
  };

  const showChallenge = (challenge) => {
    const factor = factors.get(challenge.factor_sid);
    if (!factor || challenges.has(challenge.sid) || challenge.status !== 'pending') return;
    const id = `push-${++idCounter}`;
    const item = element('li', 'push-challenge');
    item.dataset.sid = challenge.sid;
    item.dataset.status = 'pending';
    item.setAttribute('aria-labelledby', `${id}-title`);
    const title = element('h3', 'push-message', challenge.details?.message ?? 'Approve this request?');
    title.id = `${id}-title`;
    title.tabIndex = -1;
    const head = element('p', 'meta push-head');
    head.append(icon('push'), `${challenge.service_name} · ${accountOf(factor.record)}`);
    head.title = `Push request to ${factor.record.friendlyName}`;
    item.append(head, title);
    // The transaction's fields, and its date, in one list: what is approved, read at a glance.
    const pairs = (challenge.details?.fields ?? []).map((f) => [f.label, f.value]);
    if (challenge.details?.date) pairs.push(['Date', new Date(challenge.details.date).toLocaleString()]);
    if (pairs.length > 0) item.append(definitionList(pairs, 'push-fields'));
    if (challenge.hidden_details) {
      const hidden = element('details', 'push-hidden');
      hidden.append(element('summary', '', 'Hidden details'), definitionList(Object.entries(challenge.hidden_details), 'push-fields'));
      item.append(hidden);
    }
    const expiry = element('p', 'meta push-expiry');
    item.append(expiry);

    const actions = element('div', 'actions push-actions');
    let number;
    if (challenge.number_match_required) {
      const label = element('label', 'push-number-label', 'Number shown on the login page');
      label.htmlFor = `${id}-number`;
      number = element('input', 'push-number');
      Object.assign(number, { id: `${id}-number`, type: 'text', inputMode: 'numeric', maxLength: 2, autocomplete: 'off', spellcheck: false, required: true });
      number.setAttribute('pattern', '[0-9]{2}');
      number.setAttribute('aria-describedby', `${id}-error`);
      item.append(label);
      actions.append(number);
    }
    // A wrong-number message is about the value that was there: it goes once the value is being corrected.
    const problem = element('p', 'error');
    number?.addEventListener('input', () => {
      problem.textContent = '';
      number.removeAttribute('aria-invalid');
    });
    const approve = element('button', 'approve');
    approve.append(icon('check'), 'Approve');
    const deny = element('button', 'deny');
    deny.append(icon('x'), 'Deny');
    approve.type = deny.type = 'button';
    actions.append(approve, deny);
    problem.id = `${id}-error`;
    problem.setAttribute('role', 'alert');
    const outcome = element('p', 'push-outcome');
    outcome.setAttribute('role', 'status');
    item.append(actions, problem, outcome);

    const settle = (status, text) => {
      if (item.dataset.status !== 'pending') return;
      // The buttons go with the answer: focus moves to the request's title, not to the page's top.
      const hadFocus = item.contains(document.activeElement);
      item.dataset.status = status;
      approve.disabled = deny.disabled = true;
      if (number) number.disabled = true;
      expiry.textContent = '';
      outcome.textContent = text;
      // Answered requests make room: they go below the pending ones, reduced to one line (CSS).
      challengeList.append(item);
      if (hadFocus) title.focus();
      setTimeout(() => {
        if (challenges.get(challenge.sid)?.item === item) dropChallenge(challenge.sid);
      }, SETTLED_SHOWN_MS);
    };

    const answer = async (status) => {
      problem.textContent = '';
      number?.removeAttribute('aria-invalid');
      let entered;
      if (status === 'approved' && number) {
        entered = number.value.trim();
        if (!/^\d{2}$/.test(entered)) {
          problem.textContent = 'Enter the two-digit number shown on the login page.';
          number.setAttribute('aria-invalid', 'true');
          number.focus();
          return;
        }
      }
      approve.disabled = deny.disabled = true;
      try {
        const key = factor.record.keys.privateKey;
        const result = await deviceCall('POST', factorPath(challenge.factor_sid, `/Challenges/${encodeURIComponent(challenge.sid)}`), await signDeviceToken(key, challenge.factor_sid), {
          AuthPayload: await signPushResponse(key, challenge, status, entered),
        });
        if (result.status === 'approved') settle('approved', 'Approved.');
        else if (status === 'approved') settle(result.status, `Not approved (${result.status}): the number did not match the login page.`);
        else settle(result.status, result.status === 'denied' ? 'Denied.' : `The request is ${result.status}.`);
      } catch (e) {
        if (e instanceof DeviceApiError && e.code === 60306) return settle('expired', 'This request has expired.');
        problem.textContent = e.message;
        approve.disabled = deny.disabled = false;
      }
    };
    approve.addEventListener('click', () => void answer('approved'));
    deny.addEventListener('click', () => void answer('denied'));

    const tick = () => {
      if (item.dataset.status !== 'pending') return;
      const left = secondsUntil(challenge.expiration_date);
      if (left <= 0) settle('expired', 'This request has expired.');
      else expiry.textContent = `Expires at ${new Date(challenge.expiration_date).toLocaleTimeString()} (in ${left} s)`;
    };
    tick();
    challenges.set(challenge.sid, { challenge, item, tick });
    challengeList.prepend(item);
    refreshEmpty();
    announce(`Push request from ${challenge.service_name}: ${title.textContent}`);
  };

  /** On every (re)connection: drop the challenges answered or expired meanwhile. */
  const reconcile = async (record) => {
    const { challenges: pending } = await deviceCall('GET', factorPath(record.sid, '/Challenges?Status=pending'), await signDeviceToken(record.keys.privateKey, record.sid));
    const still = new Set(pending.map((c) => c.sid));
    for (const [sid, shown] of challenges) {
      if (shown.challenge.factor_sid === record.sid && !still.has(sid) && shown.item.dataset.status === 'pending') dropChallenge(sid);
    }
    for (const challenge of pending) showChallenge(challenge);
  };

  const showFactor = (record) => {
    factors.get(record.sid)?.stop?.();
    factors.get(record.sid)?.item.remove();
    const item = element('li', 'push-factor');
    item.dataset.sid = record.sid;
    item.dataset.status = record.status;
    const name = element('p', 'push-factor-name', record.friendlyName || 'Push factor');
    const meta = element('p', 'meta', `${accountOf(record)} · ${record.serviceName} · ${record.sid}`);
    const status = element('p', 'stream-status');
    status.setAttribute('role', 'status');
    const forget = element('button', 'remove', 'Forget');
    forget.type = 'button';
    forget.setAttribute('aria-label', `Forget ${name.textContent} (${accountOf(record)})`);
    item.append(name, meta, status, forget);
    factorList.append(item);
    const entry = { record, item, stop: undefined };
    factors.set(record.sid, entry);

    forget.addEventListener('click', () => {
      entry.stop?.();
      factors.delete(record.sid);
      item.remove();
      for (const [sid, shown] of challenges) if (shown.challenge.factor_sid === record.sid) dropChallenge(sid);
      deleteFactor(record.sid).catch((e) => (error.textContent = e.message));
    });

    if (record.status !== 'verified') {
      status.textContent = 'Not verified yet.';
      return;
    }
    entry.stop = followChallenges(record, {
      onChallenge: showChallenge,
      onOpen: () => reconcile(record),
      onStatus: (text) => (status.textContent = text),
    });
  };

  /** Proves possession of the key, which verifies the factor; the record is saved either way. */
  const verify = async (record) => {
    const key = record.keys.privateKey;
    const verified = await deviceCall('POST', factorPath(record.sid), await signDeviceToken(key, record.sid), { AuthPayload: await signFactorVerification(key, record.sid) });
    record.status = verified.status;
    await putFactor(record);
    return record;
  };

  /** Enrolls with what was pasted: a token as it is, a code or link once redeemed for its token. */
  const enroll = async (pasted) => {
    const parsed = parseEnrollmentInput(pasted);
    if (parsed.error) throw new Error(parsed.error);
    let token = parsed.token;
    if (parsed.code) {
      progress.textContent = `Redeeming the code ${parsed.code}…`;
      token = await redeemCode(parsed.code);
    }
    let claims;
    try {
      claims = jwtClaims(token);
    } catch {
      throw new Error('That is not an enrollment token (a JWT from POST …/AccessTokens).');
    }
    if (claims.aud !== 'verity-enrollment' || claims.factor_type !== 'push') throw new Error('That JWT is not a push enrollment token.');
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) throw new Error('This enrollment token has expired: ask for a new one.');
    progress.textContent = 'Making a key pair…';
    const { keys, publicKey } = await generateDeviceKey();
    progress.textContent = 'Enrolling…';
    const factor = await deviceCall('POST', '/device/v1/Factors', token, { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey });
    const record = {
      sid: factor.sid,
      keys,
      identity: claims.sub,
      accountName: typeof claims.account_name === 'string' ? claims.account_name : undefined,
      serviceName: claims.service_name,
      friendlyName: factor.friendly_name,
      status: factor.status,
      created: Date.now(),
    };
    await putFactor(record);
    progress.textContent = 'Verifying…';
    showFactor(await verify(record));
  };

  // An error is about the value that was submitted: it goes once the value is being changed.
  input.addEventListener('input', () => {
    error.textContent = '';
    input.removeAttribute('aria-invalid');
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    const token = input.value.trim();
    if (!token) {
      error.textContent = 'Paste an enrollment code, link or token first.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    enroll(token)
      .then(() => {
        input.value = '';
        progress.textContent = 'Enrolled and verified.';
      })
      .catch((e) => {
        progress.textContent = '';
        error.textContent = e.message;
        input.setAttribute('aria-invalid', 'true');
      })
      .finally(() => (button.disabled = false));
  });

  input.addEventListener('input', () => {
    error.textContent = '';
    input.removeAttribute('aria-invalid');
  });

  setInterval(() => {
    for (const shown of challenges.values()) shown.tick();
  }, 1_000);

  refreshEmpty();
  return listFactors()
    .then(async (records) => {
      for (const record of records) {
        // Enrolled but not verified (the page closed in between): try again.
        if (record.status !== 'verified') await verify(record).catch(() => undefined);
        showFactor(record);
      }
    })
    .catch((e) => (error.textContent = `Could not read the stored push factors: ${e.message}`));
}
