import { chooseMessage, type MessageChoice, type MessageParameters } from '../channels/message-choice.ts';
import { checkPayment } from '../channels/payment-text.ts';
import { renderMessage } from '../channels/render-message.ts';
import type { AppContext } from '../context.ts';
import { newSid } from '../crypto/random.ts';
import { DomainError, isDomainError } from '../errors/domain-error.ts';
import { invalidParameter } from '../errors/verity-error.ts';
import type { Dispatched, PlannedAttempt } from '../messaging/delivery-dispatcher.ts';
import { DeliveryError, type Channel } from '../providers/provider.ts';
import type { SendPass, SendReservation } from '../send-gate/send-gate.ts';
import type { SendRequest } from '../send-gate/send-policy.ts';
import { serviceChannels, serviceCountries } from '../services/service-settings.ts';
import type { BucketCharges } from '../store/rate-limit-store.ts';
import type { DeliveryAttemptRow, ServiceRow, VerificationRow } from '../store/schema.ts';
import { customCodeDigest, deriveCode, newCodeSeed } from './one-time-code.ts';
import type { SendAttempt } from './send-attempt.ts';
import { destinationForChannel, type VerificationChannel } from './destination.ts';
import { API_REQUESTER } from './limits.ts';
import { refuseLandline } from './skip-landlines.ts';
import { chargeServiceRateLimits } from './rate-limits/charge-rate-limits.ts';
import { VOICE_FLOWS, type VoiceFlow } from '../voice/flows/call-flow.ts';
import { DECIDED_ON_THE_CALL } from '../voice/flows/flows.ts';
import type { VerificationTransaction } from './lifecycle/verification-lifecycle.ts';
import { displayCode } from './display-code.ts';
import { recordSendAttempt } from './attempts/send-attempt-records.ts';
import { isoSeconds } from '../time/format.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type StartVerificationDeps = Pick<AppContext, 'clock' | 'config' | 'keyring' | 'logger' | 'messaging' | 'metrics' | 'routing' | 'sendGate' | 'stores' | 'verificationLifecycle' | 'voice'>;

/** Channels of the hosted API that Verity does not deliver (yet): refused with 60223, not 60200. */
const FOREIGN_CHANNELS = ['sna', 'auto', 'rcs'];

/** The message parameters (CustomMessage, AppHash, ChannelConfiguration, templates) are src/channels/message-choice.ts's. */
export interface StartVerificationInput extends MessageParameters {
  service: ServiceRow;
  to: string | undefined;
  channel: string | undefined;
  locale?: string | undefined;
  customFriendlyName?: string | undefined;
  customCode?: string | undefined;
  amount?: string | undefined;
  payee?: string | undefined;
  /** Verity: how a call runs (`speak_code`, `keypad_code`, `press_one`); Channel=call only. */
  voiceFlow?: string | undefined;
  /** Verity: with VoiceFlow=press_one, the caller keys in two digits shown on screen. */
  numberMatch?: boolean | undefined;
  /** Who asks (API_REQUESTER, the default, or a hosted page's user): only their own pending verification is resent. */
  requester?: string | undefined;
  /** `RateLimits`: UniqueName of a service rate limit → the value its buckets count (src/verify/rate-limits/). */
  rateLimits?: Record<string, unknown> | undefined;
}

function parseChannel(ctx: StartVerificationDeps, service: ServiceRow, raw: string | undefined): VerificationChannel {
  if (!raw) throw invalidParameter('Channel', 'required');
  if (FOREIGN_CHANNELS.includes(raw)) throw new DomainError('channel_disabled', `Delivery channel disabled: ${raw} is not offered by this server`);
  if (raw !== 'sms' && raw !== 'call' && raw !== 'email' && raw !== 'flashcall' && raw !== 'whatsapp') throw invalidParameter('Channel', 'expected sms, call, email, whatsapp or flashcall');
  if (!serviceChannels(service).includes(raw)) throw new DomainError('channel_disabled', `Delivery channel disabled: ${raw} is not enabled for this service`);
  // A message channel is sent by its VERITY_*_PROVIDER (an implicit route) or by VERITY_MESSAGING_CONFIG's routes.
  const available = isCall(raw) ? ctx.voice.provider !== undefined && (raw === 'call' || ctx.config.voice.flashCall !== undefined) : ctx.routing.router.sendsChannel(raw);
  if (!available) throw new DomainError('channel_disabled', `Delivery channel disabled: no ${raw} provider is configured`);
  return raw;
}

const isCall = (channel: VerificationChannel): channel is 'call' | 'flashcall' => channel === 'call' || channel === 'flashcall';

/** The call flow of a new verification: `flash` for a flash call, else the `VoiceFlow` asked for. */
function parseVoiceFlow(channel: VerificationChannel, input: StartVerificationInput): VoiceFlow | null {
  if (channel !== 'call' && input.voiceFlow !== undefined) throw invalidParameter('VoiceFlow', 'only with Channel=call');
  if (channel === 'flashcall') return 'flash';
  if (input.voiceFlow !== undefined && !(VOICE_FLOWS as readonly string[]).includes(input.voiceFlow)) throw invalidParameter('VoiceFlow', 'expected speak_code, keypad_code or press_one');
  if (input.numberMatch && input.voiceFlow !== 'press_one') throw invalidParameter('NumberMatch', 'only with VoiceFlow=press_one');
  if (channel !== 'call') {
    if (input.voiceFlow !== undefined) throw invalidParameter('VoiceFlow', 'only with Channel=call');
    return null;
  }
  const flow = (input.voiceFlow ?? 'speak_code') as VoiceFlow;
  return flow === 'press_one' && input.numberMatch ? 'press_one_number' : flow;
}

/**
 * Creates a verification and sends its code, or resends the code of the one already pending for
 * this destination and requester (the same code, the same VE sid, as the hosted API does): a hosted
 * page's user never joins the application's pending verification, nor the other way round. Every send passes the
 * send gate (src/send-gate): country allow-list, 5 per destination per 10 minutes, the
 * destination-prefix burst cap and the account's send budget.
 */
export async function startVerification(ctx: StartVerificationDeps, input: StartVerificationInput): Promise<VerificationRow> {
  return (await startVerificationAnswered(ctx, input)).row;
}

/** A started verification, and (for a new one) its delivery attempts as written: the API answers with them without reading them back. */
export interface StartedVerification {
  row: VerificationRow;
  /** The send's delivery attempts when they are all in hand (a new verification whose first target accepted it; none for a call); else undefined. */
  deliveryAttempts: DeliveryAttemptRow[] | undefined;
}

/** {@link startVerification}, answering with the delivery attempts it wrote. */
export async function startVerificationAnswered(ctx: StartVerificationDeps, input: StartVerificationInput): Promise<StartedVerification> {
  const { service } = input;
  const channel = parseChannel(ctx, service, input.channel);
  const requestedFlow = parseVoiceFlow(channel, input);
  const destination = destinationForChannel(input.to, channel);
  // Routes may cover some numbers only (VERITY_MESSAGING_CONFIG without a default): refused before anything is spent.
  if (!isCall(channel) && !ctx.routing.router.serves({ channel, to: destination.address, serviceSid: service.sid })) {
    throw new DomainError('channel_disabled', `Delivery channel disabled: no ${channel} route serves this destination`);
  }
  if (requestedFlow !== null && DECIDED_ON_THE_CALL.has(requestedFlow) && input.customCode !== undefined) throw invalidParameter('CustomCode', 'not with a call that is decided on the keypad');
  // One call at a time per number: refused before a send is counted.
  if (isCall(channel)) await ctx.voice.engine.assertNoLiveCall(destination.address);

  const requester = input.requester ?? API_REQUESTER;
  const sendRequest: SendRequest = { accountSid: service.account_sid, serviceSid: service.sid, allowedCountries: serviceCountries(service), destination, channel, feature: 'verification', requester };
  // Geo permissions first, as the hosted API answers them: before the parameters below are judged.
  ctx.sendGate.screen(sendRequest);
  if (input.customCode !== undefined) {
    if (!service.custom_code_enabled) throw invalidParameter('CustomCode', 'custom codes are not enabled for this service');
    if (!/^[0-9A-Za-z]{4,10}$/.test(input.customCode)) throw invalidParameter('CustomCode', 'expected 4 to 10 letters or digits');
  }
  if (input.locale !== undefined && !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$/.test(input.locale)) {
    throw invalidParameter('Locale', 'expected a language tag such as en or pt-BR');
  }
  checkPayment(service.psd2_enabled, input.amount, input.payee);
  refuseLandline(service, channel, destination.address);
  const message = await chooseMessage(ctx, service, channel, input.locale ?? service.default_locale, input);

  // The shared counters first, each in a short statement of its own before the transaction, so creates of
  // one account or number range do not queue on their rows (src/store/rate-limit-store.ts BucketCharges):
  // the service's rate limits (their refusal, 20429, spends none of the send limits), then the send gate's
  // prefix cap and account budget. Whatever they took is given back unless the transaction commits.
  const serviceCharges = await chargeServiceRateLimits(ctx, ctx.stores, { serviceSid: service.sid, rateLimits: input.rateLimits, now: ctx.clock.now() });
  let reservation: SendReservation | undefined;
  let committing = false;
  let outcome: Created;
  try {
    const gate = (reservation = await ctx.sendGate.reserve(sendRequest));
    outcome = await ctx.verificationLifecycle.transaction(async (tx) => {
      const result = await createOrResend(ctx, input, { tx, gate, sendRequest, channel, requestedFlow, destination: destination.address, requester });
      committing = true;
      return result;
    });
  } catch (error) {
    // Refused or rolled back: nothing was sent, so nothing is spent. (An error once the work is done
    // is a failed commit or an after-commit hook: the counters may be spent for good, so they are kept.)
    if (!committing) await giveBack(ctx, [serviceCharges, reservation?.charges]);
    throw error;
  }
  const { row, created, pass, planned } = outcome;

  const code = input.customCode ?? deriveCode(ctx.keyring, row.sid, row.code_seed ?? '', row.code_length);
  if (isCall(channel)) {
    await placeCall(ctx, pass, row, code, created);
    return { row, deliveryAttempts: created ? [] : undefined };
  }
  const dispatched = await deliver(ctx, { pass, sendRequest, planned }, service, row, code, created, message);
  return { row, deliveryAttempts: created && dispatched.firstTarget ? [dispatched.attempt] : undefined };
}

/** Gives back counters taken for a create that did not happen; a failure is logged, never thrown over the refusal. */
async function giveBack(ctx: StartVerificationDeps, charges: readonly (Pick<BucketCharges, 'refund'> | undefined)[]): Promise<void> {
  for (const charge of charges) {
    try {
      await charge?.refund();
    } catch (error) {
      ctx.logger.warn({ err: error }, 'could not give back the rate-limit tokens of a refused verification');
    }
  }
}

interface CreateOrResend {
  tx: VerificationTransaction;
  gate: SendReservation;
  sendRequest: SendRequest;
  channel: VerificationChannel;
  requestedFlow: VoiceFlow | null;
  destination: string;
  requester: string;
}

type Created = { row: VerificationRow; created: boolean; pass: SendPass; planned: PlannedAttempt | undefined };

/** A message's first delivery attempt, written with the send (no commit of its own); calls have none. */
async function planDelivery(ctx: StartVerificationDeps, tx: VerificationTransaction, sendRequest: SendRequest, row: VerificationRow): Promise<PlannedAttempt | undefined> {
  if (isCall(row.channel as VerificationChannel)) return undefined;
  const sendAttemptSid = row.send_attempts.at(-1)?.attempt_sid ?? row.sid;
  const planned = ctx.messaging.dispatcher.planFirst({ sendRequest, sendAttemptSid, verificationSid: row.sid, channel: row.channel as Channel, to: row.destination });
  if (planned) await tx.stores.deliveryAttempts.insert(planned.attempt);
  return planned;
}

/** Inside the create's one transaction: resends the pending verification of this destination and requester, or creates one. */
async function createOrResend(ctx: StartVerificationDeps, input: StartVerificationInput, work: CreateOrResend): Promise<Created> {
  const { tx, channel, requestedFlow, requester, destination } = work;
  const { service } = input;
  const now = ctx.clock.now();
  const { verifications } = tx.stores;

  // Lock the pending row first (same order as a check: verification, then buckets) so a resend
  // racing an approval can neither deadlock nor lose a send attempt.
  let existing = await verifications.findPending(service.sid, destination, requester, { forUpdate: true });
  if (existing && existing.expires_at <= now) {
    await tx.end(existing.sid, { to: 'expired', by: 'clock' });
    existing = undefined;
  }

  // The per-destination budget is spent in this transaction (a refusal below, or a lost race, rolls it back);
  // then a refusal the gate's reservation kept is thrown, so the destination's answers first.
  const pass = await ctx.sendGate.admitReserved(work.sendRequest, work.gate, tx.stores);

  // The hosted API's examples write `SMS`, `EMAIL`, `CALL` but `whatsapp` in lower case.
  const attempt: SendAttempt = { time: isoSeconds(now), channel: channel === 'whatsapp' ? channel : channel.toUpperCase(), attempt_sid: newSid('VL') };

  if (existing) {
    // A code that is shown on screen is no secret: such a verification is only ever a call.
    if (existing.voice_flow !== null && DECIDED_ON_THE_CALL.has(existing.voice_flow) && channel !== 'call') {
      throw invalidParameter('Channel', 'this verification is decided on a phone call; resend it with Channel=call');
    }
    if (existing.voice_flow === 'flash' && channel !== 'flashcall') throw invalidParameter('Channel', 'this verification is a flash call; resend it with Channel=flashcall');
    if (existing.voice_flow !== 'flash' && channel === 'flashcall') throw invalidParameter('Channel', 'a flash call needs a new verification (its code is in the caller id)');
    if (existing.code_digest && input.customCode === undefined) {
      throw invalidParameter('CustomCode', 'this verification uses a custom code; send it again to resend');
    }
    const patch = {
      channel,
      // Keep a decided-on-the-call flow; an SMS verification resent as a call speaks its code.
      voice_flow: existing.voice_flow ?? requestedFlow,
      send_attempts: [...existing.send_attempts, attempt],
      locale: input.locale ?? existing.locale,
      date_updated: now,
      ...(input.customCode !== undefined ? { code_digest: customCodeDigest(ctx.keyring, existing.sid, input.customCode) } : {}),
    };
    await verifications.update(existing.sid, patch);
    const resent = { ...existing, ...patch };
    await recordSendAttempt(tx.stores, resent, now);
    return { row: resent, created: false, pass, planned: await planDelivery(ctx, tx, work.sendRequest, resent) };
  }

  const sid = newSid('VE');
  const fresh: VerificationRow = {
    sid,
    account_sid: service.account_sid,
    service_sid: service.sid,
    destination,
    channel,
    status: 'pending',
    code_seed: input.customCode === undefined ? newCodeSeed(ctx.keyring) : null,
    code_digest: input.customCode === undefined ? null : customCodeDigest(ctx.keyring, sid, input.customCode),
    code_length: input.customCode?.length ?? (channel === 'flashcall' ? (ctx.config.voice.flashCall?.codeLength ?? service.code_length) : service.code_length),
    locale: input.locale ?? null,
    custom_friendly_name: input.customFriendlyName ?? null,
    amount: input.amount ?? null,
    payee: input.payee ?? null,
    check_attempts: 0,
    send_attempts: [attempt],
    expires_at: now + service.code_ttl_seconds * 1000,
    failure_code: null,
    voice_flow: requestedFlow,
    progress_seq: 0,
    requester,
    date_created: now,
    date_updated: now,
  };
  // The partial unique index admits one pending verification per destination and requester; losing the race
  // to a concurrent create is reported as a conflict the caller may retry.
  if (!(await tx.create(fresh))) throw new DomainError('send_limit', 'Max send attempts reached: a verification for this destination is being created concurrently', { retryAfterSeconds: 1 });
  await recordSendAttempt(tx.stores, fresh, now);
  return { row: fresh, created: true, pass, planned: await planDelivery(ctx, tx, work.sendRequest, fresh) };
}

/** Starts the verification's call; the flow decides what is spoken and what the keypad must give. */
async function placeCall(ctx: StartVerificationDeps, pass: SendPass, row: VerificationRow, code: string, firstSend: boolean): Promise<void> {
  const flow = (row.voice_flow ?? 'speak_code') as VoiceFlow;
  const flash = ctx.config.voice.flashCall;
  const secret = flow === 'press_one_number' ? displayCode(ctx, row) ?? code : code;
  const callerId = flow === 'flash' && flash ? flash.prefix + code : ctx.config.voice.from;
  const ringSeconds = flow === 'flash' && flash ? flash.ringSeconds : ctx.config.voice.ringTimeoutSeconds;
  await reportFailure(ctx, row, ctx.voice.provider?.name ?? 'none', firstSend, () => ctx.voice.engine.verifications.startCall(pass, row, flow, secret, callerId, ringSeconds));
}

/**
 * Sends the rendered message through the channel's route (src/messaging/): the first provider that
 * accepts it answers the send; one that refuses it hands the same message to the next target.
 */
async function deliver(ctx: StartVerificationDeps, send: { pass: SendPass; sendRequest: SendRequest; planned: PlannedAttempt | undefined }, service: ServiceRow, row: VerificationRow, code: string, firstSend: boolean, choice: MessageChoice): Promise<Dispatched> {
  const { pass, sendRequest } = send;
  const channel = row.channel as Channel;
  const rendered = renderMessage({
    channel,
    code,
    friendlyName: row.custom_friendly_name ?? service.friendly_name,
    locale: row.locale ?? service.default_locale,
    ttlSeconds: service.code_ttl_seconds,
    doNotShareWarning: service.do_not_share_warning_enabled,
    webOtpDomain: service.web_otp_domain,
    custom: choice.text,
    appHash: choice.appHash,
    // The payment the code is bound to: the one stored with the verification, which the check compares.
    psd2: service.psd2_enabled && row.amount !== null && row.payee !== null ? { amount: row.amount, payee: row.payee } : undefined,
  });
  const sendAttemptSid = row.send_attempts.at(-1)?.attempt_sid ?? row.sid;
  // Named in a refusal's text and metrics: the channel's VERITY_*_PROVIDER when it has one (each attempt records its own instance).
  const providerName = ctx.routing.table.find(`default:${channel}`)?.targets[0]?.instance ?? 'routed';
  const answer: { dispatched?: Dispatched } = {};
  await reportFailure(ctx, row, providerName, firstSend, async () => {
    const dispatched = await ctx.messaging.dispatcher.dispatch({ pass, sendRequest, sendAttemptSid, message: { channel, to: row.destination, verificationSid: row.sid, ...rendered, ...(choice.emailSender ? { emailSender: choice.emailSender } : {}) } }, send.planned);
    answer.dispatched = dispatched;
    return dispatched.attempt.provider;
  });
  // reportFailure throws unless the send was accepted.
  if (!answer.dispatched) throw new Error('delivery accepted without an attempt');
  return answer.dispatched;
}

/**
 * Runs one delivery (a message or a call) with metrics; when it fails, logs why, marks a first
 * send's verification failed and refuses with delivery_failed (30008). A live-call refusal is passed through.
 */
async function reportFailure(ctx: StartVerificationDeps, row: VerificationRow, providerName: string, firstSend: boolean, send: () => Promise<unknown>): Promise<void> {
  const channel = row.channel;
  const provider = { name: providerName };
  const started = performance.now();
  try {
    // A message answers the provider instance that accepted it (a failover's may not be the first).
    const accepted = await send();
    const by = typeof accepted === 'string' ? accepted : provider.name;
    ctx.metrics.deliveries.inc({ channel, provider: by, outcome: 'accepted' });
    ctx.metrics.deliveryLatency.observe({ channel, provider: by }, (performance.now() - started) / 1000);
  } catch (error) {
    if (isDomainError(error, 'call_in_progress')) throw error;
    ctx.metrics.deliveries.inc({ channel, provider: provider.name, outcome: 'failed' });
    const reason = error instanceof DeliveryError ? error.message : 'unexpected provider error';
    // Only the cause's type and errno-style code: its text could echo the message (and so the code).
    const cause = error instanceof Error && error.cause instanceof Error ? { name: error.cause.name, code: (error.cause as { code?: unknown }).code } : undefined;
    ctx.logger.warn({ verificationSid: row.sid, channel, provider: provider.name, reason, cause }, 'delivery failed');
    if (firstSend) {
      // A verification whose only code never left cannot succeed: mark it failed (and tell webhooks).
      await ctx.verificationLifecycle.end(row.sid, { to: 'failed', by: 'delivery' });
    }
    throw new DomainError('delivery_failed', `Delivery failed: the ${channel} provider did not accept the message (${provider.name}: ${reason})`, { cause: error });
  }
}
