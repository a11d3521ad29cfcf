import { invalidParameter } from '../errors/verity-error.ts';
import { looksLikeLink } from '../services/friendly-name.ts';

/** The From of one verification email: an allowed address, and a display name. */
export interface EmailSender {
  address: string;
  name?: string;
}

/** An `addr-spec` of the common shape (RFC 5322 §3.4.1 without quoted local parts or comments). */
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const FROM_NAME_MAX_LENGTH = 64;

/** `Name <addr>` or `addr` (VERITY_EMAIL_FROM's shape) → its parts. */
export function parseMailbox(text: string): EmailSender {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^>]+)>\s*$/.exec(text);
  if (match) return { address: (match[2] as string).trim(), ...(match[1]?.trim() ? { name: match[1].trim() } : {}) };
  return { address: text.trim() };
}

/** Whether `address` is one the operator lets callers send from: VERITY_EMAIL_FROM's, or listed in VERITY_EMAIL_ALLOWED_FROM (an address or `@domain`). */
export function isAllowedSender(address: string, defaultFrom: string, allowed: readonly string[]): boolean {
  const lower = address.toLowerCase();
  if (lower === parseMailbox(defaultFrom).address.toLowerCase()) return true;
  const domain = lower.slice(lower.lastIndexOf('@'));
  return allowed.includes(lower) || allowed.includes(domain);
}

/**
 * Why `name` cannot be the display name of a From header, or undefined. It must not carry a line
 * break or control character (header injection), quotes, angle brackets or `@` (a second address:
 * `"support@bank.example" <x@evil>` shows the wrong sender in most clients), nor a link.
 */
export function fromNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be empty';
  if (name.length > FROM_NAME_MAX_LENGTH) return `at most ${FROM_NAME_MAX_LENGTH} characters`;
  if (/[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u.test(name)) return 'must not contain line breaks, control or invisible characters';
  if (/["<>@\\]/.test(name)) return 'must not contain quotes, angle brackets, backslashes or @';
  if (looksLikeLink(name.normalize('NFKC'))) return 'must not contain links or domain names';
  return undefined;
}

/** `ChannelConfiguration` of an email verification, parsed and checked. */
export interface EmailChannelConfiguration {
  sender?: EmailSender;
  /** `template_id`: a Verity template (`HJ…`) with the `email` channel. */
  templateSid?: string;
  /** `substitutions`: values of the template's custom variables (checked when the template is chosen). */
  substitutions?: Record<string, unknown>;
}

/**
 * Parses `ChannelConfiguration` (a JSON object on the wire) as the hosted API reads it for email:
 * `from`, `from_name`, `template_id`, `substitutions`; other keys are ignored. `from` must be a valid
 * address the operator allows (spoofing), `from_name` a safe display name; `template_id` must name a
 * Verity template (SendGrid dynamic template ids `d-…` have no meaning here). 60200 names the field.
 */
export function emailChannelConfiguration(raw: string | undefined, options: { defaultFrom: string; allowedFrom: readonly string[] }): EmailChannelConfiguration {
  if (raw === undefined || raw === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw) as unknown;
  } catch {
    throw invalidParameter('ChannelConfiguration', 'expected a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidParameter('ChannelConfiguration', 'expected a JSON object');
  const { from, from_name: fromName, template_id: templateId, substitutions } = value as Record<string, unknown>;
  const out: EmailChannelConfiguration = {};
  const defaults = parseMailbox(options.defaultFrom);
  if (from !== undefined && from !== null) {
    if (typeof from !== 'string' || !ADDRESS.test(from)) throw invalidParameter('ChannelConfiguration', 'from must be a valid email address');
    if (!isAllowedSender(from, options.defaultFrom, options.allowedFrom)) throw invalidParameter('ChannelConfiguration', 'from is not an allowed sender of this Verity (VERITY_EMAIL_ALLOWED_FROM)');
    out.sender = { address: from, ...(defaults.name ? { name: defaults.name } : {}) };
  }
  if (fromName !== undefined && fromName !== null) {
    if (typeof fromName !== 'string') throw invalidParameter('ChannelConfiguration', 'from_name must be a string');
    const problem = fromNameProblem(fromName);
    if (problem) throw invalidParameter('ChannelConfiguration', `from_name ${problem}`);
    out.sender = { address: out.sender?.address ?? defaults.address, name: fromName.trim() };
  }
  if (templateId !== undefined && templateId !== null) {
    if (typeof templateId !== 'string' || !/^HJ[0-9a-fA-F]{32}$/.test(templateId)) throw invalidParameter('ChannelConfiguration', 'template_id must name a Verity template (HJ…) with the email channel');
    out.templateSid = templateId;
  }
  if (substitutions !== undefined && substitutions !== null) {
    if (typeof substitutions !== 'object' || Array.isArray(substitutions)) throw invalidParameter('ChannelConfiguration', 'substitutions must be a JSON object');
    out.substitutions = substitutions as Record<string, unknown>;
  }
  return out;
}
