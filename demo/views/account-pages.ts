import type { RememberedDevice } from '../users/remembered-devices.ts';
import { html } from './html.ts';
import { alert, csrfField, layout, notice } from './layout.ts';
import { describeAmr } from './sign-in-methods.ts';

export interface AccountView {
  username: string;
  maskedPhone: string;
  amr: string[];
  devices: RememberedDevice[];
  transfers: Array<{ id: string; amount: string; payee: string; status: string; date: string }>;
  csrf: string;
  message?: string | undefined;
  error?: string | undefined;
  /** A push enrollment token for the virtual phone, shown once. */
  pushToken?: string | undefined;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function accountPage(view: AccountView): string {
  const devices = view.devices.length
    ? html`<ul class="list">${view.devices
        .map(
          (d) => html`<li><span>${d.label} <small>remembered ${day(d.created_at)}, until ${day(d.expires_at)}</small></span>
<form method="post" action="/account/devices/${d.id}/revoke" class="inline">${csrfField(view.csrf)}<button type="submit" class="secondary small">Forget</button></form></li>`,
        )}</ul>`
    : html`<p>No remembered devices: every sign-in asks for your second factor.</p>`;
  const transfers = view.transfers.length
    ? html`<table><caption>Recent transfers</caption><thead><tr><th scope="col">Date</th><th scope="col">Payee</th><th scope="col">Amount</th><th scope="col">Status</th></tr></thead><tbody>${view.transfers
        .map((t) => html`<tr><td>${t.date}</td><td>${t.payee}</td><td>${t.amount}</td><td><span class="status status-${t.status}">${t.status}</span></td></tr>`)}</tbody></table>`
    : html`<p>No transfers yet.</p>`;
  const pushToken = view.pushToken
    ? html`<div class="notice" role="status"><p>Enrollment token for the virtual phone (valid 5 minutes, single use):</p><p><code id="push-enrollment-token">${view.pushToken}</code></p><p>Open Verity's virtual phone, paste it under “Push authenticator” and press Add.</p></div>`
    : '';
  return layout(
    'Your account',
    html`<section class="card">
  <h1>Hello, ${view.username}</h1>
  ${notice(view.message)}${alert(view.error)}
  <p class="signed-in-with" id="signed-in-with">You signed in with: <strong>${describeAmr(view.amr)}</strong></p>
  <p>Verified phone: ${view.maskedPhone}</p>
  <p class="actions"><a class="button" href="/transfer">Send money</a></p>
</section>
<section class="card" aria-labelledby="transfers-title">
  <h2 id="transfers-title">Transfers</h2>
  ${transfers}
</section>
<section class="card" aria-labelledby="security-title" id="security">
  <h2 id="security-title">Security settings</h2>
  <p>Add an authenticator app, a passkey, push approvals or recovery codes on Verity's pages.</p>
  <form method="post" action="/account/security/enroll">${csrfField(view.csrf)}<button type="submit">Set up sign-in methods</button></form>
  <form method="post" action="/account/security/push-token">${csrfField(view.csrf)}<button type="submit" class="secondary">Link a push authenticator (virtual phone)</button></form>
  ${pushToken}
  <h3>Remembered devices</h3>
  ${devices}
</section>`,
    { username: view.username, csrf: view.csrf },
  );
}
