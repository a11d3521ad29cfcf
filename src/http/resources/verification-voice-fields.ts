import type { AppContext } from '../../context.ts';
import type { VerificationRow } from '../../store/schema.ts';
import { displayCode } from '../../verify/display-code.ts';
import { verificationEventsUrl } from './event-stream-links.ts';

/**
 * Verity's fields on the Verification resource of a call: the flow, the code for the screen, how to
 * read a flash call's caller id, and `links.events`, the progress stream a login page can open
 * without credentials (its token grants reading this verification's progress, nothing else).
 */
export function voiceFields(ctx: Pick<AppContext, 'config' | 'keyring'>, row: VerificationRow): Record<string, unknown> {
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
