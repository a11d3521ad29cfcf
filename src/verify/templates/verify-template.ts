/** Channels a template can be written for (Twilio's pre-approved ones list `sms` and `voice`). */
export const TEMPLATE_CHANNELS = ['sms', 'voice', 'email', 'whatsapp'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

export interface TemplateTranslation {
  text: string;
  /** Epoch ms. */
  dateCreated: number;
  dateUpdated: number;
}

/**
 * A Verify Template: Twilio's pre-approved ones (built in, `accountSid` null, every account sees
 * them) or one an account created (a Verity extension). Every translation is `approved`: Verity
 * has no review queue, an account's own text is approved by whoever holds its credentials.
 */
export interface VerifyTemplate {
  sid: string;
  /** Null for a built-in template. */
  accountSid: string | null;
  friendlyName: string;
  channels: TemplateChannel[];
  /** Locale (`en`, `pt-BR`) → its text. */
  translations: Readonly<Record<string, TemplateTranslation>>;
  dateCreated: number;
  dateUpdated: number;
}
