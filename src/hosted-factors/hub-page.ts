import { layout } from '../hosted/handoff-pages.ts';
import { icon } from '../pages/icons.ts';
import { html } from '../pages/html.ts';
import { errorAt, factorItem, lastUsedText, methodIcon, noticeBlock, sessionField, textOf, type EnrollHubPage } from './enroll-pages.ts';
import { HOSTED_FACTORS } from './registry.ts';

/*
 * The enrollment hub's page, built from the registry: each factor renders its own "add" card
 * (`HostedFactor.enrollment.card`), in the hub's order (`enrollment.cardOrder`); the page names no factor.
 */

/** The factors with an "add" card, in the hub's order. */
const HUB_CARDS = HOSTED_FACTORS.filter((f) => f.enrollment?.card).sort((a, b) => (a.enrollment?.cardOrder ?? 0) - (b.enrollment?.cardOrder ?? 0));

/**
 * The enrollment hub: the user's methods (each factor, recovery codes, the application's phone), each
 * with its icon, when it was added and last used; then "Add a method" (one card per method that can
 * be added) and "Done".
 */
export function enrollHubPage(page: EnrollHubPage): string {
  const t = textOf(page);
  const codes = page.recoveryCodes;
  const items = [
    ...page.factors.map((f) => factorItem(f, page.session, t, errorAt(page, f.sid))),
    ...(codes.total > 0
      ? [
          html`<li class="method" data-method="recovery_codes">${methodIcon('recovery')}<div class="method-about"><span class="factor-name">${t('recoveryTitle')}</span> <span class="hint">${t('recoveryLeft', { remaining: codes.remaining, total: codes.total })}${codes.dateCreated ? html` · ${t('addedOn', { date: t.day(codes.dateCreated) })}` : ''}</span>
<span class="hint last-used">${lastUsedText(t, codes.lastUsed)}</span></div></li>`,
        ]
      : []),
    ...(page.trustedPhone !== undefined
      ? [
          html`<li class="method" data-method="phone">${methodIcon('sms')}<div class="method-about"><span class="factor-name">${t.parts('trustedPhone', { number: html`<span class="phone">${page.trustedPhone}</span>` })}</span> <span class="hint">${t('trustedPhoneHint', { app: page.appName })}</span></div></li>`,
        ]
      : []),
  ];
  const list = items.length ? html`<ul class="factor-list methods">${items.map((item, i) => html`${i > 0 ? '\n' : ''}${item}`)}</ul>` : html`<p class="hint">${t('noneYet')}</p>`;
  const account = page.displayName !== undefined ? html`<p class="hint account">${icon('user')} ${t.parts('accountIs', { name: html`<strong>${page.displayName}</strong>` })}</p>` : '';
  // An alert about a value typed into a form (an invalid number, a refused name) shows at that field (errorAt), not up here.
  const field = page.notice?.field;
  const atField = field !== undefined && (HUB_CARDS.some((factor) => factor.enrollment?.fieldsOf?.(page).includes(field)) || page.factors.some((f) => f.sid === field && f.manageable));
  const cards = HUB_CARDS.flatMap((factor) => factor.enrollment?.card?.(page, t) ?? []);
  const adding = cards.length
    ? html`<section class="add-methods" aria-labelledby="add-title">
<h2 id="add-title">${t('addTitle')}</h2>
<div class="add-grid">
${cards.map((card, i) => html`${i > 0 ? '\n' : ''}${card}`)}
</div>
</section>`
    : '';
  return layout(
    t('hubTitle'),
    html`<div class="hub">
<h1>${t('hubTitle')}</h1>
<p class="lead">${t('hubLead', { app: page.appName })}</p>
${atField ? undefined : noticeBlock(page.notice)}
<section class="card methods-card" aria-labelledby="current-title">
<h2 id="current-title">${t('currentTitle')}</h2>
${account}${list}
</section>
${adding}
<form method="post" action="/handoff/enroll/done" class="done">
${sessionField(page.session)}
<button type="submit">${t('done', { app: page.appName })}</button>
</form>
<p class="hint cancel"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>
</div>`,
    undefined,
    page.locale,
  );
}
