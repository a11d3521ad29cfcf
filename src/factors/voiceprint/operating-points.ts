import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * Measured error rates of the voiceprint engine at every threshold (issue 18), as written by
 * `npm run bench:voiceprint` to models/voiceprint-operating-points.json. The admin console and the
 * docs show, for the threshold a service uses, the FAR and FRR measured there, per condition.
 */
export interface OperatingPointsFile {
  format: 'verity-voiceprint-operating-points/1';
  /** SpeakerBackend.id of what was measured (only shown when it is the backend in use). */
  backend: string;
  /** When it was measured (ISO date) and by what protocol (one sentence for people). */
  measured: string;
  protocol: string;
  conditions: OperatingCondition[];
}

export interface OperatingCondition {
  /** Stable name, e.g. `wideband`, `phone`, `wideband-to-phone`, `upsampled-8k`. */
  name: string;
  /** For people, e.g. "Microphone (16 kHz), unseen speakers". */
  label: string;
  targetTrials: number;
  impostorTrials: number;
  /** Share of genuine attempts the quality gate refused ("could not hear you clearly"), 0–1. */
  gateRejectedGenuine: number;
  eer: number;
  eerThreshold: number;
  /** FAR and FRR (0–1, gate rejections counted as rejections) at thresholds, ascending. */
  curve: Array<{ threshold: number; far: number; frr: number }>;
}

/** Where the bench writes the file (models/ is copied into dist/ by the build, like the UBMs). */
const OPERATING_POINTS_URL = new URL('../../../models/voiceprint-operating-points.json', import.meta.url);

const rate = z.number().min(0).max(1);
const trials = z.number().int().min(0);
const conditionSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  targetTrials: trials,
  impostorTrials: trials,
  gateRejectedGenuine: rate,
  eer: rate,
  eerThreshold: z.number(),
  curve: z
    .array(z.object({ threshold: z.number(), far: rate, frr: rate }))
    .min(1)
    .refine((curve) => curve.every((point, i) => i === 0 || point.threshold > (curve[i - 1]?.threshold ?? -Infinity)), 'thresholds must ascend'),
});
const fileSchema = z.object({
  format: z.literal('verity-voiceprint-operating-points/1'),
  backend: z.string().min(1),
  measured: z.string().min(1),
  protocol: z.string(),
  conditions: z.array(conditionSchema),
});

/** The file as read at start: measured, absent (the bench never ran), or unreadable (and why, for the log). */
export type LoadedOperatingPoints =
  | { kind: 'measured'; file: OperatingPointsFile }
  | { kind: 'missing' }
  | { kind: 'invalid'; reason: string };

/** Parses the file's text; anything but the bench's format is `invalid` (never half-trusted). */
export function parseOperatingPoints(text: string): LoadedOperatingPoints {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'invalid', reason: `${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'not the bench\'s format'}` };
  }
  return { kind: 'measured', file: parsed.data };
}

/** Reads models/voiceprint-operating-points.json (or `source`); a missing file is `missing`, not an error. */
export async function readOperatingPoints(source: string | URL = OPERATING_POINTS_URL): Promise<LoadedOperatingPoints> {
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  return parseOperatingPoints(text);
}

/** One condition's error rates at a threshold, or why there are none. */
export type ConditionAtThreshold = {
  name: string;
  label: string;
  targetTrials: number;
  impostorTrials: number;
  gateRejectedGenuine: number;
  eer: number;
} & (
  | {
      measured: true;
      /** False accepts / impostor trials at the threshold (0–1), interpolated between measured thresholds. */
      far: number;
      /** False rejects / genuine trials (gate refusals included), 0–1. */
      frr: number;
      /**
       * The smallest FAR these impostor trials can show (rule of three: 0 errors in N trials bounds the
       * rate by 3/N at 95 % confidence), 1 without trials. A FAR below it is not demonstrated.
       */
      farResolution: number;
    }
  | { measured: false; why: 'outside the measured range' }
);

/**
 * The FAR and FRR of every condition at `threshold`: the measured point when the threshold is one,
 * else the straight line between the two measured thresholds around it. Outside the measured range
 * nothing is said (`measured: false`): extrapolating an error curve would invent numbers.
 */
export function operatingPointAt(file: OperatingPointsFile, threshold: number): ConditionAtThreshold[] {
  return file.conditions.map((condition) => {
    const base = {
      name: condition.name,
      label: condition.label,
      targetTrials: condition.targetTrials,
      impostorTrials: condition.impostorTrials,
      gateRejectedGenuine: condition.gateRejectedGenuine,
      eer: condition.eer,
    };
    const point = interpolate(condition.curve, threshold);
    if (!point) return { ...base, measured: false, why: 'outside the measured range' };
    return { ...base, measured: true, ...point, farResolution: condition.impostorTrials > 0 ? Math.min(1, 3 / condition.impostorTrials) : 1 };
  });
}

function interpolate(curve: OperatingCondition['curve'], threshold: number): { far: number; frr: number } | undefined {
  if (!Number.isFinite(threshold)) return undefined;
  for (let i = 0; i < curve.length; i++) {
    const high = curve[i];
    if (!high || threshold > high.threshold) continue;
    if (threshold === high.threshold) return { far: high.far, frr: high.frr };
    const low = curve[i - 1];
    if (!low) return undefined; // below the first measured threshold
    const t = (threshold - low.threshold) / (high.threshold - low.threshold);
    return { far: low.far + t * (high.far - low.far), frr: low.frr + t * (high.frr - low.frr) };
  }
  return undefined; // above the last measured threshold
}

/** What the console and the start log can say about the measurements for the backend in use. */
export type MeasurementsForBackend =
  | { kind: 'measured'; file: OperatingPointsFile }
  | { kind: 'not measured'; why: string }
  | { kind: 'measured for another model'; measuredBackend: string };

/** The measurements that apply to `backend` (SpeakerBackend.id of the engine in use): only its own. */
export function measurementsFor(loaded: LoadedOperatingPoints, backend: string | undefined): MeasurementsForBackend {
  if (loaded.kind === 'missing') return { kind: 'not measured', why: 'models/voiceprint-operating-points.json is absent (npm run bench:voiceprint writes it)' };
  if (loaded.kind === 'invalid') return { kind: 'not measured', why: `models/voiceprint-operating-points.json is not usable (${loaded.reason})` };
  if (backend === undefined) return { kind: 'not measured', why: 'the engine in use does not name its model' };
  if (loaded.file.backend !== backend) return { kind: 'measured for another model', measuredBackend: loaded.file.backend };
  return { kind: 'measured', file: loaded.file };
}
