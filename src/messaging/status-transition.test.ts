import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryAttemptRow } from '../store/schema.ts';
import { applyReport, isFinal } from './status-transition.ts';

const T0 = Date.UTC(2026, 0, 1);

function attempt(patch: Partial<DeliveryAttemptRow> = {}): DeliveryAttemptRow {
  return {
    sid: 'DA0', account_sid: 'AC0', service_sid: 'VA0', verification_sid: 'VE0', send_attempt_sid: 'VL0', channel: 'sms', destination_country: 'US', provider: 'p', route_id: 'r', route_position: 0,
    provider_message_id: 'm', parts: 1, status: 'queued', status_history: [{ status: 'queued', at: T0 }], error_code: null, error_message: null, price: null, price_unit: null, receipts: true,
    message_sealed: 'v1.x', deliver_by: T0 + 20_000, lease_until: 0, failover_reason: null, version: 3, date_created: T0, date_updated: T0, date_final: null,
    ...patch,
  };
}

/** Applies each report in turn, as the recorder would, and returns the attempt after them. */
function after(start: DeliveryAttemptRow, ...reports: Parameters<typeof applyReport>[1][]): DeliveryAttemptRow {
  return reports.reduce((row, report) => {
    const t = applyReport(row, report, T0 + 1);
    return t.outcome === 'unchanged' ? row : { ...row, ...t.patch };
  }, start);
}

describe('delivery status rules', () => {
  it('moves forward: queued → sent → delivered, with the history and the final time', () => {
    const row = after(attempt(), { status: 'sent', at: T0 + 100 }, { status: 'delivered', at: T0 + 900 });
    assert.equal(row.status, 'delivered');
    assert.deepEqual(row.status_history.map((h) => [h.status, h.at]), [['queued', T0], ['sent', T0 + 100], ['delivered', T0 + 900]]);
    assert.equal(row.date_final, T0 + 900);
    assert.equal(row.deliver_by, null, 'a final status ends the delivery time-out');
  });

  it('a late lower status is kept in the history once, and does not move the status back', () => {
    const delivered = after(attempt(), { status: 'delivered' });
    const t = applyReport(delivered, { status: 'sent' }, T0 + 5);
    assert.equal(t.outcome, 'recorded');
    assert.ok(t.outcome === 'recorded' && !t.statusChanged && !t.becameFinal, 'the status stays');
    const row = after(delivered, { status: 'sent' });
    assert.equal(row.status, 'delivered');
    assert.equal(applyReport(row, { status: 'sent' }, T0 + 6).outcome, 'unchanged', 'and only once');
  });

  it('the first final status stands', () => {
    const row = after(attempt(), { status: 'undelivered', errorCode: '30003', errorMessage: 'Unreachable' }, { status: 'delivered' });
    assert.equal(row.status, 'undelivered');
    assert.equal(row.error_code, '30003');
    assert.equal(row.error_message, 'Unreachable');
    assert.deepEqual(row.status_history.map((h) => h.status), ['queued', 'undelivered', 'delivered']);
  });

  it('a duplicate changes nothing; a price reported later is kept', () => {
    const row = after(attempt(), { status: 'delivered' });
    assert.equal(applyReport(row, { status: 'delivered' }, T0 + 9).outcome, 'unchanged');
    const priced = applyReport(row, { status: 'delivered', price: { amount: '0.0075', currency: 'USD' } }, T0 + 9);
    assert.ok(priced.outcome === 'recorded' && priced.patch.price === '0.0075' && priced.patch.price_unit === 'USD' && priced.patch.status_history === undefined, 'the price alone');
  });

  it('a rejection at send is final; sending is before everything', () => {
    assert.ok(isFinal('rejected') && isFinal('failed') && !isFinal('sending') && !isFinal('sent'), 'finals');
    const row = after(attempt({ status: 'sending', status_history: [] }), { status: 'queued' });
    assert.equal(row.status, 'queued');
  });
});
