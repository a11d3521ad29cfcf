import { VerityError, invalidParameter } from '../../errors/verity-error.ts';
import type { StoreSet } from '../../store/store-set.ts';
import { findTemplate, translationFor } from './templates.ts';
import { missingVariables, substitutionProblem } from './template-text.ts';
import type { TemplateChannel, VerifyTemplate } from './verify-template.ts';

/** At most this many candidates in `Templates` (Twilio's limit, twilio-node verification.d.ts). */
const MAX_TEMPLATE_CANDIDATES = 10;

/** One template a verification may be sent with, and the values of its custom variables. */
interface TemplateCandidate {
  sid: string;
  substitutions: Record<string, string>;
}

/** What a verification asks for: its own parameters, then the service's default. */
export interface TemplateRequest {
  /** `TemplateSid`. */
  templateSid?: string | undefined;
  /** `TemplateCustomSubstitutions`: a JSON object (a string on the wire). */
  templateCustomSubstitutions?: string | undefined;
  /** `Templates`: a JSON array of `{sid, substitutions}` (a string on the wire); takes precedence over TemplateSid. */
  templates?: string | undefined;
  /** The service's `DefaultTemplateSid`. */
  defaultTemplateSid?: string | null | undefined;
}

/** The template text a message is rendered from, in the best language for the verification. */
export interface ChosenTemplate {
  sid: string;
  locale: string;
  text: string;
  substitutions: Record<string, string>;
}

const HJ_SID = /^HJ[0-9a-fA-F]{32}$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object of strings whose values may be put into a message; `parameter` names it in the 60200. */
function substitutionsOf(value: unknown, parameter: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(parameter, 'expected a JSON object of variable names and values');
  // No prototype: a variable named `__proto__` is kept as given, not swallowed by the setter.
  const out = Object.create(null) as Record<string, string>;
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    if (typeof raw !== 'string' && typeof raw !== 'number') throw invalidParameter(parameter, `${name.slice(0, 32)}: expected a string`);
    const text = String(raw);
    const problem = substitutionProblem(text);
    if (problem) throw invalidParameter(parameter, `${name.slice(0, 32)}: ${problem}`);
    out[name] = text;
  }
  return out;
}

/** `Templates` as Twilio checks it before resolving any template: 60251 when not an array of ≤10 `{sid: HJ…, substitutions?: {…}}`. */
function candidatesOf(raw: string): TemplateCandidate[] {
  const list = parseJson(raw);
  const invalid = (why: string) => new VerityError(60251, `Invalid Templates parameter: ${why}`);
  if (!Array.isArray(list)) throw invalid('expected a JSON array of {"sid":"HJ…","substitutions":{…}}');
  if (list.length === 0 || list.length > MAX_TEMPLATE_CANDIDATES) throw invalid(`expected 1 to ${MAX_TEMPLATE_CANDIDATES} entries`);
  return list.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid(`entry ${i} is not an object`);
    const { sid, substitutions } = entry as { sid?: unknown; substitutions?: unknown };
    if (typeof sid !== 'string' || !HJ_SID.test(sid)) throw invalid(`entry ${i} needs a sid (HJ + 32 hex)`);
    if (substitutions !== undefined && (typeof substitutions !== 'object' || substitutions === null || Array.isArray(substitutions))) throw invalid(`entry ${i}: substitutions must be an object`);
    return { sid, substitutions: substitutionsOf(substitutions, 'Templates') };
  });
}

/** The candidates a request names, most preferred first (Templates, else TemplateSid, else the service's default); empty for the built-in message. */
function requestedCandidates(request: TemplateRequest): { candidates: TemplateCandidate[]; source: 'Templates' | 'TemplateSid' | 'DefaultTemplateSid' | null } {
  if (request.templates !== undefined) return { candidates: candidatesOf(request.templates), source: 'Templates' };
  const substitutions = request.templateCustomSubstitutions === undefined ? {} : substitutionsOf(parseJson(request.templateCustomSubstitutions) ?? '', 'TemplateCustomSubstitutions');
  if (request.templateSid !== undefined) {
    if (!HJ_SID.test(request.templateSid)) throw invalidParameter('TemplateSid', 'expected an HJ… SID');
    return { candidates: [{ sid: request.templateSid, substitutions }], source: 'TemplateSid' };
  }
  if (request.defaultTemplateSid) return { candidates: [{ sid: request.defaultTemplateSid, substitutions }], source: 'DefaultTemplateSid' };
  return { candidates: [], source: null };
}

/**
 * Checks a verification's template parameters before anything is sent, and picks the template its
 * message is rendered from, or undefined for the built-in message:
 * - `Templates` (≤10 candidates): the first that exists, supports the channel and has every custom
 *   variable given wins; none → 60252. Malformed → 60251.
 * - `TemplateSid` (with `TemplateCustomSubstitutions`): unknown → 60228; a custom variable
 *   missing → 60224; a channel it does not support → the built-in message (Twilio's warning 60327).
 * - The service's `DefaultTemplateSid`, likewise; one that no longer exists → the built-in message.
 * `channel` is the template channel of the send (`voice` for a call); `locale` picks the translation.
 */
export async function chooseTemplate(
  deps: { stores: Pick<StoreSet, 'templates'> },
  accountSid: string,
  request: TemplateRequest,
  channel: TemplateChannel,
  locale: string | null | undefined,
): Promise<ChosenTemplate | undefined> {
  const { candidates, source } = requestedCandidates(request);
  if (source === null) return undefined;
  const found = await Promise.all(candidates.map(async (c) => ({ candidate: c, template: await findTemplate(deps, accountSid, c.sid) })));
  const usable = (template: VerifyTemplate | undefined): template is VerifyTemplate => template !== undefined && template.channels.includes(channel);

  if (source === 'Templates') {
    for (const { candidate, template } of found) {
      if (!usable(template)) continue;
      const chosen = { sid: template.sid, ...translationFor(template, locale), substitutions: candidate.substitutions };
      if (missingVariables(chosen.text, chosen.substitutions).length === 0) return chosen;
    }
    throw new VerityError(60252, 'Templates are invalid: no candidate exists for this account, supports this channel and has every substitution');
  }

  const [{ candidate, template } = { candidate: undefined, template: undefined }] = found;
  if (!candidate) return undefined;
  if (!template) {
    if (source === 'DefaultTemplateSid') return undefined;
    throw new VerityError(60228, 'Template was not found: TemplateSid names no template of this account');
  }
  if (!template.channels.includes(channel)) return undefined;
  const chosen = { sid: template.sid, ...translationFor(template, locale), substitutions: candidate.substitutions };
  const missing = missingVariables(chosen.text, chosen.substitutions);
  if (missing.length) throw new VerityError(60224, `Missing substitutions for selected template: ${missing.join(', ')} (give them in TemplateCustomSubstitutions)`);
  return chosen;
}
