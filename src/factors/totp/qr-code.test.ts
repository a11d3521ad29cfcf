import assert from 'node:assert/strict';
import { it } from 'node:test';
import { qrCodePng, qrCodeSvg } from './qr-code.ts';

const uri = 'otpauth://totp/Acme:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme&algorithm=SHA1&digits=6&period=30';

it('renders an SVG and a PNG of the otpauth URI', async () => {
  const svg = await qrCodeSvg(uri);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<path/);
  const png = await qrCodePng(uri, 200);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // IHDR width and height (bytes 16–23) follow the requested size.
  assert.equal(png.readUInt32BE(16), 200);
  assert.equal(png.readUInt32BE(20), 200);
  // A different URI gives a different symbol.
  assert.notEqual(await qrCodeSvg(uri.replace('alice', 'bob')), svg);
});
