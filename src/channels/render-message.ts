import type { Channel } from '../providers/provider.ts';
import { MESSAGE_TEMPLATES, resolveLocale } from './templates/message-templates.ts';

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
}

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

/** Speaks digits one by one ("1, 2, 3") so text-to-speech does not read "one hundred twenty-three". */
export function spellDigits(code: string): string {
  return code.split('').join(', ');
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function renderMessage(input: MessageInput): RenderedMessage {
  const locale = resolveLocale(input.locale);
  const t = MESSAGE_TEMPLATES[locale];
  const name = input.friendlyName;
  switch (input.channel) {
    case 'sms': {
      let body = fill(t.sms, { name, code: input.code });
      if (input.doNotShareWarning) body += ` ${t.doNotShare}`;
      // https://wicg.github.io/web-otp/#message-format: the last line is "@origin-host #code".
      if (input.webOtpDomain) body += `\n\n@${input.webOtpDomain} #${input.code}`;
      return { locale, body };
    }
    case 'call': {
      const spoken = spellDigits(input.code);
      const body = [fill(t.voiceIntro, { name }), fill(t.voiceCode, { code: spoken }), fill(t.voiceRepeat, { code: spoken }), t.voiceGoodbye].join(' ');
      return { locale, body };
    }
    case 'email': {
      const minutes = String(Math.max(1, Math.round(input.ttlSeconds / 60)));
      const lines = [fill(t.emailBody, { name, code: input.code }), '', fill(t.emailExpiry, { minutes })];
      if (input.doNotShareWarning) lines.push('', t.doNotShare);
      const html =
        `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif">` +
        `<p>${escapeHtml(fill(t.emailBody, { name, code: '' }))}</p>` +
        `<p style="font-size:28px;letter-spacing:6px;font-weight:bold">${escapeHtml(input.code)}</p>` +
        `<p>${escapeHtml(fill(t.emailExpiry, { minutes }))}</p>` +
        (input.doNotShareWarning ? `<p>${escapeHtml(t.doNotShare)}</p>` : '') +
        `</body></html>`;
      return { locale, subject: fill(t.emailSubject, { name }), body: lines.join('\n'), html };
    }
  }
}
