import { html } from './html.ts';
import { alert, csrfField, layout, virtualPhoneHint } from './layout.ts';

export function transferFormPage(username: string, csrf: string, form: { amount?: string; payee?: string; error?: string; needsPush?: boolean } = {}): string {
  const setUp = form.needsPush
    ? html`<div class="alert" role="alert" id="form-error"><p>Transfers are approved on your phone, and you have no push authenticator yet.</p><p><a href="/account#security">Set one up in Security settings</a>, then come back.</p></div>`
    : alert(form.error);
  return layout(
    'Send money',
    html`<section class="card">
  <h1>Send money</h1>
  ${setUp}
  <form method="post" action="/transfer">
    ${csrfField(csrf)}
    <label for="amount">Amount (USD)</label>
    <input id="amount" name="amount" inputmode="decimal" required pattern="[0-9]{1,5}([.][0-9]{1,2})?" value="${form.amount ?? ''}" aria-describedby="amount-hint">
    <p class="hint" id="amount-hint">From 0.01 to 10000.00.</p>
    <label for="payee">Payee</label>
    <input id="payee" name="payee" required maxlength="70" value="${form.payee ?? ''}" aria-describedby="payee-hint">
    <p class="hint" id="payee-hint">Name and account, as they should appear on your phone.</p>
    <button type="submit">Continue: approve on my phone</button>
  </form>
  <p><a href="/account">Back to your account</a></p>
</section>`,
    { username, csrf },
  );
}

/** Waiting for the push approval; transfer-wait.js follows the outcome through the demo's status endpoint. */
export function transferWaitPage(username: string, csrf: string, transfer: { id: string; amount: string; payee: string; numberMatch: string | null }, virtualPhoneUrl?: string): string {
  const number = transfer.numberMatch
    ? html`<p>On your phone, enter this number to approve:</p><p class="display-code" id="number-match" aria-label="Number to enter: ${transfer.numberMatch.split('').join(' ')}">${transfer.numberMatch}</p>`
    : '';
  return layout(
    'Approve on your phone',
    html`<section class="card">
  <h1>Approve the transfer on your phone</h1>
  <dl class="summary"><dt>Amount</dt><dd>${transfer.amount}</dd><dt>Payee</dt><dd>${transfer.payee}</dd></dl>
  ${number}
  <p>Check that your phone shows exactly this amount and payee before you approve.</p>
  ${virtualPhoneHint(virtualPhoneUrl, 'the approval request')}
  <div class="progress" id="transfer-progress" role="status" aria-live="polite" data-status-url="/transfer/${transfer.id}/status">Waiting for your approval…</div>
  <form method="post" action="/transfer/${transfer.id}/complete" id="complete-form">
    ${csrfField(csrf)}
    <button type="submit">I approved it: continue</button>
  </form>
</section>`,
    { username, csrf, script: 'transfer-wait.js' },
  );
}

export function transferDonePage(username: string, csrf: string, outcome: { executed: boolean; title: string; message: string; amount: string; payee: string }): string {
  return layout(
    outcome.title,
    html`<section class="card">
  <h1>${outcome.title}</h1>
  <p class="${outcome.executed ? 'notice' : 'alert'}" role="${outcome.executed ? 'status' : 'alert'}" id="transfer-outcome">${outcome.message}</p>
  <dl class="summary"><dt>Amount</dt><dd>${outcome.amount}</dd><dt>Payee</dt><dd>${outcome.payee}</dd></dl>
  <p class="actions"><a class="button" href="/account">Back to your account</a> <a class="button secondary" href="/transfer">New transfer</a></p>
</section>`,
    { username, csrf },
  );
}
