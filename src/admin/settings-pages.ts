import { html, type SafeHtml } from '../pages/html.ts';
import { SUPPORTED_LOCALES } from '../i18n/locales.ts';
import { CHANNELS } from '../services/service-settings.ts';
import type { ServiceRow } from '../store/schema.ts';
import { csrfField, isoTime, layout, type Viewer } from './admin-pages.ts';
import type { VoiceprintStatus } from '../factors/voiceprint-factor/voiceprint-status.ts';
import { voiceprintFormNote } from './voiceprint-panel.ts';

/**
 * The service settings form of the console (settings-routes.ts). Its field names are the API's
 * parameter names (`CodeLength`, `Push.NumberMatching`…): what it posts is checked by the API's
 * own update schema and service code, so it accepts and refuses exactly what the API does.
 */

export const settingsPath = (serviceSid: string): string => `/admin/services/${serviceSid}/settings`;

type FieldKind = 'text' | 'number' | 'bool' | 'channels' | 'locale' | 'select';

export interface SettingField {
  /** The API parameter (services-schema.ts). */
  key: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  group: 'General' | 'Codes and messages' | 'Channels and countries' | 'Push' | 'Passkeys' | 'Voiceprint';
  /** The current value as the form shows it (`true`/`false` for a checkbox, comma-separated for lists). */
  current: (row: ServiceRow) => string;
  /** Input attributes that help the keyboard and the hint (never a check: the server checks). */
  inputMode?: 'numeric';
  max?: number;
  /** The choices of a `select` field (the API's enum values), with what each means. */
  options?: ReadonlyArray<{ value: string; label: string }>;
}

const extra = (row: ServiceRow, key: string, fallback: string): string => {
  const value = row.extras[key];
  return value === undefined || value === null ? fallback : String(value);
};

const bool = (value: boolean): string => String(value);

/** The settings the console edits, in the order of the form (the API's others stay as they are). */
export const SETTING_FIELDS: readonly SettingField[] = [
  { key: 'FriendlyName', label: 'Friendly name', kind: 'text', group: 'General', max: 64, hint: 'Put into every message: "Your <name> verification code is …". No links, no phone numbers.', current: (r) => r.friendly_name },
  { key: 'DefaultLocale', label: 'Default language', kind: 'locale', group: 'General', hint: 'Of messages when a verification names none. Empty: English.', current: (r) => r.default_locale ?? '' },
  { key: 'TtsName', label: 'Name spoken in calls', kind: 'text', group: 'General', max: 64, hint: 'Instead of the friendly name (stored for parity).', current: (r) => r.tts_name ?? '' },
  { key: 'CodeLength', label: 'Code length', kind: 'number', inputMode: 'numeric', group: 'Codes and messages', hint: 'Digits of generated codes: 4 to 10.', current: (r) => String(r.code_length) },
  { key: 'CodeExpirySeconds', label: 'Code lifetime (seconds)', kind: 'number', inputMode: 'numeric', group: 'Codes and messages', hint: '120 to 86400. Pending verifications keep theirs.', current: (r) => String(r.code_ttl_seconds) },
  { key: 'WebOtpDomain', label: 'WebOTP domain', kind: 'text', group: 'Codes and messages', max: 253, hint: 'SMS end with @<domain> #<code> for autofill. Empty: off.', current: (r) => r.web_otp_domain ?? '' },
  { key: 'CustomCodeEnabled', label: 'Allow custom codes', kind: 'bool', group: 'Codes and messages', current: (r) => bool(r.custom_code_enabled) },
  { key: 'CustomMessageEnabled', label: 'Allow CustomMessage (deprecated)', kind: 'bool', group: 'Codes and messages', current: (r) => extra(r, 'CustomMessageEnabled', 'false') },
  { key: 'DoNotShareWarningEnabled', label: '"Do not share this code" warning', kind: 'bool', group: 'Codes and messages', current: (r) => bool(r.do_not_share_warning_enabled) },
  { key: 'Psd2Enabled', label: 'PSD2 dynamic linking (Amount and Payee)', kind: 'bool', group: 'Codes and messages', current: (r) => bool(r.psd2_enabled) },
  { key: 'EnabledChannels', label: 'Channels', kind: 'channels', group: 'Channels and countries', current: (r) => [...r.enabled_channels].sort().join(',') },
  { key: 'AllowedCountries', label: 'Allowed countries', kind: 'text', group: 'Channels and countries', max: 1024, hint: 'ISO codes, comma-separated (US, DE, FR). Empty: every country.', current: (r) => (r.allowed_countries ?? []).join(', ') },
  { key: 'SkipSmsToLandlines', label: 'Refuse SMS to landlines', kind: 'bool', group: 'Channels and countries', current: (r) => bool(r.skip_sms_to_landlines) },
  { key: 'LookupEnabled', label: 'Show line type (lookup)', kind: 'bool', group: 'Channels and countries', current: (r) => bool(r.lookup_enabled) },
  { key: 'DtmfInputRequired', label: 'Calls ask for a key press (DTMF)', kind: 'bool', group: 'Channels and countries', current: (r) => bool(r.dtmf_input_required) },
  { key: 'Push.NumberMatching', label: 'Number matching', kind: 'bool', group: 'Push', current: (r) => extra(r, 'Push.NumberMatching', 'true') },
  { key: 'Push.MaxChallengesSinceSuccess', label: 'Push challenges allowed since the last approval', kind: 'number', inputMode: 'numeric', group: 'Push', hint: '1 to 100: the cap against push fatigue.', current: (r) => extra(r, 'Push.MaxChallengesSinceSuccess', '5') },
  { key: 'Passkeys.RelyingParty.Id', label: 'Relying party ID', kind: 'text', group: 'Passkeys', max: 253, hint: 'The registrable domain of the sign-in page (example.com). Needed for passkeys.', current: (r) => extra(r, 'Passkeys.RelyingParty.Id', '') },
  { key: 'Passkeys.RelyingParty.Name', label: 'Relying party name', kind: 'text', group: 'Passkeys', max: 64, hint: 'Shown by the browser when a passkey is created. Empty: the friendly name.', current: (r) => extra(r, 'Passkeys.RelyingParty.Name', '') },
  {
    key: 'Voiceprint.Mode',
    label: 'What new voiceprints say',
    kind: 'select',
    group: 'Voiceprint',
    options: [
      { value: 'pass_phrase', label: 'A pass phrase of their own' },
      { value: 'digits', label: 'Digits, new at every sign-in' },
    ],
    hint: 'Digits defeat a replayed recording of an earlier sign-in. A voiceprint keeps the mode it was set up with; this applies to new ones.',
    current: (r) => extra(r, 'Voiceprint.Mode', 'pass_phrase'),
  },
  { key: 'Voiceprint.RetainAudio', label: 'Keep the audio of enrolments and attempts (sealed)', kind: 'bool', group: 'Voiceprint', hint: 'Off: audio is dropped once it is scored; only the voiceprint is kept.', current: (r) => extra(r, 'Voiceprint.RetainAudio', 'false') },
  { key: 'Voiceprint.Threshold', label: 'Voiceprint decision threshold', kind: 'text', group: 'Voiceprint', max: 12, hint: 'A number from −2 to 8; higher is stricter: fewer false accepts, more false rejects. Empty: the engine\'s default (once set, a threshold is changed here, not emptied). The error rates below are measured at the saved threshold.', current: (r) => extra(r, 'Voiceprint.Threshold', '') },
];

/** What the form shows: the service's values, or after a refused post the values as typed. */
export interface SettingsFormData {
  viewer: Viewer;
  service: ServiceRow;
  /** The values as posted (after a refusal), by API key. */
  values?: Readonly<Record<string, string>> | undefined;
  /** Refusals by API key (the field shows them), and `form` for one not tied to a field. */
  errors?: Readonly<Record<string, string>> | undefined;
  /** The notice after a save (`saved`, `unchanged`). */
  done?: string | undefined;
  /** Voiceprints on this server: the Voiceprint group shows the FAR/FRR measured at the saved threshold (voiceprint-panel.ts). */
  voiceprint?: VoiceprintStatus | undefined;
}

export const SETTINGS_NOTICES: Readonly<Record<string, string>> = {
  saved: 'Settings saved. New verifications use them now; pending ones keep their code length and lifetime.',
  unchanged: 'Nothing changed: every value was already as sent.',
};

const fieldId = (key: string): string => `f-${key.replace(/\./g, '-')}`;

function describedBy(id: string, hint: boolean, error: boolean): SafeHtml | string {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : '';
}

function fieldHtml(field: SettingField, value: string, error: string | undefined, focus: boolean): SafeHtml {
  const id = fieldId(field.key);
  // The first refused field takes the focus (no script: autofocus), its error read with it.
  const invalid = error ? html` aria-invalid="true"${focus ? html` autofocus` : ''}` : '';
  const hint = field.hint ? html`<p class="hint" id="${id}-hint">${field.hint}</p>` : '';
  const errorHtml = error ? html`<p class="field-error" id="${id}-error">${error}</p>` : '';
  const described = describedBy(id, Boolean(field.hint), Boolean(error));
  if (field.kind === 'bool') {
    return html`<div class="field check"><input type="checkbox" id="${id}" name="${field.key}" value="true"${value === 'true' ? html` checked` : ''}${invalid}${described}><div><label for="${id}">${field.label}</label>${hint}${errorHtml}</div></div>`;
  }
  if (field.kind === 'channels') {
    const chosen = new Set(value.split(',').filter(Boolean));
    return html`<fieldset class="choices"${described}><legend>${field.label}</legend>
${CHANNELS.map((c) => html`<div class="field check"><input type="checkbox" id="${id}-${c}" name="${field.key}" value="${c}"${chosen.has(c) ? html` checked` : ''}${focus && c === CHANNELS[0] ? html` autofocus` : ''}><label for="${id}-${c}">${c}</label></div>`)}
${errorHtml}</fieldset>`;
  }
  if (field.kind === 'select') {
    return html`<div class="field"><label for="${id}">${field.label}</label>
<select id="${id}" name="${field.key}"${invalid}${described}>${(field.options ?? []).map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.label}</option>`)}</select>
${hint}${errorHtml}</div>`;
  }
  if (field.kind === 'locale') {
    return html`<div class="field"><label for="${id}">${field.label}</label>
<input id="${id}" name="${field.key}" value="${value}" list="${id}-list" maxlength="35" autocomplete="off" spellcheck="false"${invalid}${described}>
<datalist id="${id}-list">${SUPPORTED_LOCALES.map((l) => html`<option value="${l}"></option>`)}</datalist>
${hint}${errorHtml}</div>`;
  }
  return html`<div class="field"><label for="${id}">${field.label}</label>
<input id="${id}" name="${field.key}" value="${value}"${field.kind === 'number' ? html` inputmode="numeric"` : ''}${field.max ? html` maxlength="${field.max}"` : ''} autocomplete="off" spellcheck="false"${invalid}${described}>
${hint}${errorHtml}</div>`;
}

export function settingsPage(data: SettingsFormData): string {
  const { service, viewer } = data;
  const errors = data.errors ?? {};
  const groups = [...new Set(SETTING_FIELDS.map((f) => f.group))];
  const fieldErrors = Object.entries(errors).filter(([k]) => k !== 'form');
  const firstRefused = SETTING_FIELDS.find((f) => errors[f.key] !== undefined)?.key;
  return layout(
    `${service.friendly_name}: settings`,
    viewer,
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="/admin">Overview</a> › <a href="/admin/services/${service.sid}">${service.friendly_name}</a> › <span aria-current="page">Settings</span></nav>
<h1>Settings of ${service.friendly_name}</h1>
<p class="lead">The same settings, and the same checks, as <code>POST /v2/Services/${service.sid}</code>. Last changed ${isoTime(service.date_updated)}.</p>
${data.done && SETTINGS_NOTICES[data.done] ? html`<p class="notice" role="status">${SETTINGS_NOTICES[data.done]}</p>` : ''}
${fieldErrors.length || errors.form
  ? html`<div class="error" role="alert" id="settings-errors"><p><strong>Nothing was saved.</strong> ${errors.form ?? `Correct ${fieldErrors.length === 1 ? 'the field' : `the ${fieldErrors.length} fields`} marked below.`}</p>
${fieldErrors.length ? html`<ul>${fieldErrors.map(([k, message]) => html`<li><a href="#${fieldId(k)}${SETTING_FIELDS.find((f) => f.key === k)?.kind === 'channels' ? `-${CHANNELS[0]}` : ''}">${SETTING_FIELDS.find((f) => f.key === k)?.label ?? k}</a>: ${message}</li>`)}</ul>` : ''}</div>`
  : ''}
<form method="post" action="${settingsPath(service.sid)}" class="form-grid" novalidate>
${csrfField(viewer.csrfToken)}
<input type="hidden" name="version" value="${String(service.date_updated)}">
${groups.map(
  (group) => html`<fieldset><legend>${group}</legend>
${SETTING_FIELDS.filter((f) => f.group === group).map((f) => fieldHtml(f, data.values?.[f.key] ?? f.current(service), errors[f.key], f.key === firstRefused))}
${group === 'Voiceprint' && data.voiceprint ? voiceprintFormNote(service, data.voiceprint) : ''}
</fieldset>`,
)}
<div class="form-actions"><button type="submit">Save settings</button> <a href="/admin/services/${service.sid}">Cancel</a></div>
</form>`,
    `/admin/services/${service.sid}/settings`,
  );
}
