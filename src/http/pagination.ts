import type { Params } from './params.ts';
import { invalidParameter } from '../errors/verity-error.ts';

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

/** Reads `PageSize` (1–1000, default 50), `Page` and `PageToken` as the hosted API does. */
export function readPage(params: Params): PageRequest {
  const pageSize = params.integer('PageSize', 1, 1000) ?? 50;
  const page = params.integer('Page', 0, 1_000_000) ?? 0;
  const token = params.string('PageToken');
  let offset = page * pageSize;
  if (token !== undefined) {
    const match = /^PT(\d{1,9})$/.exec(token);
    if (!match) throw invalidParameter('PageToken');
    offset = Number(match[1]);
  }
  return { page, pageSize, offset };
}

/** Builds a list response: `{<key>: [...], meta: {...}}` with absolute page URLs. */
export function pageResponse(key: string, items: unknown[], request: PageRequest, hasMore: boolean, listUrl: string): Record<string, unknown> {
  const pageUrl = (page: number, offset: number) => `${listUrl}?PageSize=${request.pageSize}&Page=${page}&PageToken=PT${offset}`;
  return {
    [key]: items,
    meta: {
      page: request.page,
      page_size: request.pageSize,
      first_page_url: `${listUrl}?PageSize=${request.pageSize}&Page=0`,
      previous_page_url: request.page > 0 ? pageUrl(request.page - 1, Math.max(0, request.offset - request.pageSize)) : null,
      url: pageUrl(request.page, request.offset),
      next_page_url: hasMore ? pageUrl(request.page + 1, request.offset + request.pageSize) : null,
      key,
    },
  };
}
