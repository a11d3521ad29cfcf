import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { VerificationRow } from '../../store/schema.ts';
import { verificationEventPayload } from '../../verify/lifecycle/verification-event-payload.ts';
import { verificationCheckResource } from './verification-resource.ts';

const row = {
  sid: 'VE00000000000000000000000000000001',
  service_sid: 'VA00000000000000000000000000000001',
  account_sid: 'AC00000000000000000000000000000001',
  destination: '+15005550006',
  channel: 'sms',
  status: 'approved',
  amount: null,
  payee: null,
  date_created: Date.UTC(2026, 0, 2, 3, 4, 5),
  date_updated: Date.UTC(2026, 0, 2, 3, 5, 6),
  check_attempts: 2,
} as unknown as VerificationRow;

it('a verification event carries the VerificationCheck resource and check_attempts, in that order', () => {
  // The webhook payload (domain, built in the transaction) and the API resource (edge) are written
  // separately; their bytes must stay the same as when one was built from the other.
  assert.equal(JSON.stringify(verificationEventPayload(row)), JSON.stringify({ ...verificationCheckResource(row), check_attempts: 2 }));
});
