import type { Updateable } from 'kysely';
import { z } from 'zod';
import type { WebhookRow, WebhooksTable } from '../schema.ts';
import { jsonColumn } from './column.ts';

export const eventTypes = jsonColumn('webhooks.event_types', z.array(z.string()));

export function decodeWebhook(row: WebhooksTable): WebhookRow {
  // The circuit breaker's columns (migration 0023) are the dispatcher's state, not the resource's.
  const resource: WebhooksTable & { breaker_failures?: unknown; breaker_open_until?: unknown } = { ...row };
  delete resource.breaker_failures;
  delete resource.breaker_open_until;
  return { ...resource, event_types: eventTypes.decode(resource.event_types) };
}

export function encodeWebhook(row: WebhookRow): WebhooksTable {
  return { ...row, event_types: eventTypes.encode(row.event_types) };
}

/** Encodes the fields a patch sets, each in its place (so the UPDATE's column order is the patch's). */
export function encodeWebhookPatch(patch: Partial<WebhookRow>): Updateable<WebhooksTable> {
  return { ...patch, event_types: patch.event_types === undefined ? undefined : eventTypes.encode(patch.event_types) };
}
