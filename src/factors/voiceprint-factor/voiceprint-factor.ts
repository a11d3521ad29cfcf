import type { AppContext } from '../../context.ts';
import { newSid } from '../../crypto/random.ts';
import { seal, unseal } from '../../crypto/seal.ts';
import { DomainError } from '../../errors/domain-error.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import type { Audio } from '../voiceprint/audio/audio.ts';
import { insertFactor, openBinding, sealBinding } from '../factor-binding.ts';
import { announceOutbox, recordFactorEvent } from '../record-factor-event.ts';
import { voiceprintEngine, type VoiceprintEngineLike } from './engine.ts';
import { decodeRecording, encodeRecording, invalidRecording, qualityError } from './recordings.ts';
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
}

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
  const config: VoiceprintConfig = { recordings_needed: ENROLLMENT_RECORDINGS, recordings_accepted: 0, sample_rate: null };
  return insertFactor(ctx, service, entity, { factorType: 'voiceprint', friendlyName: input.friendlyName, binding: '', config, metadata: input.metadata });
}

export function voiceprintConfig(row: FactorRow): VoiceprintConfig {
  return JSON.parse(row.config) as VoiceprintConfig;
}

function requireEngine(ctx: VoiceprintFactorDeps): VoiceprintEngineLike {
  const engine = voiceprintEngine(ctx);
  if (!engine) throw new DomainError('not_applicable', 'Invalid Param: FactorType (voiceprints are not available: the background model files are missing, see models/README.md)');
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

  const store = ctx.stores.voiceprints;
  const now = ctx.clock.now();
  const sid = newSid('RE');
  await store.addRecording({ sid, factor_sid: factor.sid, purpose: 'enroll', audio_sealed: seal(ctx.keyring, encodeRecording(wav), recordingContext(sid)), date_created: now });
  const rows = await store.recordings(factor.sid, 'enroll');
  const accepted = { ...config, recordings_accepted: rows.length, sample_rate: audio.sampleRate };
  if (rows.length < ENROLLMENT_RECORDINGS) {
    const updated = await ctx.stores.factors.update(factor.sid, { config: JSON.stringify(accepted), date_updated: now });
    return { factor: updated ?? factor };
  }

  const recordings: Audio[] = rows.map((r) => decodeRecording(Buffer.from(unseal(ctx.keyring, r.audio_sealed, recordingContext(r.sid)), 'base64')));
  const result = engine.enroll(recordings);
  if (!result.voiceprint) {
    // Drop the recordings the engine found inconsistent; the user records those again.
    const bad = new Set(result.problems.map((p) => p.index));
    for (const [i, row] of rows.entries()) if (bad.has(i)) await store.deleteRecording(row.sid);
    const left = rows.length - bad.size;
    const updated = await ctx.stores.factors.update(factor.sid, { config: JSON.stringify({ ...accepted, recordings_accepted: left }), date_updated: now });
    const first = result.problems[0];
    return { factor: updated ?? factor, problem: first ? { code: first.code, message: first.message } : { code: 'inconsistent', message: 'Say the same phrase again.' } };
  }

  const verified = await ctx.stores.transaction(async (trx) => {
    // Conditional on `unverified`: of two concurrent final recordings, one builds the voiceprint.
    const row = await trx.factors.verify(factor.sid, now, { secret_sealed: sealBinding(ctx, factor.sid, JSON.stringify(result.voiceprint)), config: JSON.stringify(accepted) });
    if (!voiceprintSettings(service).retainAudio) await trx.voiceprints.deleteRecordings(factor.sid, 'enroll');
    if (row) await recordFactorEvent(ctx, trx, 'factor.verified', row);
    return row;
  });
  if (verified) announceOutbox(ctx, 'factor.verified', factor.sid);
  return { factor: verified ?? (await ctx.stores.factors.findBySid(factor.sid)) ?? factor };
}

/** The factor's voiceprint, opened from its sealed binding. */
export function openVoiceprint(ctx: VoiceprintFactorDeps, factor: FactorRow): unknown {
  return JSON.parse(openBinding(ctx, factor)) as unknown;
}
