/**
 * A listening substitute for "is this package one speaker?": the median pitch (F0) of every clip of
 * the held-out speakers. One voice gives one cluster of clip medians; a second voice of the other
 * sex (the Menardi package names a husband and wife; the ivrvoice.ru CREDITS name a male provider
 * for a female voice folder) would show up as clips at about half or twice the speaker's median.
 *
 *   npx tsx scripts/corpus/check-voices.ts            # after npm run corpus
 *
 * F0 per 40 ms frame from the normalised autocorrelation (60–400 Hz, voiced when the peak > 0.5 and
 * the frame is within 30 dB of the clip's loudest); a clip's F0 is the median of its voiced frames.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../src/factors/voiceprint/audio/wav.ts';
import { corpusDir, type CorpusManifest } from './corpus-split.ts';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)]!;
}

function clipF0(samples: Float32Array, rate: number): number {
  const frame = Math.round(0.04 * rate);
  const minLag = Math.floor(rate / 400);
  const maxLag = Math.ceil(rate / 60);
  const energies: number[] = [];
  for (let start = 0; start + frame + maxLag <= samples.length; start += frame) {
    let e = 0;
    for (let i = start; i < start + frame; i++) e += samples[i]! * samples[i]!;
    energies.push(e);
  }
  const loudest = Math.max(...energies, 0);
  const f0s: number[] = [];
  energies.forEach((e, f) => {
    if (e < loudest / 1000 || e === 0) return;
    const start = f * frame;
    let best = 0;
    let bestLag = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let num = 0;
      let den = 0;
      for (let i = start; i < start + frame; i++) {
        num += samples[i]! * samples[i + lag]!;
        den += samples[i + lag]! * samples[i + lag]!;
      }
      const r = num / Math.sqrt(e * den || 1);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best > 0.5) f0s.push(rate / bestLag);
  });
  return median(f0s);
}

const cache = corpusDir();
const manifest = JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8')) as CorpusManifest;
console.log('| speaker | role | clips with voiced frames | median F0 (Hz) | clips < 0.7× median | clips > 1.4× median |');
console.log('|---|---|--:|--:|--:|--:|');
for (const [id, s] of Object.entries(manifest.speakers)) {
  if (s.role !== 'evaluation' && s.role !== 'dev') continue;
  const dir = join(cache, 'chains', '8k', id); // full band: the 300 Hz high-pass of 8k/ removes a low F0
  const f0 = readdirSync(dir)
    .filter((f) => f.endsWith('.wav'))
    .sort()
    .map((f) => {
      const audio = decodeWav(new Uint8Array(readFileSync(join(dir, f))));
      return clipF0(audio.samples, audio.sampleRate);
    })
    .filter((v) => Number.isFinite(v));
  const m = median(f0);
  console.log(`| ${id} | ${s.role} | ${f0.length} | ${m.toFixed(0)} | ${f0.filter((v) => v < 0.7 * m).length} | ${f0.filter((v) => v > 1.4 * m).length} |`);
}
