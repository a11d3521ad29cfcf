import { layout } from '../hosted/handoff-pages.ts';
import { html } from '../pages/html.ts';
import { errorAt, factorItem, noticeBlock, sessionField, textOf, type EnrollHubPage } from './enroll-pages.ts';
import { HOSTED_FACTORS } from './registry.ts';

/*
 * The enrollment hub's page, built from the registry: each factor renders its own "add" card
 * (`HostedFactor.enrollment.card`), in the hub's order (`enrollment.cardOrder`); the page names no factor.
 */

/** The factors with an "add" card, in the hub's order. */
const HUB_CARDS = HOSTED_FACTORS.filter((f) => f.enrollment?.card).sort((a, b) => (a.enrollment?.cardOrder ?? 0) - (b.enrollment?.cardOrder ?? 0));

/** The enrollment hub: the user's methods (each factor, recovery codes, the application's phone), one card per method that can be added, and "Done". */
export function enrollHubPage(page: EnrollHubPage): string {
  const t = textOf(page);
  const items = [
    ...page.factors.map((f) => factorItem(f, page.session, t, errorAt(page, f.sid))),
    ...(page.recoveryCodes.total > 0
      ? [html`<li data-method="recovery_codes"><span class="factor-name">${t('recoveryTitle')}</span> <span class="hint">${t('recoveryStatus', { remaining: page.recoveryCodes.remaining, total: page.recoveryCodes.total })}</span></li>`]
      : []),
    ...(page.trustedPhone !== undefined
      ? [html`<li data-method="phone"><span class="factor-name">${t.parts('trustedPhone', { number: html`<span class="phone">${page.trustedPhone}</span>` })}</span> <span class="hint">${t('trustedPhoneHint', { app: page.appName })}</span></li>`]
      : []),
  ];
  const list = items.length ? html`<ul class="factor-list">${items.map((item, i) => html`${i > 0 ? '\n' : ''}${item}`)}</ul>` : html`<p class="hint">${t('noneYet')}</p>`;
  const account = page.displayName !== undefined ? html`<p class="hint account">${t.parts('accountIs', { name: html`<strong>${page.displayName}</strong>` })}</p>` : '';
  // An alert about a value typed into a form (an invalid number, a refused name) shows at that field (errorAt), not up here.
  const field = page.notice?.field;
  const atField = field !== undefined && (HUB_CARDS.some((factor) => factor.enrollment?.fieldsOf?.(page).includes(field)) || page.factors.some((f) => f.sid === field && f.manageable));
  const cards = HUB_CARDS.flatMap((factor) => factor.enrollment?.card?.(page, t) ?? []);
  return layout(
    t('hubTitle'),
    html`<h1>${t('hubTitle')}</h1>
<p class="lead">${t('hubLead', { app: page.appName })}</p>
${atField ? undefined : noticeBlock(page.notice)}
<section class="card" aria-labelledby="current-title">
<h2 id="current-title">${t('currentTitle')}</h2>
${account}${list}
</section>
${cards.map((card, i) => html`${i > 0 ? '\n' : ''}${card}`)}
<form method="post" action="/handoff/enroll/done" class="done">
${sessionField(page.session)}
<button type="submit">${t('done', { app: page.appName })}</button>
</form>
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>`,
    undefined,
    page.locale,
  );
}
