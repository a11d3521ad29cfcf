import { crc32, deflateSync } from 'node:zlib';

/** A real PNG (RGB, 8 bits) of `width`×`height`: `paint(x, y)` gives each pixel's colour. For logos in tests. */
export function pngImage(width: number, height: number, paint: (x: number, y: number) => readonly [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(...paint(x, y));
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A two-colour logo: a ring of `ring` on `fill` (something to see in a screenshot). */
export function ringLogo(size: number, fill: readonly [number, number, number], ring: readonly [number, number, number]): Buffer {
  const mid = (size - 1) / 2;
  return pngImage(size, size, (x, y) => {
    const r = Math.hypot(x - mid, y - mid);
    return r > size * 0.25 && r < size * 0.4 ? ring : fill;
  });
}

/** An SVG with a script: what a logo must never be. */
export const SCRIPTED_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>';
