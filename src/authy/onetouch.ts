import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { createChallenge, MAX_CHALLENGE_TTL_MS } from '../factors/challenges.ts';
import type { AuthyApprovalRequestRow, AuthyAppRow, AuthyUserRow, ChallengeRow, ServiceRow } from '../store/schema.ts';
import { isoSeconds } from '../time/format.ts';
import { AuthyError, authyErrorOf, invalidAuthyParameter } from './authy-error.ts';
import { appIdOf } from './authy-keys.ts';
import { authyDevices } from './authy-users.ts';
import type { ParamValue } from './bracket-params.ts';

type OneTouchDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'pushDelivery' | 'stores'>;

/** Authy's default lifetime of an approval request (24 h); Verity caps every one at Verify's challenge maximum (60 min). */
const AUTHY_DEFAULT_SECONDS = 86_400;
const ONETOUCH_MAX_SECONDS = MAX_CHALLENGE_TTL_MS / 1000;
const MAX_MESSAGE = 200;
const LOGO_RESOLUTIONS = new Set(['default', 'low', 'med', 'high']);

interface Logo {
  res: string;
  url: string;
}

export interface ApprovalInput {
  message: ParamValue | undefined;
  details: ParamValue | undefined;
  hiddenDetails: ParamValue | undefined;
  logos: ParamValue | undefined;
  secondsToExpire: ParamValue | undefined;
}

/** A flat object of strings (`details`, `hidden_details`); numbers and booleans of a JSON body become strings. */
function stringMap(value: ParamValue | undefined, name: string): Record<string, string> {
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidAuthyParameter(name, 'expected an object of strings');
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    if (text === undefined) throw invalidAuthyParameter(`${name}[${key}]`, 'expected a string');
    if (key.length === 0 || key.length > 36) throw invalidAuthyParameter(name, 'keys of 1 to 36 characters');
    if (text.length > 128) throw invalidAuthyParameter(`${name}[${key}]`, 'at most 128 characters');
    out[key] = text;
  }
  if (Object.keys(out).length > 20) throw invalidAuthyParameter(name, 'at most 20 entries');
  return out;
}

/** `logos`: up to 4 `{res, url}`; kept and returned, never fetched by Verity (no outbound request to them). */
function parseLogos(value: ParamValue | undefined): Logo[] | null {
  if (value === undefined || value === '') return null;
  const list = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : undefined;
  if (!list || list.length > 4) throw invalidAuthyParameter('logos', 'expected up to 4 objects with res and url');
  return list.map((logo) => {
    if (typeof logo !== 'object' || Array.isArray(logo)) throw invalidAuthyParameter('logos', 'expected objects with res and url');
    const { res, url } = logo as Record<string, ParamValue | undefined>;
    if (typeof res !== 'string' || !LOGO_RESOLUTIONS.has(res)) throw invalidAuthyParameter('logos[][res]', 'expected default, low, med or high');
    if (typeof url !== 'string' || url.length > 500 || !/^https?:\/\/[^\s]+$/.test(url)) throw invalidAuthyParameter('logos[][url]', 'expected an http(s) URL of at most 500 characters');
    return { res, url };
  });
}

function parseSeconds(value: ParamValue | undefined): number {
  if (value === undefined || value === '') return AUTHY_DEFAULT_SECONDS;
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  if (!/^[0-9]{1,9}$/.test(text)) throw invalidAuthyParameter('seconds_to_expire', 'expected a whole number of seconds');
  return Number(text);
}

/**
 * `onetouch/json/users/{id}/approval_requests`: a push challenge to the user's newest verified push
 * factor, with `message`, `details` as the challenge's fields and `hidden_details` as its hidden
 * details; the device signs over both. `seconds_to_expire` (0 = never, default 24 h) is capped at
 * 60 minutes, Verify's challenge maximum.
 */
export async function createApprovalRequest(ctx: OneTouchDeps, app: AuthyAppRow, service: ServiceRow, user: AuthyUserRow, input: ApprovalInput): Promise<AuthyApprovalRequestRow> {
  if (typeof input.message !== 'string' || input.message.trim() === '') throw invalidAuthyParameter('message', 'Parameter is required');
  if (input.message.length > MAX_MESSAGE) throw invalidAuthyParameter('message', `at most ${MAX_MESSAGE} characters`);
  const details = stringMap(input.details, 'details');
  const hidden = stringMap(input.hiddenDetails, 'hidden_details');
  const logos = parseLogos(input.logos);
  const requested = parseSeconds(input.secondsToExpire);
  const seconds = requested === 0 ? ONETOUCH_MAX_SECONDS : Math.min(requested, ONETOUCH_MAX_SECONDS);
  if (seconds < 1) throw invalidAuthyParameter('seconds_to_expire', 'at least 1 second');
  const { entity, factors } = await authyDevices(ctx, user);
  const device = factors.filter((f) => f.factor_type === 'push').sort((a, b) => b.date_created - a.date_created)[0];
  if (!entity || !device) throw new AuthyError('60051', 'The user has no OneTouch device: enrol a push factor for its entity first');
  const now = ctx.clock.now();
  let challenge: ChallengeRow;
  try {
    challenge = await createChallenge(ctx, service, entity, {
      factorSid: device.sid,
      message: input.message,
      fields: Object.entries(details).map(([label, value]) => JSON.stringify({ label, value })),
      hiddenDetails: Object.keys(hidden).length > 0 ? hidden : undefined,
      expirationDate: new Date(now + seconds * 1000).toISOString(),
    });
  } catch (error) {
    throw authyErrorOf(error);
  }
  const row: AuthyApprovalRequestRow = {
    uuid: randomUUID(),
    service_sid: service.sid,
    authy_id: user.authy_id,
    challenge_sid: challenge.sid,
    entity_sid: entity.sid,
    logos: logos === null ? null : JSON.stringify(logos),
    seconds_to_expire: seconds,
    callback_state: app.onetouch_callback_url ? 'awaiting' : 'none',
    callback_attempts: 0,
    callback_next_at: now,
    callback_lease_until: 0,
    callback_last_error: null,
    date_created: now,
  };
  await ctx.stores.authyApprovals.insert(row);
  return row;
}

/** An approval request and its challenge (marked expired first if overdue). Unknown in this app: 404 60049. */
export async function loadApproval(ctx: Pick<AppContext, 'clock' | 'stores'>, service: ServiceRow, uuid: string): Promise<{ approval: AuthyApprovalRequestRow; challenge: ChallengeRow }> {
  const approval = /^[0-9a-f-]{36}$/i.test(uuid) ? await ctx.stores.authyApprovals.find(service.sid, uuid.toLowerCase()) : undefined;
  if (!approval) throw new AuthyError('60049', 'Approval request not found');
  await ctx.stores.challenges.expireDue(approval.entity_sid, ctx.clock.now());
  const challenge = await ctx.stores.challenges.find(approval.entity_sid, approval.challenge_sid);
  if (!challenge) throw new AuthyError('60049', 'Approval request not found');
  return { approval, challenge };
}

/** The `approval_request` object of the status answer (Authy's fields; `_`-prefixed ones as Authy names them). */
export function approvalView(app: AuthyAppRow, service: ServiceRow, user: AuthyUserRow | undefined, approval: AuthyApprovalRequestRow, challenge: ChallengeRow): Record<string, unknown> {
  return {
    _app_name: service.friendly_name,
    _app_serial_id: appIdOf(app),
    _authy_id: approval.authy_id,
    _id: challenge.sid,
    _user_email: user?.email ?? null,
    app_id: String(appIdOf(app)),
    created_at: isoSeconds(approval.date_created),
    updated_at: isoSeconds(challenge.date_updated),
    processed_at: challenge.date_responded === null ? null : isoSeconds(challenge.date_responded),
    notified: challenge.date_delivered !== null,
    seconds_to_expire: approval.seconds_to_expire,
    expiration_timestamp: Math.floor(challenge.expiration_date / 1000),
    status: challenge.status,
    user_id: challenge.entity_sid,
    uuid: approval.uuid,
    device_uuid: challenge.factor_sid,
    message: challenge.details.message,
    details: Object.fromEntries(challenge.details.fields.map((f) => [f.label, f.value])),
    hidden_details: challenge.hidden_details ?? {},
    logos: approval.logos === null ? null : (JSON.parse(approval.logos) as Logo[]),
  };
}
