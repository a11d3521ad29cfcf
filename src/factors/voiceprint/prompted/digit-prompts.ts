import { randomInt } from 'node:crypto';

/**
 * Digits in a challenge prompt: 4–6 (speaker-verification.md §4: a random order of enrolled words).
 * 6 by default, with one misheard digit tolerated (DIGIT_MATCHING): over a noisy phone line that
 * accepted 89/96 genuine attempts against 80/96 for 5 digits with none tolerated
 * (bench/voiceprint-digits.ts).
 */
export const CHALLENGE_DIGITS = { min: 4, max: 6, default: 6 } as const;

/**
 * Misheard digits the check forgives: `count` substitutions in a prompt of at least `from` digits.
 * Every new challenge prompt therefore differs from each earlier one of the factor in more than
 * `count` places (randomChallengePrompt), or a recording of an earlier attempt would pass.
 */
const MISHEARD_DIGITS_TOLERATED = { count: 1, from: 6 } as const;

/** Substitutions the check forgives in a prompt of this length. */
export const toleratedErrors = (length: number): number => (length >= MISHEARD_DIGITS_TOLERATED.from ? MISHEARD_DIGITS_TOLERATED.count : 0);
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

/**
 * A fresh challenge prompt from the CSPRNG that no recording of a prompt in `used` can answer: it
 * differs from each of them in more places than the check forgives (toleratedErrors). With 2000
 * earlier 6-digit prompts that rules out about a fifth of the candidates, so the loop ends quickly.
 */
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
    const forgiven = toleratedErrors(length);
    if (![...used].some((earlier) => earlier.length === length && differingPlaces(earlier, digits) <= forgiven)) return digits;
  }
}

function differingPlaces(a: string, b: string): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) count++;
  return count;
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
