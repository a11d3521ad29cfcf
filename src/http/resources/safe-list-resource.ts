import type { SafeListNumberRow } from '../../store/schema.ts';

/** The SafeList resource: `{sid, phone_number, url}` (the hosted API shows no dates). */
export function safeListResource(row: SafeListNumberRow, baseUrl: string): Record<string, unknown> {
  return { sid: row.sid, phone_number: row.phone_number, url: `${baseUrl}/v2/SafeList/Numbers/${encodeURIComponent(row.phone_number)}` };
}
