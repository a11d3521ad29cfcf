import type { FactorOption } from '../handoff/factor-options.ts';
import { layout, type ChooserPage } from '../hosted/handoff-pages.ts';
import { translator } from '../i18n/translator.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { icon, type IconName } from '../pages/icons.ts';
import { withLastUsedFirst } from './chooser-order.ts';
import type { ChooserCardView } from './hosted-factor.ts';
import { HOSTED_FACTORS } from './registry.ts';

/*
 * The chooser page, built from the registry: each option is rendered by the card of the factor
 * that listed it (`HostedFactor.chooser.card`); the page names no factor. One method is the page's
 * primary action (the last one used in this browser, else the first in the recommended order,
 * chooser-order.ts); the others wait, collapsed, under "Other ways to sign in" (a <details>: no
 * script needed), each still a working form.
 */

/** The card of the factor whose option this is. */
function cardOf(page: ChooserPage, option: FactorOption, index: number, focus: string | undefined, view: ChooserCardView): SafeHtml {
  for (const factor of HOSTED_FACTORS) {
    const card = factor.chooser?.card?.(page, option, index, focus, view);
    if (card) return card;
  }
  throw new Error(`no hosted factor renders the chooser option ${option.kind}`);
}

/** The field of an option's form that a message can be about (`ChooserPage.failed`), if it has one. */
function fieldOf(option: FactorOption): string | undefined {
  for (const factor of HOSTED_FACTORS) {
    const field = factor.chooser?.fieldOf?.(option);
    if (field !== undefined) return field;
  }
  return undefined;
}

/** The icon of an option's method (the same one the enrollment hub shows). */
function iconOf(option: FactorOption): IconName {
  switch (option.kind) {
    case 'passkey':
      return 'passkey';
    case 'push':
      return 'push';
    case 'totp':
      return 'totp';
    case 'voiceprint':
      return 'voice';
    case 'phone':
      return option.channel === 'sms' ? 'sms' : 'call';
    case 'phone_call':
      return 'call';
    case 'recovery_code':
      return 'recovery';
    case 'unavailable':
      return option.type === 'email' ? 'email' : 'lock';
  }
}

const FACTOR_LABELS = { push: 'labelPush', voiceprint: 'labelVoiceprint', passkeys: 'labelPasskeys', sms: 'labelSms', call: 'labelCall', email: 'labelEmail' } as const;

const methodIcon = (option: FactorOption): SafeHtml => html`<span class="method-icon">${icon(iconOf(option))}</span>`;

/** The factor chooser: the primary method's card, the other ways collapsed below it, and those not available yet. */
export function renderChooser(page: ChooserPage): string {
  const t = translator(page.locale, 'handoff');
  const listed: FactorOption[] = page.options.filter((o) => o.kind !== 'unavailable');
  const { options: usable, lastUsedFirst } = withLastUsedFirst(listed, page.lastUsed);
  const unavailable = page.options.filter((o): o is Extract<FactorOption, { kind: 'unavailable' }> => o.kind === 'unavailable');
  const label = (type: string): string => (Object.hasOwn(FACTOR_LABELS, type) ? t(FACTOR_LABELS[type as keyof typeof FACTOR_LABELS]) : type);
  const leaveLinks = html`<p class="page-links"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a>${page.supportUrl ? html`<a href="${page.supportUrl}" rel="noopener">${t('support', { app: page.appName })}</a>` : ''}</p>`;
  const others = unavailable.length
    ? html`<section class="unavailable" aria-labelledby="unavailable-title">
<h2 id="unavailable-title">${t('unavailableTitle')}</h2>
<ul>${unavailable.map((o) => html`<li>${label(o.type)} (${o.name})</li>`)}</ul>
</section>`
    : '';
  const [primary, ...rest] = usable;
  if (primary === undefined) {
    return layout(
      t('verifyTitle'),
      html`<h1>${t('verifyTitle')}</h1>
<p class="lead">${t('leadNone', { app: page.appName })}</p>
${others}
<p><a class="button" href="${page.leave}">${t('backTo', { app: page.appName })}</a></p>`,
      undefined,
      page.locale,
    );
  }
  // A message about a code typed into one of the forms is shown at that field (fieldError), not up here,
  // and that form must be in sight: the other ways open when it is one of them.
  const atField = page.failed !== undefined && page.tone !== 'status' && page.message !== undefined && usable.some((o) => fieldOf(o) === page.failed);
  const openOthers = atField && rest.some((o) => fieldOf(o) === page.failed);
  // Focus goes to the field the message is about, else to the primary method's field (or, naming none, its kind).
  const focusTarget = atField ? page.failed : (fieldOf(primary) ?? primary.kind);
  const alert = !page.message || atField
    ? ''
    : page.tone === 'status'
      ? html`<div class="notice" id="form-status" role="status">${page.message}</div>`
      : html`<div class="alert" id="form-error" role="alert">${page.message}</div>`;
  // Ids stay those of the recommended order, wherever the last-used method moved.
  const index = (option: FactorOption): number => listed.indexOf(option);
  const tag = lastUsedFirst ? t('tagLastUsed') : t('tagRecommended');
  const primaryCard = html`<div class="method method-primary">
<div class="method-top">${methodIcon(primary)}<span class="tag">${tag}</span></div>
${cardOf(page, primary, index(primary), focusTarget, { primary: true })}
</div>`;
  const otherWays = rest.length
    ? html`<details class="other-ways"${openOthers ? html` open` : ''}>
<summary><span class="summary-text">${t('otherWays')}</span>${icon('chevronDown', 'chevron')}</summary>
<ul class="method-list">
${rest.map((option) => html`<li class="method method-row">${methodIcon(option)}<div class="method-body">${cardOf(page, option, index(option), focusTarget, { primary: false })}</div></li>\n`)}</ul>
</details>`
    : '';
  return layout(
    t('verifyTitle'),
    html`<h1>${t('verifyTitle')}</h1>
<p class="lead">${t(usable.length > 1 ? 'leadMany' : 'leadOne', { app: page.appName })}</p>
${alert}
${primaryCard}
${otherWays}
${others}
${leaveLinks}`,
    undefined,
    page.locale,
  );
}
