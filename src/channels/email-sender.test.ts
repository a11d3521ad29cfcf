import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerityError } from '../errors/verity-error.ts';
import { emailChannelConfiguration, fromNameProblem, isAllowedSender, parseMailbox } from './email-sender.ts';

const options = { defaultFrom: 'Acme <codes@acme.example>', allowedFrom: ['security@acme.example', '@mail.acme.example'] };

test('VERITY_EMAIL_FROM is read as name and address', () => {
  assert.deepEqual(parseMailbox('Acme <codes@acme.example>'), { name: 'Acme', address: 'codes@acme.example' });
  assert.deepEqual(parseMailbox('"Acme Bank" <codes@acme.example>'), { name: 'Acme Bank', address: 'codes@acme.example' });
  assert.deepEqual(parseMailbox('codes@acme.example'), { address: 'codes@acme.example' });
});

test('only the default address, listed addresses and listed domains may be senders', () => {
  assert.equal(isAllowedSender('CODES@acme.example', options.defaultFrom, options.allowedFrom), true);
  assert.equal(isAllowedSender('security@acme.example', options.defaultFrom, options.allowedFrom), true);
  assert.equal(isAllowedSender('x@mail.acme.example', options.defaultFrom, options.allowedFrom), true);
  assert.equal(isAllowedSender('x@acme.example', options.defaultFrom, options.allowedFrom), false);
  assert.equal(isAllowedSender('x@evil.mail.acme.example', options.defaultFrom, options.allowedFrom), false, 'a subdomain is not the listed domain');
});

test('display names cannot inject headers, show a second address or a link', () => {
  assert.equal(fromNameProblem('Acme Security'), undefined);
  assert.equal(fromNameProblem('Société Générale'), undefined);
  for (const bad of ['A\r\nBcc: x@y.z', 'A\u0000', '"Acme"', 'a@b', '<Acme>', 'A\\B', 'acme-login.example', '', 'Acme \u034F Security', 'Acme\uFE0F', 'Acme\u3164']) assert.ok(fromNameProblem(bad), JSON.stringify(bad));
});

test('ChannelConfiguration is parsed as the hosted API reads it for email', () => {
  assert.deepEqual(emailChannelConfiguration(undefined, options), {});
  assert.deepEqual(emailChannelConfiguration('{"from":"security@acme.example","from_name":"Acme Security","unknown":1}', options), { sender: { address: 'security@acme.example', name: 'Acme Security' } });
  assert.deepEqual(emailChannelConfiguration('{"from_name":"Login"}', options), { sender: { address: 'codes@acme.example', name: 'Login' } });
  const sid = `HJ${'a'.repeat(32)}`;
  assert.deepEqual(emailChannelConfiguration(JSON.stringify({ template_id: sid, substitutions: { a: 'b' } }), options), { templateSid: sid, substitutions: { a: 'b' } });
  for (const bad of ['[]', 'nope', '{"from":"ceo@bank.example"}', '{"from":42}', '{"template_id":"d-123"}', '{"substitutions":[1]}']) {
    assert.throws(() => emailChannelConfiguration(bad, options), (e: unknown) => e instanceof VerityError && e.code === 60200 && /ChannelConfiguration/.test(e.message), bad);
  }
});
