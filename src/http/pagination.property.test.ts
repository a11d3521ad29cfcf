import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PageQuery, pageOf, pageResponse, type PageRequest } from './pagination.ts';

/**
 * Properties of list paging on generated pages (fast-check, fixed seed): every page URL a list
 * response hands out is accepted by PageQuery and asks for exactly the neighbouring page, so a client
 * following `next_page_url` then `previous_page_url` (Twilio's helper libraries do) walks the list
 * without skipping or repeating an item.
 */
const RUNS = { seed: 50, numRuns: 500 };
const LIST = 'https://verity.example/v2/Services';

/** Reads a page URL back the way the route does: its query through PageQuery, then pageOf. */
function follow(url: string): PageRequest {
  const { origin, pathname, searchParams } = new URL(url);
  assert.equal(origin + pathname, LIST);
  return pageOf(PageQuery.parse(Object.fromEntries(searchParams)));
}

// Offsets stay below 10^9: PageToken is `PT` + at most 9 digits (see the report in notes/tests.md).
const request = fc
  .record({ pageSize: fc.integer({ min: 1, max: 1000 }), page: fc.integer({ min: 0, max: 10_000 }), extra: fc.nat({ max: 999 }) })
  .map(({ pageSize, page, extra }) => ({ pageSize, page, offset: page * pageSize + (extra % pageSize) }));

test('next_page_url and previous_page_url are accepted and ask for the adjacent page: offsets move by exactly PageSize', () => {
  fc.assert(
    fc.property(request, fc.boolean(), (current, hasMore) => {
      const meta = pageResponse('services', [], current, hasMore, LIST).meta as Record<string, string | number | null>;
      assert.deepEqual(follow(meta.url as string), current);
      assert.deepEqual(follow(meta.first_page_url as string), { page: 0, pageSize: current.pageSize, offset: 0 });
      if (hasMore) {
        const next = follow(meta.next_page_url as string);
        assert.deepEqual(next, { page: current.page + 1, pageSize: current.pageSize, offset: current.offset + current.pageSize });
        const back = pageResponse('services', [], next, true, LIST).meta as Record<string, string | null>;
        assert.deepEqual(follow(back.previous_page_url as string), current, 'next then previous returns to the same page');
      } else {
        assert.equal(meta.next_page_url, null);
      }
      if (current.page === 0) assert.equal(meta.previous_page_url, null);
      else assert.ok(follow(meta.previous_page_url as string).offset >= 0, 'previous offset never negative');
    }),
    RUNS,
  );
});

test('PageToken takes precedence over Page for the offset, and a token outside PT + 1–9 digits is refused', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.nat({ max: 999_999_999 }), fc.string({ maxLength: 12 }), (size, page, offset, junk) => {
      assert.deepEqual(pageOf(PageQuery.parse({ PageSize: String(size), Page: String(page), PageToken: `PT${offset}` })), { page, pageSize: size, offset });
      const token = `PT${junk}`;
      assert.equal(PageQuery.safeParse({ PageToken: token }).success, /^PT\d{1,9}$/.test(token), token);
    }),
    RUNS,
  );
});

test('a list\'s filters ride on every page URL, encoded, and an absent filter adds nothing', () => {
  fc.assert(
    fc.property(request, fc.string({ maxLength: 20 }), fc.option(fc.constantFrom('pending', 'approved')), (current, factor, status) => {
      const meta = pageResponse('challenges', [], current, true, LIST, { FactorSid: factor, Status: status ?? undefined }).meta as Record<string, string | null>;
      for (const key of ['first_page_url', 'url', 'next_page_url']) {
        const params = new URL(meta[key] ?? '').searchParams;
        assert.equal(params.get('FactorSid'), factor, key);
        assert.equal(params.get('Status'), status, key);
      }
    }),
    RUNS,
  );
});
