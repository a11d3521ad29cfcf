import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sigV4Signature } from './fake-sns.ts';

// The fake SNS checks the SDK's SigV4 signatures with its own implementation; this pins that
// implementation to AWS's published example (aws-sig-v4-test-suite "get-vanilla": GET / on
// example.amazonaws.com, AKIDEXAMPLE, 2015-08-30, us-east-1, service "service").
test('the fake\'s SigV4 signer gives the signature of AWS\'s get-vanilla example', () => {
  const emptyHash = createHash('sha256').update('').digest('hex');
  const signature = sigV4Signature(
    { method: 'GET', path: '/', query: '', headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }, payloadHash: emptyHash },
    ['host', 'x-amz-date'],
    { date: '20150830', region: 'us-east-1', service: 'service' },
    '20150830T123600Z',
    'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  );
  assert.equal(signature, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
});
