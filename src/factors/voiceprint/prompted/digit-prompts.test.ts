import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CHALLENGE_DIGITS, ENROLLMENT_PROMPT_LENGTH, ENROLLMENT_PROMPTS, formatPrompt, randomChallengePrompt, randomEnrollmentPrompts, spokenPrompt } from './digit-prompts.ts';

describe('digit prompts', () => {
  test('enrolment prompts: 3 × 7 digits, every digit at least twice, no digit twice in a row', () => {
    for (let run = 0; run < 200; run++) {
      const prompts = randomEnrollmentPrompts();
      assert.equal(prompts.length, ENROLLMENT_PROMPTS);
      for (const p of prompts) {
        assert.match(p, new RegExp(`^[0-9]{${ENROLLMENT_PROMPT_LENGTH}}$`));
        assert.doesNotMatch(p, /(.)\1/);
      }
      for (const d of '0123456789') assert.ok(prompts.join('').split(d).length - 1 >= 2, `${d} in ${prompts.join(' ')}`);
    }
  });

  test('challenge prompts: 6 digits by default, each at least 2 digits away from every earlier one (one misheard digit is forgiven), within 4–6 digits', () => {
    const used = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const p = randomChallengePrompt(used);
      assert.match(p, /^[0-9]{6}$/);
      for (const earlier of used) {
        const differing = [...p].filter((digit, k) => digit !== earlier[k]).length;
        assert.ok(differing >= 2, `${p} is ${differing} digit(s) away from ${earlier}, given before: a recording of that attempt would pass`);
      }
      used.add(p);
    }
    assert.match(randomChallengePrompt(new Set(), CHALLENGE_DIGITS.min), /^[0-9]{4}$/);
    assert.match(randomChallengePrompt(new Set(), 5), /^[0-9]{5}$/);
    assert.match(randomChallengePrompt(new Set(), CHALLENGE_DIGITS.max), /^[0-9]{6}$/);
    assert.throws(() => randomChallengePrompt(new Set(), 3), RangeError);
  });

  test('shown with spaces, spoken one digit at a time', () => {
    assert.equal(formatPrompt('4719'), '4 7 1 9');
    assert.equal(spokenPrompt('4719'), '4, 7, 1, 9');
  });
});
