import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/** NIST SP 800-63B §5.1.1.2: at least 8 characters; accept at least 64 (we cap at 128 to bound hashing work). */
const PASSWORD_MIN_LENGTH = 8;
const PASSWORD_MAX_LENGTH = 128;
const MIN_SCORE = 3;

const zxcvbn = new ZxcvbnFactory({ translations: en.translations, graphs: common.adjacencyGraphs, dictionary: { ...common.dictionary, ...en.dictionary } });
const COMMON_PASSWORDS = new Set(common.dictionary['passwords-common'].map((p) => p.toLowerCase()));

export type PasswordVerdict =
  | { ok: true; score: number }
  | { ok: false; reason: 'length' | 'common' | 'weak'; message: string; suggestions: string[] };

/**
 * NIST SP 800-63B §5.1.1.2: refuse passwords from lists of commonly used ones (zxcvbn's list of
 * the most common passwords) outright, and guessable ones (zxcvbn score below 3) with its advice.
 * `userInputs` (the username, the phone) count as guessable words.
 */
export function checkPasswordPolicy(password: string, userInputs: string[] = []): PasswordVerdict {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    return { ok: false, reason: 'length', message: `Use ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters (yours has ${length}).`, suggestions: [] };
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return { ok: false, reason: 'common', message: 'This password is on the list of the most commonly used passwords, which attackers try first. Choose another one.', suggestions: [] };
  }
  const result = zxcvbn.check(password, userInputs.filter((s) => s.length > 0));
  if (result.score < MIN_SCORE) {
    const warning = result.feedback.warning ?? 'This password is too easy to guess.';
    return { ok: false, reason: 'weak', message: `${warning} (strength ${result.score} of 4; at least ${MIN_SCORE} is needed)`, suggestions: result.feedback.suggestions };
  }
  return { ok: true, score: result.score };
}
