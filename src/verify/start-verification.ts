import { renderMessage } from '../channels/render-message.ts';
import type { AppContext } from '../context.ts';
import { newSid } from '../crypto/random.ts';
import { VerityError, invalidParameter } from '../errors/verity-error.ts';
import { DeliveryError, type Channel } from '../providers/provider.ts';
import { sendWithRetry } from '../providers/send-with-retry.ts';
import { serviceChannels, serviceCountries } from '../services/service-settings.ts';
import { RateLimitStore } from '../store/rate-limit-store.ts';
import type { ServiceRow, VerificationRow } from '../store/schema.ts';
import { VerificationsStore } from '../store/verifications-store.ts';
import { destinationForChannel } from './destination.ts';
import { SEND_LIMIT, prefixBucketKey, sendBucketKey } from './limits.ts';
import { customCodeDigest, deriveCode, newCodeSeed } from './one-time-code.ts';
import { announce, recordVerificationChange } from './record-verification-change.ts';
import type { SendAttempt } from './verification-resource.ts';

/** Channels of the hosted API that Verity does not deliver (yet): refused with 60223, not 60200. */
const FOREIGN_CHANNELS = ['whatsapp', 'sna', 'auto', 'rcs'];

export interface StartVerificationInput {
  service: ServiceRow;
  to: string | undefined;
  channel: string | undefined;
  locale?: string | undefined;
  customFriendlyName?: string | undefined;
  customCode?: string | undefined;
  amount?: string | undefined;
  payee?: string | undefined;
}

function parseChannel(ctx: AppContext, service: ServiceRow, raw: string | undefined): Channel {
  if (!raw) throw invalidParameter('Channel', 'required');
  if (FOREIGN_CHANNELS.includes(raw)) throw new VerityError(60223, `Delivery channel disabled: ${raw} is not offered by this server`);
  if (raw !== 'sms' && raw !== 'call' && raw !== 'email') throw invalidParameter('Channel', 'expected sms, call or email');
  if (!serviceChannels(service).includes(raw)) throw new VerityError(60223, `Delivery channel disabled: ${raw} is not enabled for this service`);
  if (!ctx.providers[raw]) throw new VerityError(60223, `Delivery channel disabled: no ${raw} provider is configured`);
  return raw;
}

/**
 * Creates a verification and sends its code, or resends the code of the one already pending for
 * this destination (the same code, the same VE sid, as the hosted API does). Every send counts
 * toward 5 per destination per 10 minutes and toward the destination-prefix burst cap.
 */
export async function startVerification(ctx: AppContext, input: StartVerificationInput): Promise<VerificationRow> {
  const { service } = input;
  const channel = parseChannel(ctx, service, input.channel);
  const destination = destinationForChannel(input.to, channel);

  if (destination.kind === 'phone') {
    const allowed = serviceCountries(service);
    if (allowed && (!destination.country || !allowed.includes(destination.country as never))) {
      ctx.metrics.rateLimited.inc({ limit: 'geo' });
      throw new VerityError(60605, 'Verification delivery attempt blocked: the destination country is not allowed for this service');
    }
  }
  if (input.customCode !== undefined) {
    if (service.custom_code_enabled !== 1) throw invalidParameter('CustomCode', 'custom codes are not enabled for this service');
    if (!/^[0-9A-Za-z]{4,10}$/.test(input.customCode)) throw invalidParameter('CustomCode', 'expected 4 to 10 letters or digits');
  }
  if (input.locale !== undefined && !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$/.test(input.locale)) {
    throw invalidParameter('Locale', 'expected a language tag such as en or pt-BR');
  }
  if (service.psd2_enabled === 1 && (!input.amount || !input.payee)) {
    throw invalidParameter(input.amount ? 'Payee' : 'Amount', 'required when PSD2 is enabled');
  }

  const { row, created } = await ctx.db.kysely.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const verifications = new VerificationsStore(trx);
    const buckets = new RateLimitStore(trx, ctx.db.dialect);

    // Lock the pending row first (same order as a check: verification, then buckets) so a resend
    // racing an approval can neither deadlock nor lose a send attempt.
    let existing = await verifications.findPending(service.sid, destination.address, { forUpdate: ctx.db.dialect === 'postgres' });
    if (existing && existing.expires_at <= now) {
      const expired = await verifications.completePending(existing.sid, 'expired', now);
      if (expired) await recordVerificationChange(ctx, trx, expired);
      existing = undefined;
    }

    const send = await buckets.take(sendBucketKey(service.sid, destination.address), SEND_LIMIT, now);
    if (!send.allowed) {
      ctx.metrics.rateLimited.inc({ limit: 'send' });
      throw new VerityError(60203, 'Max send attempts reached', { retryAfterSeconds: send.retryAfterSeconds });
    }
    if (destination.kind === 'phone') {
      const { digits, maxSends, windowSeconds } = ctx.config.rateLimits.prefix;
      const prefix = await buckets.take(prefixBucketKey(service.sid, destination.address, digits), { capacity: maxSends, refillPerSecond: maxSends / windowSeconds }, now);
      if (!prefix.allowed) {
        ctx.metrics.rateLimited.inc({ limit: 'prefix' });
        throw new VerityError(60410, 'Verification delivery attempt blocked: too many recent sends to this number range', { retryAfterSeconds: prefix.retryAfterSeconds });
      }
    }

    const attempt: SendAttempt = { time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), channel: channel.toUpperCase(), attempt_sid: newSid('VL') };

    if (existing) {
      if (existing.code_digest && input.customCode === undefined) {
        throw invalidParameter('CustomCode', 'this verification uses a custom code; send it again to resend');
      }
      const patch = {
        channel,
        send_attempts: JSON.stringify([...(JSON.parse(existing.send_attempts) as SendAttempt[]), attempt]),
        locale: input.locale ?? existing.locale,
        date_updated: now,
        ...(input.customCode !== undefined ? { code_digest: customCodeDigest(ctx.keyring, existing.sid, input.customCode) } : {}),
      };
      await verifications.update(existing.sid, patch);
      return { row: { ...existing, ...patch }, created: false };
    }

    const sid = newSid('VE');
    const fresh: VerificationRow = {
      sid,
      account_sid: service.account_sid,
      service_sid: service.sid,
      destination: destination.address,
      channel,
      status: 'pending',
      code_seed: input.customCode === undefined ? newCodeSeed(ctx.keyring) : null,
      code_digest: input.customCode === undefined ? null : customCodeDigest(ctx.keyring, sid, input.customCode),
      code_length: input.customCode?.length ?? service.code_length,
      locale: input.locale ?? null,
      custom_friendly_name: input.customFriendlyName ?? null,
      amount: input.amount ?? null,
      payee: input.payee ?? null,
      check_attempts: 0,
      send_attempts: JSON.stringify([attempt]),
      expires_at: now + service.code_ttl_seconds * 1000,
      failure_code: null,
      date_created: now,
      date_updated: now,
    };
    // The partial unique index admits one pending verification per destination; losing the race
    // to a concurrent create is reported as a conflict the caller may retry.
    if (!(await verifications.insertPending(fresh))) throw new VerityError(60203, 'Max send attempts reached: a verification for this destination is being created concurrently', { retryAfterSeconds: 1 });
    await recordVerificationChange(ctx, trx, fresh);
    return { row: fresh, created: true };
  });
  if (created) announce(ctx, row);

  await deliver(ctx, service, row, input.customCode ?? deriveCode(ctx.keyring, row.sid, row.code_seed ?? '', row.code_length), created);
  return row;
}

async function deliver(ctx: AppContext, service: ServiceRow, row: VerificationRow, code: string, firstSend: boolean): Promise<void> {
  const channel = row.channel as Channel;
  const provider = ctx.providers[channel];
  if (!provider) throw new VerityError(60223);
  const rendered = renderMessage({
    channel,
    code,
    friendlyName: row.custom_friendly_name ?? service.friendly_name,
    locale: row.locale ?? service.default_locale,
    ttlSeconds: service.code_ttl_seconds,
    doNotShareWarning: service.do_not_share_warning_enabled === 1,
    webOtpDomain: service.web_otp_domain,
  });
  const started = performance.now();
  try {
    await sendWithRetry(provider, { channel, to: row.destination, verificationSid: row.sid, ...rendered });
    ctx.metrics.deliveries.inc({ channel, provider: provider.name, outcome: 'accepted' });
    ctx.metrics.deliveryLatency.observe({ channel, provider: provider.name }, (performance.now() - started) / 1000);
  } catch (error) {
    ctx.metrics.deliveries.inc({ channel, provider: provider.name, outcome: 'failed' });
    const reason = error instanceof DeliveryError ? error.message : 'unexpected provider error';
    // Only the cause's type and errno-style code: its text could echo the message (and so the code).
    const cause = error instanceof Error && error.cause instanceof Error ? { name: error.cause.name, code: (error.cause as { code?: unknown }).code } : undefined;
    ctx.logger.warn({ verificationSid: row.sid, channel, provider: provider.name, reason, cause }, 'delivery failed');
    if (firstSend) {
      // A verification whose only code never left cannot succeed: mark it failed (and tell webhooks).
      const failed = await ctx.db.kysely.transaction().execute(async (trx) => {
        const updated = await new VerificationsStore(trx).completePending(row.sid, 'failed', ctx.clock.now(), { failure_code: 30008 });
        if (updated) await recordVerificationChange(ctx, trx, updated);
        return updated;
      });
      if (failed) announce(ctx, failed);
    }
    throw new VerityError(30008, `Delivery failed: the ${channel} provider did not accept the message (${provider.name}: ${reason})`, { cause: error });
  }
}
