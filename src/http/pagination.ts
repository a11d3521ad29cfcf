import type { z } from 'zod';
import * as field from './schema/wire-fields.ts';

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

/** `PageSize` (1–1000, default 50), `Page` and `PageToken`, as the hosted API reads them. */
export const PageQuery = field.fields({
  PageSize: field.integer(1, 1000).meta({ description: 'Items per page (default 50).' }),
  Page: field.integer(0, 1_000_000).meta({ description: 'Zero-based page number (default 0).' }),
  PageToken: field.string({ pattern: /^PT\d{1,9}$/ }).meta({ description: 'Opaque token from a `meta` page URL; takes precedence over Page for the offset.' }),
});

/** The page a validated PageQuery asks for. */
export function pageOf(query: z.output<typeof PageQuery>): PageRequest {
  const pageSize = query.PageSize ?? 50;
  const page = query.Page ?? 0;
  const offset = query.PageToken === undefined ? page * pageSize : Number(query.PageToken.slice(2));
  return { page, pageSize, offset };
}

/**
 * Builds a list response: `{<key>: [...], meta: {...}}` with absolute page URLs. The list's filters
 * (`FactorSid`, `Status`, …) ride on every page URL: the client follows `next_page_url` verbatim,
 * so a filter missing there would change the list from the second page on.
 */
export function pageResponse(key: string, items: unknown[], request: PageRequest, hasMore: boolean, listUrl: string, filters: Readonly<Record<string, string | undefined>> = {}): Record<string, unknown> {
  const kept = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== undefined) kept.append(name, value);
  const suffix = kept.size > 0 ? `&${kept.toString()}` : '';
  const pageUrl = (page: number, offset: number) => `${listUrl}?PageSize=${request.pageSize}&Page=${page}&PageToken=PT${offset}${suffix}`;
  return {
    [key]: items,
    meta: {
      page: request.page,
      page_size: request.pageSize,
      first_page_url: `${listUrl}?PageSize=${request.pageSize}&Page=0${suffix}`,
      previous_page_url: request.page > 0 ? pageUrl(request.page - 1, Math.max(0, request.offset - request.pageSize)) : null,
      url: pageUrl(request.page, request.offset),
      next_page_url: hasMore ? pageUrl(request.page + 1, request.offset + request.pageSize) : null,
      key,
    },
  };
}
