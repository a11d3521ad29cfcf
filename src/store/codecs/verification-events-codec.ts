import { z } from 'zod';
import type { VerificationEventRow, VerificationEventsTable } from '../schema.ts';
import { jsonColumn } from './column.ts';

export const eventData = jsonColumn('verification_events.data', z.record(z.string(), z.unknown()));

export function decodeVerificationEvent(row: VerificationEventsTable): VerificationEventRow {
  return { ...row, data: eventData.decode(row.data) };
}
