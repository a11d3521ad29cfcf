import { resolveLocale } from '../i18n/locales.ts';
import { translator } from '../i18n/translator.ts';
import { html } from '../pages/html.ts';
import type { Channel } from '../providers/provider.ts';

export interface MessageInput {
  channel: Channel;
  code: string;
  friendlyName: string;
  locale: string | null | undefined;
  ttlSeconds: number;
  doNotShareWarning: boolean;
  /** When set, SMS ends with the origin-bound line `@domain #code` (WebOTP and iOS autofill). */
  webOtpDomain: string | null | undefined;
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
  switch (input.channel) {
    case 'sms': {
      let body = t('sms', { name, code: input.code });
      if (input.doNotShareWarning) body += ` ${t('doNotShare')}`;
      // https://wicg.github.io/web-otp/#message-format: the last line is "@origin-host #code".
      if (input.webOtpDomain) body += `\n\n@${input.webOtpDomain} #${input.code}`;
      return { locale, body };
    }
    case 'call': {
      const spoken = spellDigits(input.code);
      const body = [t('voiceIntro', { name }), t('voiceCode', { code: spoken }), t('voiceRepeat', { code: spoken }), t('voiceGoodbye')].join(' ');
      return { locale, body };
    }
    case 'email': {
      const minutes = String(Math.max(1, Math.round(input.ttlSeconds / 60)));
      const lines = [t('emailBody', { name, code: input.code }), '', t('emailExpiry', { minutes })];
      if (input.doNotShareWarning) lines.push('', t('doNotShare'));
      const body = html`<!doctype html><html lang="${locale}"><body style="font-family:sans-serif">${[
        html`<p>${t('emailBody', { name, code: '' })}</p>`,
        html`<p style="font-size:28px;letter-spacing:6px;font-weight:bold">${input.code}</p>`,
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
