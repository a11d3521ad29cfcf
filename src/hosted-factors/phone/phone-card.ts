import type { FactorOption } from '../../handoff/factor-options.ts';
import { translator } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { buttonCard, type ChooserPage } from '../../hosted/handoff-pages.ts';

/** A code texted or read out to the application's trusted number, an approval by a call, or a flash call to it. */
export function phoneForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'phone' | 'phone_call' }>): SafeHtml {
  const ending = option.masked.slice(-2);
  const t = translator(page.locale, 'handoff');
  const card = (id: string, title: string, hint: string, action: string, fields: SafeHtml | undefined, button: string): SafeHtml => buttonCard(page, { id, title, hint, action, ...(fields ? { fields } : {}), button });
  if (option.kind === 'phone_call' && option.mode === 'press_one') {
    return card('phone-approve', t('callApproveTitle'), t('callApproveHint', { ending }), '/handoff/call', undefined, t('callApproveButton'));
  }
  if (option.kind === 'phone_call') {
    return card('phone-flash', t('flashTitle'), t('flashHint', { ending }), '/handoff/flashcall', undefined, t('flashButton'));
  }
  const sms = option.channel === 'sms';
  return card(
    `phone-${option.channel}`,
    t(sms ? 'smsTitle' : 'voiceTitle'),
    t(sms ? 'smsHint' : 'voiceHint', { ending }),
    '/handoff/phone',
    html`\n<input type="hidden" name="channel" value="${option.channel}">`,
    t(sms ? 'smsButton' : 'voiceButton'),
  );
}
