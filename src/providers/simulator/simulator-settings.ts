import { z } from 'zod';
import type { SettingRows } from '../../config/config-rows.ts';
import { DeliveryRulesError, parseDeliveryRules, parseLatency } from './delivery-rules.ts';

/**
 * A text setting checked with `parse` at boot (its DeliveryRulesError is the problem reported); the
 * plug-in parses the checked text again when it builds the carrier. Kept as text so the docs show it.
 */
function checkedText(parse: (text: string) => unknown, fallback: string) {
  return z
    .string()
    .default(fallback)
    .superRefine((text, ctx) => {
      try {
        parse(text);
      } catch (error) {
        if (!(error instanceof DeliveryRulesError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
      }
    });
}

/** The simulator's variables in the configuration table (docs/configuration.md). */
export const SIMULATOR_SETTINGS = {
  VERITY_SIMULATOR_TIME_SCALE: {
    schema: z.coerce.number().min(0.001).max(1).default(1),
    doc: 'Simulated phones and delivery statuses: multiplies their waits (ringing, keypad and recording timeouts, the delivery latency) so tests and demos need not wait real seconds; 1 is real time.',
  },
  VERITY_SIMULATOR_DELIVERY: {
    schema: checkedText(parseDeliveryRules, ''),
    doc:
      'Simulated carrier: what becomes of messages, per destination prefix, to demonstrate carrier errors and failover. Rules separated by `;`, each `[instance:]prefix=choice[,choice…]` (prefix `*`: every destination; the longest prefix wins). A choice is `outcome[@latency][ N%]`; outcomes: `deliver`, `undelivered[:code]` (sent, then undelivered with that carrier error, default 30003), `failed[:code]` (never sent, default 30008), `reject` (the send is refused, retryable), `reject-permanent`, `blackhole` (accepted, never reported). Example: `+4477=undelivered:30006 40%,deliver; +1555=blackhole; sim-b:*=deliver@8000`. Empty: everything is delivered.',
  },
  VERITY_SIMULATOR_LATENCY_MS: {
    schema: checkedText(parseLatency, '400-1500'),
    doc: 'Simulated carrier: how long from accepting a message to its final status, in ms: `2000` or a range `400-1500` (a seeded draw per message); `sent` is reported a quarter of the way.',
  },
  VERITY_SIMULATOR_SEED: {
    schema: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(1),
    doc: 'Simulated carrier: the seed of its random choices (which share of VERITY_SIMULATOR_DELIVERY a message gets, its latency): the same seed and the same sends give the same outcomes.',
  },
} as const satisfies SettingRows;

/** With the simulated phones, flash calls work out of the box from this (fictitious) range. */
export const SIMULATOR_FLASHCALL_RANGE = '+1500555XXXX';
