import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerityError } from '../errors/verity-error.ts';
import { checkPayment, paymentTextProblem } from './payment-text.ts';

test('amounts and merchant names pass, links and hidden lines do not', () => {
  for (const ok of ['€39.99', '1,234.00 USD', 'Amazon.com', 'Café Müller', 'AT&T', 'Hotel: Ritz']) assert.equal(paymentTextProblem(ok), undefined, ok);
  for (const bad of ['https://evil.example', 'www.evil.example', 'evil.example/login', 'Acme\nCall us', 'Acme\u202E', 'Acme\u034F', 'Acme\u3164', 'tel:+18005550199', 'Call sms:+1800', 'mailto:x@evil.example', '<b>x</b>', ' ']) assert.ok(paymentTextProblem(bad), JSON.stringify(bad));
});

test('a PSD2 service needs both (60206); bad text is 60200 naming the parameter', () => {
  assert.throws(() => checkPayment(true, '€1', undefined), (e: unknown) => e instanceof VerityError && e.code === 60206);
  assert.throws(() => checkPayment(false, 'https://x.example', undefined), (e: unknown) => e instanceof VerityError && e.code === 60200 && /Amount/.test(e.message));
  assert.doesNotThrow(() => checkPayment(true, '€1', 'Acme'));
  assert.doesNotThrow(() => checkPayment(false, undefined, undefined));
});
