import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customVariables, fillTemplate, missingVariables, substitutionProblem, templateTextProblem, templateVariables } from './template-text.ts';

const strict = { allowLinks: false };

test('variables are read from {{name}} placeholders, Verity\'s own set apart from custom ones', () => {
  const text = 'Hi {{first_name}}, your {{friendly_name}} code is {{ code }} ({{uuid}}, {{first_name}})';
  assert.deepEqual(templateVariables(text), ['first_name', 'friendly_name', 'code', 'uuid']);
  assert.deepEqual(customVariables(text), ['first_name', 'uuid']);
  assert.deepEqual(missingVariables(text, { first_name: 'Ada' }), ['uuid']);
});

test('filling is one pass: a value that looks like a placeholder stays text', () => {
  assert.equal(fillTemplate('{{a}} then {{code}}', { a: '{{code}}', code: '123456' }), '{{code}} then 123456');
  assert.equal(fillTemplate('{{code}} {{unknown}}!', { code: '1' }), '1 !');
});

test('a template text needs {{code}} and refuses links, markup, controls and stray braces', () => {
  assert.equal(templateTextProblem('Your {{friendly_name}} code is {{code}}', strict), undefined);
  assert.equal(templateTextProblem('Line one {{code}}\nline two', strict), undefined, 'line breaks are text');
  assert.match(templateTextProblem('Your code', strict) ?? '', /\{\{code\}\}/);
  assert.match(templateTextProblem('{{code}} at https://x.example', strict) ?? '', /links/);
  assert.match(templateTextProblem('{{code}} at ｗｗｗ．evil', strict) ?? '', /links/);
  assert.equal(templateTextProblem('{{code}} at https://x.example', { allowLinks: true }), undefined);
  assert.match(templateTextProblem('<a>{{code}}</a>', strict) ?? '', /markup/);
  assert.match(templateTextProblem('{{code}} {{oops', strict) ?? '', /placeholders/);
  assert.match(templateTextProblem('{{code}}\u200B', strict) ?? '', /control/);
  assert.match(templateTextProblem('{{code}} {{a}}{{b}}{{c}}{{d}}{{e}}{{f}}', strict) ?? '', /at most 5/);
  assert.match(templateTextProblem(`{{code}}${'x'.repeat(320)}`, strict) ?? '', /at most 320/);
});

test('a substitution value is plain short text', () => {
  assert.equal(substitutionProblem('Ada Lovelace'), undefined);
  assert.equal(substitutionProblem('3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f'), undefined);
  assert.match(substitutionProblem('bit.ly/x') ?? '', /links/);
  assert.match(substitutionProblem('a\nb') ?? '', /line breaks/);
  assert.match(substitutionProblem('{{code}}') ?? '', /markup/);
  assert.match(substitutionProblem('x'.repeat(65)) ?? '', /at most 64/);
});

test('invisible characters a friendly name refuses are refused in texts and values too (default-ignorable, private use, unassigned, lone surrogates)', () => {
  for (const ch of ['\u034F', '\uFE0F', '\u115F', '\u3164', '\uE000', '\u0378', '\uD800', '\u2800']) {
    assert.match(templateTextProblem(`{{code}} bit${ch}.ly`, strict) ?? '', /control or invisible/, JSON.stringify(ch));
    assert.match(substitutionProblem(`x${ch}y`) ?? '', /invisible/, JSON.stringify(ch));
  }
  assert.equal(templateTextProblem('{{code}}\n\u00E9\u0301 \u{1F512}', strict), undefined, 'line breaks, combining accents and emoji stay text');
});

test('a placeholder named like an Object.prototype member is a custom variable like any other, never filled from the prototype', () => {
  const text = '{{code}} {{constructor}} {{toString}}';
  assert.deepEqual(missingVariables(text, {}), ['constructor', 'toString']);
  assert.equal(fillTemplate(text, { code: '1' }), '1  ');
  assert.equal(fillTemplate(text, { code: '1', constructor: 'a', toString: 'b' } as never), '1 a b');
});
