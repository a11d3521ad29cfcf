/**
 * The benchmark's view of the corpus (`npm run corpus`): the held-out speakers of one role, their
 * clips and the recordings of each clip that exist (16 kHz microphone, full-band 8 kHz recording,
 * real GSM / A-law / G.722 chains). Audio is decoded on every use and not kept: the 16 kHz evaluation
 * clips alone would be ~350 MB as Float32, and decoding a WAV costs far less than a verification.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Audio } from '../../src/factors/voiceprint/audio/audio.ts';
import { decodeWav } from '../../src/factors/voiceprint/audio/wav.ts';
import type { CorpusManifest, RecordingChain, SpeakerRole } from '../../scripts/corpus/corpus-split.ts';

/** Recordings of a clip: the 16 kHz microphone version (corpus 16k/) and the chains (corpus chains/<chain>/). */
export type Recording = 'wide' | RecordingChain;

export interface BenchSpeaker {
  id: string;
  role: SpeakerRole;
  language: string;
  /** Clip names (without .wav) in name order. */
  clips: string[];
  /** Recordings available for every clip of this speaker. */
  recordings: Set<Recording>;
}

/** FNV-1a, for per-clip seeds that do not depend on the order trials run in. */
export function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class BenchCorpus {
  readonly speakers: BenchSpeaker[];

  constructor(
    readonly dir: string,
    manifest: CorpusManifest,
    role: 'evaluation' | 'dev',
    only?: readonly string[],
  ) {
    this.speakers = Object.entries(manifest.speakers)
      .filter(([id, s]) => s.role === role && (only === undefined || only.includes(id)))
      .map(([id, s]) => {
        const folder = join(dir, s.rates.includes('16k') ? '16k' : join('chains', '8k'), id);
        const clips = readdirSync(folder)
          .filter((f) => f.endsWith('.wav'))
          .map((f) => f.slice(0, -4))
          .sort();
        const recordings = new Set<Recording>();
        if (s.rates.includes('16k')) recordings.add('wide');
        for (const chain of ['8k', 'gsm', 'alaw', 'g722'] as const) {
          if (clips.every((c) => existsSync(this.path(chain, id, c)))) recordings.add(chain);
        }
        return { id, role: s.role, language: s.language ?? '?', clips, recordings };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  private path(recording: Recording, speaker: string, clip: string): string {
    return recording === 'wide' ? join(this.dir, '16k', speaker, `${clip}.wav`) : join(this.dir, 'chains', recording, speaker, `${clip}.wav`);
  }

  /** The clip as recorded on `recording`. */
  load(recording: Recording, speaker: string, clip: string): Audio {
    return decodeWav(new Uint8Array(readFileSync(this.path(recording, speaker, clip))));
  }

  /** The 16 kHz recording of a speaker: the microphone (16k/) or, for the Asterisk voices, G.722; undefined if none. */
  static wideband(speaker: BenchSpeaker): Recording | undefined {
    return speaker.recordings.has('wide') ? 'wide' : speaker.recordings.has('g722') ? 'g722' : undefined;
  }

  /** The cleanest recording of a speaker: 16 kHz where the source has it, else the 8 kHz recording. */
  static clean(speaker: BenchSpeaker): Recording {
    return BenchCorpus.wideband(speaker) ?? '8k';
  }
}
