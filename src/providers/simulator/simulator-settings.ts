import { z } from 'zod';
import type { SettingRows } from '../../config/config-rows.ts';

/** The simulator's variable in the configuration table (docs/configuration.md). */
export const SIMULATOR_SETTINGS = {
  VERITY_SIMULATOR_TIME_SCALE: {
    schema: z.coerce.number().min(0.001).max(1).default(1),
    doc: 'Simulated phones: multiplies their waits (ringing, keypad and recording timeouts) so tests and demos need not wait real seconds; 1 is real time.',
  },
} as const satisfies SettingRows;

/** With the simulated phones, flash calls work out of the box from this (fictitious) range. */
export const SIMULATOR_FLASHCALL_RANGE = '+1500555XXXX';
