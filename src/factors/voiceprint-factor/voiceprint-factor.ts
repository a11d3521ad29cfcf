import type { AppContext } from '../../context.ts';
import { newSid } from '../../crypto/random.ts';
import { seal, unseal } from '../../crypto/seal.ts';
import { VOICEPRINTS_UNAVAILABLE } from '../../config/voiceprint-config.ts';
import { DomainError } from '../../errors/domain-error.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import type { Audio } from '../voiceprint/audio/audio.ts';
import { insertFactor, openBinding, sealBinding } from '../factor-binding.ts';
import { announceOutbox, recordFactorEvent } from '../record-factor-event.ts';
import { voiceprintEngine, type VoiceprintEngineLike } from './engine.ts';
import { digitSequences } from '../voiceprint/prompted/digit-templates.ts';
import { decodeRecording, decodeSealedRecording, encodeRecording, invalidRecording, qualityError } from './recordings.ts';
import { enrollmentPrompts, promptDigits } from './voiceprint-prompts.ts';
import { voiceprintSettings } from './voiceprint-settings.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type VoiceprintFactorDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'stores' | 'voiceprints'>;

/** Recordings of the pass phrase that make a voiceprint. */
export const ENROLLMENT_RECORDINGS = 3;

/** `config` of a voiceprint factor. */
export interface VoiceprintConfig {
  recordings_needed: number;
  recordings_accepted: number;
  /** 16000 when enrolled in a browser, 8000 over a phone call; null before the first recording. */
  sample_rate: number | null;
  /** Digits mode only (`Voiceprint.Mode` when the factor was created): the enrolment prompts, as shown. */
  mode?: 'digits';
  prompts?: string[];
  /** Digits mode only: what the next enrolment recording must say ("4 7 1 9 3 0 2"); null once verified. */
  prompt?: string | null;
}

/** What a digits-mode recording that does not split into its prompt's digits is refused with (64011). */
const DIGITS_UNCLEAR = { code: 'digits_unclear', message: 'We could not hear each digit separately: say the digits shown again, with a short pause after each.' } as const;

export const recordingContext = (sid: string): string => `recording:${sid}`;

/**
 * NIST SP 800-63B-4 §3.2.3: a biometric is never the only factor. A voiceprint can be enrolled only
 * by an entity that already has a verified non-biometric factor or unused recovery codes, so the
 * user always has another way in.
 */
async function assertAlternativeFactor(ctx: VoiceprintFactorDeps, entity: EntityRow): Promise<void> {
  const factors = await ctx.stores.factors.list(entity.sid, 100, 0);
  const other = factors.some((f) => f.factor_type !== 'voiceprint' && f.status === 'verified');
  const codes = (await ctx.stores.recoveryCodes.summary(entity.sid)).remaining > 0;
  if (!other && !codes) throw new DomainError('not_applicable', 'Invalid Param: FactorType (a voiceprint needs another verified factor or recovery codes first: a biometric is never the only factor)');
}

/** Creates an unverified voiceprint factor; it becomes verified when its recordings make a voiceprint. */
export async function createVoiceprintFactor(ctx: VoiceprintFactorDeps, service: ServiceRow, entity: EntityRow, input: { friendlyName: string; metadata?: Record<string, unknown> | undefined }): Promise<FactorRow> {
  requireEngine(ctx);
  await assertAlternativeFactor(ctx, entity);
  const base: VoiceprintConfig = { recordings_needed: ENROLLMENT_RECORDINGS, recordings_accepted: 0, sample_rate: null };
  const prompts = voiceprintSettings(service).mode === 'digits' ? enrollmentPrompts() : undefined;
  const config: VoiceprintConfig = prompts ? { ...base, mode: 'digits', prompts, prompt: prompts[0]! } : base;
  return insertFactor(ctx, service, entity, { factorType: 'voiceprint', friendlyName: input.friendlyName, binding: '', config, metadata: input.metadata });
}

export function voiceprintConfig(row: FactorRow): VoiceprintConfig {
  return JSON.parse(row.config) as VoiceprintConfig;
}

function requireEngine(ctx: VoiceprintFactorDeps): VoiceprintEngineLike {
  const engine = voiceprintEngine(ctx);
  if (!engine) throw new DomainError('not_applicable', `Invalid Param: FactorType (${VOICEPRINTS_UNAVAILABLE})`);
  return engine;
}

export interface EnrollmentProgress {
  factor: FactorRow;
  /** Why the last recording was not kept, when it was not (the page shows `message`). */
  problem?: { code: string; message: string } | undefined;
}

/**
 * Adds one enrolment recording. Each is checked for quality first (a specific error the page can
 * show); the third accepted one builds the voiceprint — unless one recording does not sound like the
 * others, which is then dropped and asked for again. Audio is kept sealed only until the voiceprint
 * exists (or longer if the service retains audio); the voiceprint is sealed in the factor's binding.
 */
export async function addEnrollmentRecording(ctx: VoiceprintFactorDeps, service: ServiceRow, factor: FactorRow, wav: Uint8Array): Promise<EnrollmentProgress> {
  const engine = requireEngine(ctx);
  if (factor.factor_type !== 'voiceprint') throw new DomainError('not_applicable', 'Invalid Param: only voiceprint factors take recordings');
  if (factor.status === 'verified') throw new DomainError('wrong_state', 'Invalid Request: this voiceprint is already enrolled; delete the factor to enroll again');
  const audio = decodeRecording(wav);
  const config = voiceprintConfig(factor);
  if (config.sample_rate !== null && config.sample_rate !== audio.sampleRate) throw invalidRecording(`expected ${config.sample_rate} Hz like the earlier recordings of this enrolment`);
  const quality = engine.checkQuality(audio, 'enroll');
  if (!quality.ok) throw qualityError(quality.problems);
  // Digits mode: the recording must say the digits shown, one by one (checked again, by DTW, once all are in).
  const digits = config.mode === 'digits' && config.prompt ? promptDigits(config.prompt) : undefined;
  if (digits !== undefined && !digitSequences(audio, digits.length)) throw qualityError([DIGITS_UNCLEAR]);

  const store = ctx.stores.voiceprints;
  const now = ctx.clock.now();
  const sid = newSid('RE');
  await store.addRecording({ sid, factor_sid: factor.sid, purpose: 'enroll', audio_sealed: seal(ctx.keyring, encodeRecording(wav, digits), recordingContext(sid)), date_created: now });
  const rows = await store.recordings(factor.sid, 'enroll');
  const opened = rows.map((r) => decodeSealedRecording(unseal(ctx.keyring, r.audio_sealed, recordingContext(r.sid))));
  const accepted = { ...config, recordings_accepted: rows.length, sample_rate: audio.sampleRate, ...nextPrompt(config, opened) };
  if (rows.length < ENROLLMENT_RECORDINGS) {
    const updated = await ctx.stores.factors.update(factor.sid, { config: JSON.stringify(accepted), date_updated: now });
    return { factor: updated ?? factor };
  }

  const recordings: Audio[] = opened.map((r) => decodeRecording(r.wav));
  const prompts = config.mode === 'digits' ? opened.map((r) => r.prompt ?? '') : undefined;
  const result = await engine.enroll(recordings, { prompts });
  if (!result.voiceprint) {
    // Drop the recordings the engine found inconsistent; the user records those again.
    const bad = new Set(result.problems.map((p) => p.index));
    for (const [i, row] of rows.entries()) if (bad.has(i)) await store.deleteRecording(row.sid);
    const left = rows.length - bad.size;
    const kept = nextPrompt(config, opened.filter((_, i) => !bad.has(i)));
    const updated = await ctx.stores.factors.update(factor.sid, { config: JSON.stringify({ ...accepted, recordings_accepted: left, ...kept }), date_updated: now });
    const first = result.problems[0];
    return { factor: updated ?? factor, problem: first ? { code: first.code, message: first.message } : { code: 'inconsistent', message: 'Say the same phrase again.' } };
  }

  const verified = await ctx.stores.transaction(async (trx) => {
    // Conditional on `unverified`: of two concurrent final recordings, one builds the voiceprint.
    const done = config.mode === 'digits' ? { ...accepted, prompt: null } : accepted;
    const row = await trx.factors.verify(factor.sid, now, { secret_sealed: sealBinding(ctx, factor.sid, JSON.stringify(result.voiceprint)), config: JSON.stringify(done) });
    if (!voiceprintSettings(service).retainAudio) await trx.voiceprints.deleteRecordings(factor.sid, 'enroll');
    if (row) await recordFactorEvent(ctx, trx, 'factor.verified', row);
    return row;
  });
  if (verified) announceOutbox(ctx, 'factor.verified', factor.sid);
  return { factor: verified ?? (await ctx.stores.factors.findBySid(factor.sid)) ?? factor };
}

/** Digits mode: the first enrolment prompt no kept recording has said yet (what the page and API show next). */
function nextPrompt(config: VoiceprintConfig, kept: ReadonlyArray<{ prompt: string | undefined }>): Pick<VoiceprintConfig, 'prompt'> {
  if (config.mode !== 'digits' || !config.prompts) return {};
  const said = new Set(kept.map((r) => r.prompt));
  return { prompt: config.prompts.find((p) => !said.has(promptDigits(p))) ?? config.prompts[0]! };
}

/** The factor's voiceprint, opened from its sealed binding. */
export function openVoiceprint(ctx: VoiceprintFactorDeps, factor: FactorRow): unknown {
  return JSON.parse(openBinding(ctx, factor)) as unknown;
}
