// Compact text encodings for arrays stored inside a voiceprint (JSON, encrypted at rest).

/** Float32 little-endian → base64. */
export function packFloat32(values: ArrayLike<number>): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4);
  return bytes.toString('base64');
}

export function unpackFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** Values × scale rounded to Int16 little-endian → base64 (|value| ≤ 32767/scale). */
export function packInt16(values: ArrayLike<number>, scale: number): string {
  const bytes = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) bytes.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(values[i]! * scale))), i * 2);
  return bytes.toString('base64');
}

export function unpackInt16(text: string, scale: number): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(Math.floor(bytes.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2) / scale;
  return out;
}
