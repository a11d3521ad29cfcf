import type { FactorOption } from '../handoff/factor-options.ts';
import { layout, type ChooserPage } from '../hosted/handoff-pages.ts';
import { translator } from '../i18n/translator.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { HOSTED_FACTORS } from './registry.ts';

/*
 * The chooser page, built from the registry: each option is rendered by the card of the factor
 * that listed it (`HostedFactor.chooser.card`); the page names no factor.
 */

/** The card of the factor whose option this is. */
function cardOf(page: ChooserPage, option: FactorOption, index: number, focus: string | undefined): SafeHtml {
  for (const factor of HOSTED_FACTORS) {
    const card = factor.chooser?.card?.(page, option, index, focus);
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

const FACTOR_LABELS = { push: 'labelPush', voiceprint: 'labelVoiceprint', passkeys: 'labelPasskeys', sms: 'labelSms', call: 'labelCall', email: 'labelEmail' } as const;

/** The factor chooser: one form per factor the user can use here, and those not available yet. */
export function renderChooser(page: ChooserPage): string {
  const usable = page.options.filter((o) => o.kind !== 'unavailable');
  const unavailable = page.options.filter((o): o is Extract<FactorOption, { kind: 'unavailable' }> => o.kind === 'unavailable');
  const t = translator(page.locale, 'handoff');
  const label = (type: string): string => (Object.hasOwn(FACTOR_LABELS, type) ? t(FACTOR_LABELS[type as keyof typeof FACTOR_LABELS]) : type);
  // Focus goes to the field the message is about, else to the first card's field (or, naming none, its kind).
  const first = usable[0];
  const focusTarget = page.failed ?? (first ? (fieldOf(first) ?? first.kind) : undefined);
  const sections = usable.map((option, i) => cardOf(page, option, i, focusTarget));
  const others = unavailable.length
    ? html`<section class="card unavailable" aria-labelledby="unavailable-title">
<h2 id="unavailable-title">${t('unavailableTitle')}</h2>
<ul>${unavailable.map((o) => html`<li>${label(o.type)} (${o.name})</li>`)}</ul>
</section>`
    : '';
  // A message about a code typed into one of the forms is shown at that field (fieldError), not up here.
  const atField = page.failed !== undefined && page.tone !== 'status' && usable.some((o) => fieldOf(o) === page.failed);
  const alert = !page.message || atField
    ? ''
    : page.tone === 'status'
      ? html`<div class="notice" id="form-status" role="status">${page.message}</div>`
      : html`<div class="alert" id="form-error" role="alert">${page.message}</div>`;
  if (usable.length === 0) {
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
  return layout(
    t('verifyTitle'),
    html`<h1>${t('verifyTitle')}</h1>
<p class="lead">${t(usable.length > 1 ? 'leadMany' : 'leadOne', { app: page.appName })}</p>
${alert}
${sections.map((section, i) => html`${i > 0 ? '\n' : ''}${section}`)}
${others}
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>`,
    undefined,
    page.locale,
  );
}
