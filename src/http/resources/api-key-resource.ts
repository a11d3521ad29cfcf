import type { ApiKeyRow } from '../../store/schema.ts';
import { rfc2822 } from '../../time/format.ts';

/** An API key as the 2010-04-01 API writes it (RFC 2822 dates; the secret only in the create answer). */
export function apiKeyResource(row: ApiKeyRow): Record<string, unknown> {
  return {
    sid: row.sid,
    friendly_name: row.friendly_name === '' ? null : row.friendly_name,
    date_created: rfc2822(row.date_created),
    date_updated: rfc2822(row.date_updated),
  };
}

/**
 * A page of keys in the 2010-04-01 list shape: the list under `keys` beside `uri`, `first_page_uri`,
 * `next_page_uri` … as paths (twilio-node prefixes them with its API origin).
 */
export function apiKeyPage(accountSid: string, rows: ApiKeyRow[], page: { page: number; pageSize: number; offset: number }, hasMore: boolean): Record<string, unknown> {
  const path = `/2010-04-01/Accounts/${accountSid}/Keys.json`;
  const pageUri = (n: number, offset: number) => `${path}?PageSize=${page.pageSize}&Page=${n}&PageToken=PT${offset}`;
  return {
    keys: rows.map(apiKeyResource),
    first_page_uri: `${path}?PageSize=${page.pageSize}&Page=0`,
    previous_page_uri: page.page > 0 ? pageUri(page.page - 1, Math.max(0, page.offset - page.pageSize)) : null,
    next_page_uri: hasMore ? pageUri(page.page + 1, page.offset + page.pageSize) : null,
    uri: pageUri(page.page, page.offset),
    page: page.page,
    page_size: page.pageSize,
    start: page.offset,
    end: page.offset + Math.max(0, rows.length - 1),
  };
}
