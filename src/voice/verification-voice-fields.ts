import { createHmac } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { constantTimeEqual } from '../crypto/digest.ts';
import type { VerificationRow } from '../store/schema.ts';
import { displayCode } from '../verify/display-code.ts';

/**
 * Verity's fields on the Verification resource of a call: the flow, the code for the screen, how to
 * read a flash call's caller id, and `links.events`, the progress stream a login page can open
 * without credentials (its token grants reading this verification's progress, nothing else).
 */
export function voiceFields(ctx: AppContext, row: VerificationRow): Record<string, unknown> {
  if (row.voice_flow === null) return {};
  const flash = ctx.config.voice.flashCall;
  return {
    voice_flow: row.voice_flow === 'press_one_number' ? 'press_one' : row.voice_flow,
    number_match: row.voice_flow === 'press_one_number',
    display_code: displayCode(ctx, row) ?? null,
    flash_call: row.voice_flow === 'flash' && flash ? { caller_id_prefix: flash.prefix, code_length: row.code_length } : null,
    links: { events: verificationEventsUrl(ctx, row.sid) },
  };
}

function eventsToken(ctx: AppContext, verificationSid: string): string {
  return createHmac('sha256', ctx.keyring.derive('challenge-events')).update(`verification:${verificationSid}`).digest('base64url').slice(0, 32);
}

export function verificationEventsUrl(ctx: AppContext, verificationSid: string): string {
  return `${ctx.config.publicUrl}/events/v1/Verifications/${verificationSid}/${eventsToken(ctx, verificationSid)}`;
}

export function isVerificationEventsToken(ctx: AppContext, verificationSid: string, token: string): boolean {
  return constantTimeEqual(Buffer.from(token), Buffer.from(eventsToken(ctx, verificationSid)));
}
