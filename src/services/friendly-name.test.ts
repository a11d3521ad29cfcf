import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerityError } from '../errors/verity-error.ts';
import { friendlyName, friendlyNameProblem } from './friendly-name.ts';

/** Names that must pass: real businesses' names in several scripts. */
const ACCEPTED: readonly string[] = [
  'Acme',
  'Acme Bank',
  'Café Müller',
  'AT&T',
  "St. John's",
  'St. John’s Hospital',
  'Acme Inc.',
  'J.P. Morgan',
  'Ben & Jerry’s',
  'Studio 54',
  '7-Eleven',
  'Shop 24/7',
  'Ørsted',
  'Zürich Versicherung',
  'Société Générale',
  'Дом книги',
  '東京銀行',
  'बैंक',
  "L'Oréal",
  'Mr. Smith',
  'login-app',
  // Digits up to 5 (issue 15: Twilio accepts them; a code-length run or a phone number stays refused).
  'Acme 12345',
  'Acme 2024',
  '1.2.3.4',
  'Acme １２３４',
  'Acme ٠١٢٣',
  'x'.repeat(32),
];

/** Names that must be refused, with what the refusal must say. */
const REFUSED: ReadonlyArray<{ name: string; why: RegExp }> = [
  // Invisible characters a URL parser drops from a host name (`bit\u034F.ly` is bit.ly), and fillers.
  { name: 'bit\u034f.ly/x', why: /invisible/ },
  { name: 'evil\u034f.example/login', why: /invisible/ },
  { name: 'bit\ufe0f.ly', why: /invisible/ },
  { name: 'bit\u180b.ly', why: /invisible/ },
  { name: 'Acme\u3164Bank', why: /invisible/ },
  { name: 'Acme\u115fBank', why: /invisible/ },
  { name: 'Acme\u2800Bank', why: /invisible/ },
  // Links, in every shape an SMS app would turn into one.
  { name: 'bit.ly/x', why: /links/ },
  { name: 'evil.example/login', why: /links/ },
  { name: 'Acme evil.co', why: /links/ },
  { name: 'https://evil', why: /links/ },
  { name: 'Acme http://x', why: /links/ },
  { name: 'HTTPS://EVIL', why: /links/ },
  { name: 'www.evil', why: /links/ },
  { name: 'Acme WWW.Evil', why: /links/ },
  { name: 'ｗｗｗ．evil', why: /links/ },
  { name: 'evil。com', why: /links/ },
  { name: 'javascript:alert', why: /links/ },
  { name: 'tel:+1', why: /links/ },
  { name: 'me@evil.io', why: /links/ },
  { name: 'xn--80ak6aa92e.com', why: /links/ },
  // Digits that could be a phone number or a code, however spaced.
  { name: 'Acme 123456', why: /digits/ },
  { name: 'Code 1 2 3 4 5 6', why: /digits/ },
  { name: 'Code 12-34-56', why: /digits/ },
  { name: 'Call 555 0100', why: /digits/ },
  { name: 'Acme １２３４５６', why: /digits/ },
  { name: 'Acme ①②③④⑤⑥', why: /digits/ },
  { name: 'Acme ٠١٢٣٤٥', why: /digits/ },
  // A line of its own, or hidden characters.
  { name: 'Acme\nYour code is', why: /line breaks/ },
  { name: 'Acme\r\nBank', why: /line breaks/ },
  { name: 'Acme\tBank', why: /line breaks/ },
  { name: 'Acme\u2028Bank', why: /line breaks/ },
  { name: 'Acme\u0000', why: /line breaks/ },
  { name: 'Acme\u202Eknab', why: /line breaks/ },
  { name: 'Ac\u200Bme', why: /line breaks/ },
  { name: 'Acme\u001b[31m', why: /line breaks/ },
  // Markup, emptiness, length.
  { name: '<b>Acme</b>', why: /markup/ },
  { name: 'Acme {code}', why: /markup/ },
  { name: '   ', why: /empty/ },
  { name: '', why: /empty/ },
  { name: 'x'.repeat(33), why: /at most 32 characters/ },
];

for (const name of ACCEPTED) {
  test(`friendly name accepted: ${JSON.stringify(name)}`, () => {
    assert.equal(friendlyNameProblem(name), undefined);
    assert.equal(friendlyName('FriendlyName', name), name);
  });
}

for (const { name, why } of REFUSED) {
  test(`friendly name refused: ${JSON.stringify(name)}`, () => {
    assert.match(friendlyNameProblem(name) ?? 'accepted', why);
    for (const parameter of ['FriendlyName', 'CustomFriendlyName']) {
      assert.throws(
        () => friendlyName(parameter, name),
        (error: unknown) => error instanceof VerityError && error.code === 60200 && error.message.startsWith(`Invalid parameter: ${parameter} (`),
      );
    }
  });
}

test('a name is stored trimmed', () => {
  assert.equal(friendlyName('FriendlyName', '  Acme Bank '), 'Acme Bank');
});

test('a missing name is no name, not an error', () => {
  assert.equal(friendlyName('CustomFriendlyName', undefined), undefined);
});
