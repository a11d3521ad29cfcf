import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerityError } from '../errors/verity-error.ts';
import { accentTextFor, AA_CONTRAST, brandStylesheet, brandTokens, contrastRatio, linkColorFor, MAX_LOGO_BYTES, parseLogo, PAGE_COLORS, relativeLuminance } from './client-branding.ts';

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** A PNG header (signature + IHDR) of the given size; the rest need not decode for the size check. */
function pngOf(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

const codeOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof VerityError) return error.code;
    throw error;
  }
  return undefined;
};

describe('WCAG 2.x contrast', () => {
  it('computes the relative luminance of known colours', () => {
    assert.equal(relativeLuminance('#000000'), 0);
    assert.equal(relativeLuminance('#ffffff'), 1);
    // sRGB red, green and blue are their coefficients.
    assert.equal(round2(relativeLuminance('#ff0000')), 0.21);
    assert.equal(round2(relativeLuminance('#00ff00')), 0.72);
    assert.equal(round2(relativeLuminance('#0000ff')), 0.07);
  });

  it('gives the contrast ratios of the known vectors', () => {
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#ffffff', '#ffffff'), 1);
    assert.equal(round2(contrastRatio('#777777', '#ffffff')), 4.48, '#777 on white is the classic just-fails-AA grey');
    assert.equal(round2(contrastRatio('#767676', '#ffffff')), 4.54, '#767676 is the lightest grey passing AA on white');
    assert.equal(round2(contrastRatio('#ff0000', '#ffffff')), 4);
    assert.equal(round2(contrastRatio('#0000ff', '#ffffff')), 8.59);
    assert.equal(contrastRatio('#ffffff', '#777777'), contrastRatio('#777777', '#ffffff'), 'order does not matter');
  });
});

describe('brand colours', () => {
  it('chooses white text on dark colours and near-black on light ones', () => {
    assert.equal(accentTextFor('#0f3d2e'), '#ffffff');
    assert.equal(accentTextFor('#ffe066'), '#111111');
    assert.equal(accentTextFor('#7a7a7a'), undefined, 'a mid grey takes neither at 4.5:1');
  });

  it('darkens a light primary until links reach AA on the page and the cards', () => {
    const link = linkColorFor('#ffe066', [PAGE_COLORS.light.pageBg, PAGE_COLORS.light.surface]);
    assert.ok(link, 'a link colour exists');
    assert.ok(contrastRatio(link, PAGE_COLORS.light.pageBg) >= AA_CONTRAST && contrastRatio(link, '#ffffff') >= AA_CONTRAST, `${link} reaches AA on the page and the cards`);
    assert.equal(linkColorFor('#0f3d2e', ['#ffffff']), '#0f3d2e', 'a dark colour is its own link colour');
  });

  it('gives tokens with AA everywhere, and a stylesheet of only #rrggbb values', () => {
    const tokens = brandTokens('#ffe066', '#fffbea');
    assert.equal(tokens.accentText, '#111111');
    assert.ok(contrastRatio(tokens.accentLink, '#fffbea') >= AA_CONTRAST, 'link on the brand background');
    assert.ok(contrastRatio(tokens.accentLinkDark, PAGE_COLORS.dark.pageBg) >= AA_CONTRAST, 'link on the dark pages');
    const css = brandStylesheet(tokens);
    assert.deepEqual([...css.matchAll(/--([a-z-]+):/g)].map((m) => m[1]).sort(), ['accent', 'accent-link', 'accent-link', 'accent-text', 'page-bg']);
    for (const [, value] of css.matchAll(/--[a-z-]+: ([^;]+);/g)) assert.match(value ?? '', /^#[0-9a-f]{6}$/);
  });

  it('refuses a pair that cannot meet AA with 64130', () => {
    assert.equal(codeOf(() => brandTokens('#7a7a7a', undefined)), 64130);
    assert.equal(codeOf(() => brandTokens('#0b57d0', '#333333')), 64130, 'the pages\' text on a dark background');
    assert.equal(codeOf(() => brandTokens('#0b57d0', '#ffffff')), undefined);
  });
});

describe('logo', () => {
  it('reads PNG, JPEG and WebP sizes from their headers', () => {
    assert.deepEqual(({ ...parseLogo(pngOf(120, 40).toString('base64')), bytes: undefined }), { bytes: undefined, type: 'image/png', width: 120, height: 40 });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x30, 0x00, 0x50, 0x01, 0x01, 0x11, 0x00]);
    assert.deepEqual([parseLogo(jpeg.toString('base64')).type, parseLogo(jpeg.toString('base64')).width, parseLogo(jpeg.toString('base64')).height], ['image/jpeg', 80, 48]);
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'latin1');
    webp.writeUInt32LE(22, 4);
    webp.write('WEBPVP8X', 8, 'latin1');
    webp.writeUIntLE(63, 24, 3);
    webp.writeUIntLE(31, 27, 3);
    const parsed = parseLogo(webp.toString('base64'));
    assert.deepEqual([parsed.type, parsed.width, parsed.height], ['image/webp', 64, 32]);
  });

  it('refuses SVG, other bytes, oversized images and bad base64 with 64131', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');
    assert.equal(codeOf(() => parseLogo(svg)), 64131);
    assert.equal(codeOf(() => parseLogo(Buffer.from('GIF89a......').toString('base64'))), 64131);
    const big = Buffer.concat([pngOf(10, 10), Buffer.alloc(MAX_LOGO_BYTES)]);
    assert.equal(codeOf(() => parseLogo(big.toString('base64'))), 64131);
    assert.equal(codeOf(() => parseLogo(pngOf(4096, 10).toString('base64'))), 64131);
    assert.equal(codeOf(() => parseLogo('not base64!')), 64131);
  });
});
