import { resolveLocale } from '../i18n/locales.ts';
import { translator } from '../i18n/translator.ts';
import { html } from '../pages/html.ts';
import type { Channel } from '../providers/provider.ts';
import { fillTemplate, templateVariables } from '../verify/templates/template-text.ts';
import { withAppHash } from './app-hash.ts';

export interface MessageInput {
  channel: Channel;
  code: string;
  friendlyName: string;
  locale: string | null | undefined;
  ttlSeconds: number;
  doNotShareWarning: boolean;
  /** When set, SMS ends with the origin-bound line `@domain #code` (WebOTP and iOS autofill). */
  webOtpDomain: string | null | undefined;
  /** SMS and email: a template's translation or a CustomMessage replacing the built-in text, with its custom variables' values. */
  custom?: { text: string; locale: string | null; substitutions: Readonly<Record<string, string>> } | undefined;
  /** SMS: the Android SMS Retriever hash (`<#> ` first, the hash last; the WebOTP line is then left out). */
  appHash?: string | undefined;
  /** PSD2: the payment the code approves, shown in the SMS and the email (dynamic linking). */
  psd2?: { amount: string; payee: string } | undefined;
}

export interface RenderedMessage {
  locale: string;
  body: string;
  subject?: string;
  html?: string;
  /** WhatsApp: the code, which the provider passes as the authentication template's parameters. */
  code?: string;
}

/** Speaks digits one by one ("1, 2, 3") so text-to-speech does not read "one hundred twenty-three". */
export function spellDigits(code: string): string {
  return code.split('').join(', ');
}

/**
 * The verification message in the request's language (Twilio's list, src/i18n/locales.ts), from the
 * `verification` messages of src/i18n/messages: SMS text, the call's spoken text, an email, or the
 * text of Meta's WhatsApp authentication template (what the simulator shows; the Cloud API sends the
 * approved template with the code as its parameter).
 */
export function renderMessage(input: MessageInput): RenderedMessage {
  const locale = resolveLocale(input.locale);
  const t = translator(locale, 'verification');
  const name = input.friendlyName;
  const custom = input.custom && (input.channel === 'sms' || input.channel === 'email') ? { body: fillCustom(input, input.custom), namesPayment: namesPayment(input.custom.text) } : undefined;
  // A template's translation names its own language (`pt-BR`): the message says it is in that one.
  const messageLocale = custom && input.custom?.locale ? input.custom.locale : locale;
  switch (input.channel) {
    case 'sms': {
      let body: string;
      if (custom) {
        body = custom.body;
        if (input.psd2 && !custom.namesPayment) body += ` ${t('psd2', input.psd2)}`;
      } else {
        body = t('sms', { name, code: input.code });
        if (input.psd2) body += `. ${t('psd2', input.psd2)}`;
        if (input.doNotShareWarning) body += ` ${t('doNotShare')}`;
      }
      // The SMS Retriever wants the hash last, as WebOTP wants its line last: an app that sends AppHash is an Android app, so it wins.
      if (input.appHash) return { locale: messageLocale, body: withAppHash(body, input.appHash) };
      // https://wicg.github.io/web-otp/#message-format: the last line is "@origin-host #code".
      if (input.webOtpDomain) body += `\n\n@${input.webOtpDomain} #${input.code}`;
      return { locale: messageLocale, body };
    }
    case 'call': {
      const spoken = spellDigits(input.code);
      const body = [t('voiceIntro', { name }), t('voiceCode', { code: spoken }), t('voiceRepeat', { code: spoken }), t('voiceGoodbye')].join(' ');
      return { locale, body };
    }
    case 'email': {
      const minutes = String(Math.max(1, Math.round(input.ttlSeconds / 60)));
      const payment = input.psd2 && !custom?.namesPayment ? t('psd2', input.psd2) : null;
      if (custom) {
        // A template's text is the whole message; the code is where the template puts it.
        const body = html`<!doctype html><html lang="${messageLocale}"><body style="font-family:sans-serif">${custom.body.split('\n').map((line) => html`<p>${line}</p>`)}${payment ? html`<p>${payment}</p>` : null}</body></html>`;
        return { locale: messageLocale, subject: t('emailSubject', { name }), body: [custom.body, ...(payment ? ['', payment] : [])].join('\n'), html: body.value };
      }
      const lines = [t('emailBody', { name, code: input.code }), ...(payment ? ['', payment] : []), '', t('emailExpiry', { minutes })];
      if (input.doNotShareWarning) lines.push('', t('doNotShare'));
      const body = html`<!doctype html><html lang="${locale}"><body style="font-family:sans-serif">${[
        html`<p>${t('emailBody', { name, code: '' })}</p>`,
        html`<p style="font-size:28px;letter-spacing:6px;font-weight:bold">${input.code}</p>`,
        payment ? html`<p>${payment}</p>` : null,
        html`<p>${t('emailExpiry', { minutes })}</p>`,
        input.doNotShareWarning ? html`<p>${t('doNotShare')}</p>` : null,
      ]}</body></html>`;
      return { locale, subject: t('emailSubject', { name }), body: lines.join('\n'), html: body.value };
    }
    case 'whatsapp': {
      // Meta's preset text: the code, the optional security recommendation, the expiry footer. No
      // service name: WhatsApp shows the business's verified profile name above the message.
      const minutes = String(Math.max(1, Math.round(input.ttlSeconds / 60)));
      const lines = [input.doNotShareWarning ? `${t('whatsapp', { code: input.code })} ${t('whatsappSecurity')}` : t('whatsapp', { code: input.code }), t('whatsappExpiry', { minutes })];
      return { locale, body: lines.join('\n'), code: input.code };
    }
  }
}

/** A template's or CustomMessage's text with Verity's variables and the verification's substitutions filled in. */
function fillCustom(input: MessageInput, custom: NonNullable<MessageInput['custom']>): string {
  const minutes = String(Math.max(1, Math.round(input.ttlSeconds / 60)));
  return fillTemplate(custom.text, {
    ...custom.substitutions,
    code: input.code,
    friendly_name: input.friendlyName,
    ttl_minutes: minutes,
    amount: input.psd2?.amount ?? '',
    payee: input.psd2?.payee ?? '',
  });
}

/** Whether a custom text shows the payment itself ({{amount}} and {{payee}}); else PSD2's line is added. */
function namesPayment(text: string): boolean {
  const names = templateVariables(text);
  return names.includes('amount') && names.includes('payee');
}
