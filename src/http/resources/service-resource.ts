import { isoSeconds } from '../../time/format.ts';
import type { ServiceRow } from '../../store/schema.ts';
import { serviceChannels, serviceCountries } from '../../services/service-settings.ts';

/** The Service resource exactly as the hosted API shapes it, plus Verity's own settings at the end. */
export function serviceResource(row: ServiceRow, baseUrl: string): Record<string, unknown> {
  const x = row.extras;
  const get = <T>(key: string, fallback: T): T => (key in x ? (x[key] as T) : fallback);
  const url = `${baseUrl}/v2/Services/${row.sid}`;
  const origins = get<string | null>('Passkeys.RelyingParty.Origins', null);
  return {
    sid: row.sid,
    account_sid: row.account_sid,
    friendly_name: row.friendly_name,
    code_length: row.code_length,
    lookup_enabled: row.lookup_enabled,
    psd2_enabled: row.psd2_enabled,
    skip_sms_to_landlines: row.skip_sms_to_landlines,
    dtmf_input_required: row.dtmf_input_required,
    tts_name: row.tts_name,
    do_not_share_warning_enabled: row.do_not_share_warning_enabled,
    custom_code_enabled: row.custom_code_enabled,
    push: {
      include_date: get('Push.IncludeDate', false),
      apn_credential_sid: get('Push.ApnCredentialSid', null),
      fcm_credential_sid: get('Push.FcmCredentialSid', null),
      number_matching: get('Push.NumberMatching', true),
      max_challenges_since_success: get('Push.MaxChallengesSinceSuccess', 5),
    },
    voiceprint: {
      threshold: get('Voiceprint.Threshold', null),
      retain_audio: get('Voiceprint.RetainAudio', false),
      mode: get('Voiceprint.Mode', 'pass_phrase'),
    },
    totp: {
      issuer: get('Totp.Issuer', row.friendly_name),
      time_step: get('Totp.TimeStep', 30),
      code_length: get('Totp.CodeLength', 6),
      skew: get('Totp.Skew', 1),
    },
    whatsapp: { msg_service_sid: get('Whatsapp.MsgServiceSid', null), from: get('Whatsapp.From', null) },
    passkeys: {
      relying_party: {
        id: get('Passkeys.RelyingParty.Id', null),
        name: get('Passkeys.RelyingParty.Name', null),
        origins: origins ? origins.split(',').map((o) => o.trim()) : [],
      },
      authenticator_attachment: get('Passkeys.AuthenticatorAttachment', 'platform'),
      discoverable_credentials: get('Passkeys.DiscoverableCredentials', null),
      user_verification: get('Passkeys.UserVerification', 'preferred'),
    },
    default_template_sid: get('DefaultTemplateSid', null),
    verify_event_subscription_enabled: get('VerifyEventSubscriptionEnabled', false),
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    url,
    links: {
      verification_checks: `${url}/VerificationCheck`,
      verifications: `${url}/Verifications`,
      rate_limits: `${url}/RateLimits`,
      messaging_configurations: `${url}/MessagingConfigurations`,
      entities: `${url}/Entities`,
      webhooks: `${url}/Webhooks`,
      access_tokens: `${url}/AccessTokens`,
    },
    // Verity extensions (documented in the OpenAPI document); the official client ignores them.
    code_expiry_seconds: row.code_ttl_seconds,
    default_locale: row.default_locale,
    allowed_countries: serviceCountries(row),
    enabled_channels: serviceChannels(row),
    web_otp_domain: row.web_otp_domain,
    custom_message_enabled: get('CustomMessageEnabled', false),
  };
}
