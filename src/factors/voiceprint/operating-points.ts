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
