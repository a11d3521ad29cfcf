import { randomInt } from 'node:crypto';

/**
 * Digits in a challenge prompt: 4–6 (speaker-verification.md §4: a random order of enrolled words).
 * 6 by default, with one misheard digit tolerated (DIGIT_MATCHING): over a noisy phone line that
 * accepted 89/96 genuine attempts against 80/96 for 5 digits with none tolerated
 * (bench/voiceprint-digits.ts), and a replayed earlier attempt still needs ≥ 5 of 6 digits right by
 * chance (≈ 6·10⁻⁵).
 */
export const CHALLENGE_DIGITS = { min: 4, max: 6, default: 6 } as const;
/** Enrolment in digits mode: 3 recordings of 7 digits, every digit at least twice over the three. */
export const ENROLLMENT_PROMPTS = 3;
export const ENROLLMENT_PROMPT_LENGTH = 7;

/** A prompt as stored and compared: the digits only, e.g. "4719". */
export type DigitString = string;

export const isDigitString = (value: unknown): value is DigitString => typeof value === 'string' && /^[0-9]{1,12}$/.test(value);

/** "4719" → "4 7 1 9": what pages show (and screen readers read digit by digit). */
export function formatPrompt(digits: DigitString): string {
  return digits.split('').join(' ');
}

/**
 * What a call should say to ask for the digits: one digit per word with commas, so a text-to-speech
 * voice reads them one by one with short pauses ("4, 7, 1, 9") rather than as a number.
 */
export function spokenPrompt(digits: DigitString): string {
  return digits.split('').join(', ');
}

/** A fresh challenge prompt from the CSPRNG, different from every prompt in `used`. */
export function randomChallengePrompt(used: ReadonlySet<string> = new Set(), length: number = CHALLENGE_DIGITS.default): DigitString {
  if (length < CHALLENGE_DIGITS.min || length > CHALLENGE_DIGITS.max) throw new RangeError(`a challenge prompt has ${CHALLENGE_DIGITS.min}–${CHALLENGE_DIGITS.max} digits`);
  for (;;) {
    let digits = '';
    // No digit twice in a row: two equal neighbours are hard to segment when said quickly.
    while (digits.length < length) {
      const next = String(randomInt(10));
      if (digits.endsWith(next)) continue;
      digits += next;
    }
    if (!used.has(digits)) return digits;
  }
}

/**
 * The enrolment prompts: ENROLLMENT_PROMPTS strings of ENROLLMENT_PROMPT_LENGTH digits, together
 * every digit at least twice (21 digits: each twice and one more), in a CSPRNG-shuffled order with
 * no digit twice in a row within a prompt.
 */
export function randomEnrollmentPrompts(): DigitString[] {
  const total = ENROLLMENT_PROMPTS * ENROLLMENT_PROMPT_LENGTH;
  for (;;) {
    const pool = [...'01234567890123456789'];
    while (pool.length < total) pool.push(String(randomInt(10)));
    for (let i = pool.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    const prompts = Array.from({ length: ENROLLMENT_PROMPTS }, (_, k) => pool.slice(k * ENROLLMENT_PROMPT_LENGTH, (k + 1) * ENROLLMENT_PROMPT_LENGTH).join(''));
    if (prompts.every((p) => !/(.)\1/.test(p))) return prompts;
  }
}
