import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { measurementsFor, operatingPointAt, parseOperatingPoints, readOperatingPoints, type OperatingPointsFile } from './operating-points.ts';

/** A made-up file in the bench's format (test numbers, not measurements). */
const FIXTURE: OperatingPointsFile = {
  format: 'verity-voiceprint-operating-points/1',
  backend: 'gmm-ubm:test',
  measured: '2026-12-07',
  protocol: 'fixture',
  conditions: [
    {
      name: 'phone',
      label: 'Phone call (8 kHz)',
      targetTrials: 400,
      impostorTrials: 1500,
      gateRejectedGenuine: 0.02,
      eer: 0.1,
      eerThreshold: 0.5,
      curve: [
        { threshold: 0, far: 0.4, frr: 0.02 },
        { threshold: 0.5, far: 0.1, frr: 0.1 },
        { threshold: 1, far: 0.02, frr: 0.3 },
      ],
    },
    {
      name: 'wideband',
      label: 'Microphone (16 kHz)',
      targetTrials: 0,
      impostorTrials: 0,
      gateRejectedGenuine: 0,
      eer: 0.2,
      eerThreshold: 0.8,
      curve: [{ threshold: 0.8, far: 0.2, frr: 0.2 }],
    },
  ],
};

describe('voiceprint operating points', () => {
  it('gives the measured point at a measured threshold, with the smallest FAR its trials can show', () => {
    const [phone] = operatingPointAt(FIXTURE, 0.5);
    assert.ok(phone?.measured, 'measured at 0.5');
    assert.equal(phone.far, 0.1);
    assert.equal(phone.frr, 0.1);
    assert.equal(phone.farResolution, 3 / 1500);
    assert.equal(phone.gateRejectedGenuine, 0.02);
    assert.equal(phone.impostorTrials, 1500);
  });

  it('interpolates between the two measured thresholds around it', () => {
    const [phone] = operatingPointAt(FIXTURE, 0.75);
    assert.ok(phone?.measured, 'measured at 0.75');
    assert.ok(Math.abs(phone.far - 0.06) < 1e-12, `far ${phone.far}`);
    assert.ok(Math.abs(phone.frr - 0.2) < 1e-12, `frr ${phone.frr}`);
    const [first] = operatingPointAt(FIXTURE, 0);
    assert.ok(first?.measured, 'measured at the first threshold');
    assert.equal(first.far, 0.4);
  });

  it('says "not measured" outside the measured range instead of extrapolating', () => {
    for (const threshold of [-0.01, 1.01, Number.NaN]) {
      const [phone] = operatingPointAt(FIXTURE, threshold);
      assert.equal(phone?.measured, false, `threshold ${threshold}`);
    }
    const [, wideband] = operatingPointAt(FIXTURE, 0.8);
    assert.ok(wideband?.measured, 'a one-point curve answers its own threshold');
    assert.equal(wideband.farResolution, 1, 'no impostor trials show nothing');
    assert.equal(operatingPointAt(FIXTURE, 0.5)[1]?.measured, false);
  });

  it('refuses a file not in the bench\'s format, saying where', () => {
    assert.deepEqual(parseOperatingPoints('{'), { kind: 'invalid', reason: 'not JSON' });
    const wrongFormat = parseOperatingPoints(JSON.stringify({ ...FIXTURE, format: 'other/1' }));
    assert.equal(wrongFormat.kind, 'invalid');
    const descending = structuredClone(FIXTURE);
    descending.conditions[0]?.curve.reverse();
    const refused = parseOperatingPoints(JSON.stringify(descending));
    assert.equal(refused.kind, 'invalid');
    assert.match(refused.kind === 'invalid' ? refused.reason : '', /conditions\.0\.curve: thresholds must ascend/);
    const rateAboveOne = structuredClone(FIXTURE);
    (rateAboveOne.conditions[0] as { eer: number }).eer = 3;
    assert.equal(parseOperatingPoints(JSON.stringify(rateAboveOne)).kind, 'invalid');
    assert.deepEqual(parseOperatingPoints(JSON.stringify(FIXTURE)), { kind: 'measured', file: FIXTURE });
  });

  it('reads the file, a missing one being "not measured"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verity-op-'));
    try {
      const path = join(dir, 'voiceprint-operating-points.json');
      assert.deepEqual(await readOperatingPoints(path), { kind: 'missing' });
      writeFileSync(path, JSON.stringify(FIXTURE));
      assert.deepEqual(await readOperatingPoints(path), { kind: 'measured', file: FIXTURE });
      assert.equal((await readOperatingPoints(dir)).kind, 'invalid', 'a folder is not a file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies the measurements only to the backend they were made with', () => {
    const loaded = { kind: 'measured', file: FIXTURE } as const;
    assert.equal(measurementsFor(loaded, 'gmm-ubm:test').kind, 'measured');
    assert.deepEqual(measurementsFor(loaded, 'onnx:abc123'), { kind: 'measured for another model', measuredBackend: 'gmm-ubm:test' });
    assert.equal(measurementsFor(loaded, undefined).kind, 'not measured');
    assert.equal(measurementsFor({ kind: 'missing' }, 'gmm-ubm:test').kind, 'not measured');
    assert.match(JSON.stringify(measurementsFor({ kind: 'invalid', reason: 'not JSON' }, 'x')), /not usable \(not JSON\)/);
  });
});
