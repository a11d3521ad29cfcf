import { z } from 'zod';
import type { ConfigRow } from './config-rows.ts';

/**
 * The voiceprint factor's settings (issue 18, "safe by default"). Voice biometrics are off unless the
 * operator turns them on: a voiceprint is a weak factor (docs/voiceprint.md has the measured error
 * rates), so a production server must not offer it by accident. `npm start` (`serve --dev`) and the
 * test suite turn it on, so the demo and the tests keep their voices.
 */
export const VOICEPRINT_VARIABLES = {
  VERITY_VOICEPRINT: {
    schema: z.enum(['on', 'off'], { message: 'must be `on` or `off`' }).optional(),
    doc: 'Voiceprint factors (voice biometrics): `on` or `off`. Default `off`, except with `verity serve --dev` (`npm start`) and NODE_ENV=test, where it is `on`. Off: the engine is not loaded, the API refuses voiceprint factors and challenges (60300, naming this setting) and the hosted pages do not offer them. A voiceprint is never a sole authenticator (NIST SP 800-63B); the FAR and FRR measured at a service\'s threshold are on the admin console\'s service page and in docs/voiceprint.md.',
  },
  VERITY_VOICEPRINT_MODEL: {
    schema: z.string().min(1).optional(),
    doc: 'Voiceprint speaker model: path to an ONNX speaker-embedding model (wespeaker / 3D-Speaker export with its metadata, input `feats` [N, T, 80] Kaldi fbank, output [N, D]) used instead of the built-in GMM-UBM engine; needs VERITY_VOICEPRINT_COHORT. Checked at start (a bad file stops the server, naming this variable). Voiceprints made with another model are refused (re-enrol). Verity always scores in the telephone band (8 kHz, upsampled to the model\'s rate): prefer models trained with telephone augmentation. See src/factors/voiceprint/README.md "Operator model (ONNX)".',
  },
  VERITY_VOICEPRINT_COHORT: {
    schema: z.string().min(1).optional(),
    doc: 'Cohort file for VERITY_VOICEPRINT_MODEL: embeddings of background speakers (never users) for score normalisation (S-norm), made with `verity voiceprint cohort --model <model.onnx> --audio <folder of WAV files, one sub-folder per speaker> --out cohort.json` for this very model.',
  },
} as const satisfies Record<string, ConfigRow>;

export interface VoiceprintConfig {
  /** Whether voiceprint factors are served; off: the engine is not loaded and `ctx.voiceprints` is undefined. */
  enabled: boolean;
  /** `setting`: VERITY_VOICEPRINT says so; `default`: nobody said (off, or on for `serve --dev` and tests). */
  decidedBy: 'setting' | 'default';
  /** Operator speaker-embedding model (VERITY_VOICEPRINT_MODEL, VERITY_VOICEPRINT_COHORT); absent: the built-in engine. */
  operatorModel?: { modelPath: string; cohortPath: string | undefined } | undefined;
}

/** VERITY_VOICEPRINT as loadConfig parsed it; unset is on only in the test suite (`serve --dev` turns it on later). */
export function voiceprintConfig(setting: 'on' | 'off' | undefined, env: 'development' | 'test' | 'production'): VoiceprintConfig {
  if (setting !== undefined) return { enabled: setting === 'on', decidedBy: 'setting' };
  return { enabled: env === 'test', decidedBy: 'default' };
}

/**
 * `serve --dev` (`npm start`): voiceprints on unless VERITY_VOICEPRINT says otherwise, so the demo's
 * "Use your voice" works out of the box. Never in production.
 */
export function withDevelopmentVoiceprint<C extends { env: string; voiceprint: VoiceprintConfig }>(config: C): C {
  if (config.voiceprint.decidedBy === 'setting' || config.env === 'production') return config;
  return { ...config, voiceprint: { ...config.voiceprint, enabled: true } };
}

/** How to turn voiceprints on, in the words of the start log and the console. */
export const VOICEPRINT_ENABLE_HINT = 'set VERITY_VOICEPRINT=on to enable them';

/** Why the API refuses a voiceprint factor or challenge when there is no engine (60300): off, or no models. */
export const VOICEPRINTS_UNAVAILABLE = 'voiceprints are not available on this server: VERITY_VOICEPRINT=on enables them, with the background models in models/ (models/README.md)';
