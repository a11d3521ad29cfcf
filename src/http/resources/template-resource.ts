import { isoSeconds } from '../../time/format.ts';
import type { VerifyTemplate } from '../../verify/templates/verify-template.ts';

/** The Template resource as the hosted API shapes it (`translations.<locale>.{text, locale, status, date_created, date_updated}`), plus `built_in`. */
export function templateResource(template: VerifyTemplate, accountSid: string): Record<string, unknown> {
  return {
    sid: template.sid,
    account_sid: template.accountSid ?? accountSid,
    friendly_name: template.friendlyName,
    channels: template.channels,
    translations: Object.fromEntries(
      Object.entries(template.translations).map(([locale, t]) => [locale, { text: t.text, locale, status: 'approved', date_created: isoSeconds(t.dateCreated), date_updated: isoSeconds(t.dateUpdated) }]),
    ),
    built_in: template.accountSid === null,
  };
}
