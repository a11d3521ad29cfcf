#!/usr/bin/env python3
"""Independent reference for the voiceprint front end (src/factors/voiceprint/features/mfcc.ts).

Recipe (numpy/scipy, written from the documented pipeline, not from the TypeScript):
  1. int16 samples; frames of N samples every S samples, snip edges: 1 + (len - N) // S frames;
  2. per frame: remove the DC; log-energy = ln(sum(x^2) + N);
  3. pre-emphasis y[0] = x[0] - 0.97 x[0], y[n] = x[n] - 0.97 x[n-1];
  4. numpy.hamming(N); zero-pad to nfft; |rfft|^2;
  5. mel filterbank: HTK mel 1127 ln(1 + f/700), melBins triangles equally spaced in mel between
     lowHz and highHz, drawn in the mel domain (Kaldi MelBanks); ln(energy + N);
  6. scipy.fft.dct(type=2, norm='ortho'), first 20; lifter 1 + 11 sin(pi k / 22); C0 <- log-energy.
Writes test/vectors/voiceprint/mfcc-{sweep-16k,two-tone-8k}.json. Run: python3 make-vectors.py
"""
import json
import os

import numpy as np
from scipy.fft import dct
from scipy.signal import chirp

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'vectors', 'voiceprint')

CONFIGS = {
    16000: dict(N=400, S=160, nfft=512, bins=40, low=100.0, high=7600.0),
    8000: dict(N=200, S=80, nfft=256, bins=24, low=300.0, high=3400.0),
}
CEPS = 20
LIFTER = 22
PRE = 0.97


def mel(f):
    return 1127.0 * np.log(1.0 + np.asarray(f) / 700.0)


def mel_weights(rate, c):
    freqs = np.arange(c['nfft'] // 2 + 1) * rate / c['nfft']
    m = mel(freqs)
    lo, hi = mel(c['low']), mel(c['high'])
    step = (hi - lo) / (c['bins'] + 1)
    w = np.zeros((c['bins'], len(freqs)))
    for b in range(c['bins']):
        left, centre, right = lo + b * step, lo + (b + 1) * step, lo + (b + 2) * step
        up = (m > left) & (m <= centre)
        down = (m > centre) & (m < right)
        w[b, up] = (m[up] - left) / (centre - left)
        w[b, down] = (right - m[down]) / (right - centre)
    return w


def features(samples, rate):
    c = CONFIGS[rate]
    x = samples.astype(np.float64)
    n_frames = 1 + (len(x) - c['N']) // c['S']
    idx = np.arange(c['N'])[None, :] + c['S'] * np.arange(n_frames)[:, None]
    frames = x[idx]
    frames = frames - frames.mean(axis=1, keepdims=True)
    log_e = np.log((frames ** 2).sum(axis=1) + c['N'])
    emph = np.concatenate([frames[:, :1] * (1 - PRE), frames[:, 1:] - PRE * frames[:, :-1]], axis=1)
    win = emph * np.hamming(c['N'])[None, :]
    power = np.abs(np.fft.rfft(win, n=c['nfft'], axis=1)) ** 2
    log_mel = np.log(power @ mel_weights(rate, c).T + c['N'])
    ceps = dct(log_mel, type=2, norm='ortho', axis=1)[:, :CEPS]
    ceps *= 1 + (LIFTER / 2) * np.sin(np.pi * np.arange(CEPS) / LIFTER)
    ceps[:, 0] = log_e
    return log_e, log_mel, ceps


def write(name, rate, signal, description):
    samples = np.clip(np.round(signal * 32767), -32768, 32767).astype(np.int16)
    log_e, log_mel, ceps = features(samples, rate)
    doc = {
        'description': description,
        'generator': 'scripts/voiceprint-reference/make-vectors.py (numpy %s)' % np.__version__,
        'sampleRate': rate,
        'samples': samples.tolist(),
        'frames': int(log_e.shape[0]),
        'logEnergy': np.round(log_e, 6).tolist(),
        'logMel': np.round(log_mel, 6).ravel().tolist(),
        'cepstra': np.round(ceps, 6).ravel().tolist(),
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')


t16 = np.arange(int(0.5 * 16000)) / 16000
write('mfcc-sweep-16k.json', 16000, 0.5 * chirp(t16, f0=150, t1=0.5, f1=7000, method='logarithmic'),
      'Logarithmic sine sweep 150 -> 7000 Hz, 0.5 s, amplitude 0.5, 16 kHz')
t8 = np.arange(int(0.4 * 8000)) / 8000
write('mfcc-two-tone-8k.json', 8000, 0.3 * np.sin(2 * np.pi * 440 * t8) + 0.2 * np.sin(2 * np.pi * 1800 * t8 + 0.5),
      'Two tones 440 Hz (0.3) + 1800 Hz (0.2), 0.4 s, 8 kHz')
