import { createHash } from 'node:crypto';
import type { VerifyTemplate } from './verify-template.ts';

/** 2024-01-01T00:00:00Z: when Verity's built-in templates were written (they never change in place). */
const WRITTEN = Date.UTC(2024, 0, 1);

/** A fixed `HJ` SID per built-in template, the same on every Verity: derived from its name. */
const builtInSid = (name: string): string => `HJ${createHash('sha256').update(`verity-template:${name}`).digest('hex').slice(0, 32)}`;

/** Texts by locale, English first (the fallback). `{{friendly_name}}` is the service's name. */
const TEXTS: ReadonlyArray<{ name: string; texts: Record<string, string> }> = [
  {
    name: 'Verification code',
    texts: {
      en: '{{code}} is your {{friendly_name}} verification code.',
      de: '{{code}} ist dein Bestätigungscode für {{friendly_name}}.',
      es: '{{code}} es tu código de verificación de {{friendly_name}}.',
      fr: '{{code}} est votre code de vérification {{friendly_name}}.',
    },
  },
  {
    name: 'Login code',
    texts: {
      en: 'Your {{friendly_name}} login code is {{code}}. Don\'t share this code with anyone.',
      de: 'Dein Anmeldecode für {{friendly_name}} lautet {{code}}. Gib diesen Code an niemanden weiter.',
      es: 'Tu código de inicio de sesión de {{friendly_name}} es {{code}}. No compartas este código con nadie.',
      fr: 'Votre code de connexion {{friendly_name}} est {{code}}. Ne le communiquez à personne.',
    },
  },
  {
    name: 'Password reset',
    texts: {
      en: 'Use {{code}} to reset your {{friendly_name}} password. If you did not ask for it, ignore this message.',
      de: 'Mit {{code}} setzt du dein Passwort für {{friendly_name}} zurück. Wenn du das nicht angefordert hast, ignoriere diese Nachricht.',
      es: 'Usa {{code}} para restablecer tu contraseña de {{friendly_name}}. Si no lo pediste, ignora este mensaje.',
      fr: 'Utilisez {{code}} pour réinitialiser votre mot de passe {{friendly_name}}. Si vous ne l\'avez pas demandé, ignorez ce message.',
    },
  },
  {
    name: 'Account verification',
    texts: {
      en: 'Your {{friendly_name}} account verification code is {{code}}. It expires in {{ttl_minutes}} minutes.',
      de: 'Dein Code zur Bestätigung deines {{friendly_name}}-Kontos lautet {{code}}. Er läuft in {{ttl_minutes}} Minuten ab.',
      es: 'Tu código para verificar tu cuenta de {{friendly_name}} es {{code}}. Caduca en {{ttl_minutes}} minutos.',
      fr: 'Votre code de vérification de compte {{friendly_name}} est {{code}}. Il expire dans {{ttl_minutes}} minutes.',
    },
  },
  {
    name: 'Transaction approval',
    texts: {
      en: 'Your {{friendly_name}} code to approve {{amount}} to {{payee}} is {{code}}. Don\'t share it with anyone.',
      de: 'Dein {{friendly_name}}-Code zur Freigabe von {{amount}} an {{payee}} lautet {{code}}. Gib ihn an niemanden weiter.',
      es: 'Tu código de {{friendly_name}} para aprobar {{amount}} a {{payee}} es {{code}}. No lo compartas con nadie.',
      fr: 'Votre code {{friendly_name}} pour approuver {{amount}} à {{payee}} est {{code}}. Ne le communiquez à personne.',
    },
  },
];

/**
 * Verity's counterparts of Twilio's pre-approved templates: short texts for the common uses, in
 * SMS and voice, listed to every account by `GET /v2/Templates` and usable as `TemplateSid`,
 * `Templates` or a service's `DefaultTemplateSid`. Their SIDs are Verity's own (Twilio's are
 * per-region secrets of its console), fixed so they can be written into configuration.
 */
export const BUILT_IN_TEMPLATES: readonly VerifyTemplate[] = TEXTS.map(({ name, texts }) => ({
  sid: builtInSid(name),
  accountSid: null,
  friendlyName: name,
  channels: ['sms', 'voice'],
  translations: Object.fromEntries(Object.entries(texts).map(([locale, text]) => [locale, { text, dateCreated: WRITTEN, dateUpdated: WRITTEN }])),
  dateCreated: WRITTEN,
  dateUpdated: WRITTEN,
}));
