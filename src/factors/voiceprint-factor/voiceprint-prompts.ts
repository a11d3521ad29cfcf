import { formatPrompt, randomChallengePrompt, randomEnrollmentPrompts, spokenPrompt } from '../voiceprint/prompted/digit-prompts.ts';
import type { ChallengeRow, FactorRow } from '../../store/schema.ts';

/** How a voiceprint is checked: a fixed pass phrase (default) or digits Verity prompts afresh each time (`Voiceprint.Mode`). */
export type VoiceprintMode = 'pass_phrase' | 'digits';

/** Challenges of the factor looked at to keep a new prompt unused (newest first; more than a factor sees in years of sign-ins). */
const PROMPT_HISTORY = 2000;

/** The digits of a shown prompt ("4 7 1 9" → "4719"). */
export const promptDigits = (prompt: string): string => prompt.replace(/\D/g, '');

/** The enrolment prompts of a digits-mode factor, as shown ("4 7 1 9 3 0 2"), fixed when the factor is created. */
export function enrollmentPrompts(): string[] {
  return randomEnrollmentPrompts().map(formatPrompt);
}

/**
 * The prompt of a new challenge of a digits-mode voiceprint factor (`details.prompt`, "4 7 1 9 3 0"):
 * fresh digits from the CSPRNG, never one an earlier challenge of the factor was given, so a
 * recording of an earlier (even accepted) attempt says the wrong digits. Undefined for a
 * pass-phrase factor.
 */
export async function challengePrompt(challenges: { listForFactor(factorSid: string, status: string | undefined, limit: number): Promise<ChallengeRow[]> }, factor: FactorRow): Promise<string | undefined> {
  const config = JSON.parse(factor.config) as { mode?: string };
  if (factor.factor_type !== 'voiceprint' || config.mode !== 'digits') return undefined;
  const earlier = await challenges.listForFactor(factor.sid, undefined, PROMPT_HISTORY);
  const used = new Set(earlier.flatMap((c) => (c.details.prompt ? [promptDigits(c.details.prompt)] : [])));
  return formatPrompt(randomChallengePrompt(used));
}

/**
 * For a call (voiceprint-calls.ts): the digits the callee must say next, written for text-to-speech
 * one digit at a time ("4, 7, 1, 9, 3"), or undefined for a pass-phrase factor. Enrolment: the
 * factor's next enrolment prompt; a challenge: its own `details.prompt`. Read the factor afresh
 * after each kept enrolment recording (the prompt moves on).
 */
export function digitsToSay(factor: FactorRow, challenge: ChallengeRow | undefined): string | undefined {
  const config = JSON.parse(factor.config) as { mode?: string; prompt?: string | null };
  if (config.mode !== 'digits') return undefined;
  const prompt = challenge ? challenge.details.prompt : (config.prompt ?? undefined);
  return prompt === undefined ? undefined : spokenPrompt(promptDigits(prompt));
}
