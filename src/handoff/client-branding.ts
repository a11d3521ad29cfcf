import { createHash } from 'node:crypto';
import { invalidParameter, VerityError } from '../errors/verity-error.ts';

/**
 * A hand-off client's branding (issue 17): its colours checked for contrast (WCAG 2.x, AA: 4.5:1 for
 * text), its logo checked to be a PNG, JPEG or WebP by its bytes, and the CSS custom properties the
 * hosted pages take from it. Nothing but a `#rrggbb` colour reaches CSS, and never an SVG a page.
 */

const HEX_COLOR = /^#[0-9a-f]{6}$/;
/** WCAG 2.x success criterion 1.4.3 (AA) for normal text. */
export const AA_CONTRAST = 4.5;
/** A logo is at most this many bytes (decoded). */
export const MAX_LOGO_BYTES = 64 * 1024;
/** …and at most this many pixels on a side. */
const MAX_LOGO_SIDE = 2048;

/** The hosted pages' own colours the brand must work with (src/hosted/assets/handoff.css). */
export const PAGE_COLORS = {
  light: { pageBg: '#f4f5f7', surface: '#ffffff', text: '#1b1f24', muted: '#57606a' },
  dark: { pageBg: '#0d1117', surface: '#161b22' },
} as const;
/** Text on the primary colour: white, or this near-black. */
const WHITE = '#ffffff';
const NEAR_BLACK = '#111111';

type Rgb = [number, number, number];

function rgbOf(hex: string): Rgb {
  if (!HEX_COLOR.test(hex)) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

const hexOf = (rgb: Rgb): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2.x relative luminance of an sRGB colour (0 black … 1 white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of two colours (1 … 21), in either order. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The worst contrast of `color` against each of `backgrounds`. */
const worstContrast = (color: string, backgrounds: readonly string[]): number => Math.min(...backgrounds.map((bg) => contrastRatio(color, bg)));

/** `color` mixed toward `target` by `amount` (0 … 1). */
function mix(color: string, target: string, amount: number): string {
  const a = rgbOf(color);
  const b = rgbOf(target);
  return hexOf([0, 1, 2].map((i) => a[i]! + (b[i]! - a[i]!) * amount) as Rgb);
}

/** The text colour on `primary` with the better contrast, or undefined when neither reaches AA. */
export function accentTextFor(primary: string): string | undefined {
  const best = [WHITE, NEAR_BLACK].sort((x, y) => contrastRatio(primary, y) - contrastRatio(primary, x))[0]!;
  return contrastRatio(primary, best) >= AA_CONTRAST ? best : undefined;
}

/**
 * The link and focus colour: the primary colour itself when it reaches AA on every background,
 * else the primary darkened (or lightened) in small steps until it does; undefined when neither does.
 */
export function linkColorFor(primary: string, backgrounds: readonly string[]): string | undefined {
  for (let step = 0; step <= 20; step++) {
    for (const target of ['#000000', WHITE]) {
      const candidate = mix(primary, target, step / 20);
      if (worstContrast(candidate, backgrounds) >= AA_CONTRAST) return candidate;
    }
  }
  return undefined;
}

/** What the hosted pages' CSS custom properties are for a brand, light and dark. */
export interface BrandTokens {
  accent: string;
  accentText: string;
  /** On the light pages (the brand's background, or the pages' own). */
  accentLink: string;
  pageBg: string | undefined;
  /** On the dark pages (prefers-color-scheme: dark); the brand's background applies to light pages only. */
  accentLinkDark: string;
}

/** A colour pair that cannot meet AA: 400 with the stable code 64130 and what failed. */
const contrastRefused = (param: string, why: string): VerityError => new VerityError(64130, `Branding colours refused: ${param} (${why})`, { details: { parameter: param } });

/** The brand's tokens, or the refusal saying which colour cannot meet AA (4.5:1). */
export function brandTokens(primary: string, background: string | undefined): BrandTokens {
  const accentText = accentTextFor(primary);
  if (!accentText) throw contrastRefused('PrimaryColor', `neither white nor near-black text reaches ${AA_CONTRAST}:1 on it`);
  const page = PAGE_COLORS.light;
  if (background !== undefined) {
    for (const [name, color] of [['text', page.text], ['secondary text', page.muted]] as const) {
      const ratio = contrastRatio(color, background);
      if (ratio < AA_CONTRAST) throw contrastRefused('BackgroundColor', `the pages' ${name} ${color} reaches only ${ratio.toFixed(2)}:1 on it`);
    }
  }
  const accentLink = linkColorFor(primary, [background ?? page.pageBg, page.surface]);
  if (!accentLink) throw contrastRefused('BackgroundColor', `no shade of PrimaryColor reaches ${AA_CONTRAST}:1 as a link on both the background and the white cards`);
  const accentLinkDark = linkColorFor(primary, [PAGE_COLORS.dark.pageBg, PAGE_COLORS.dark.surface]);
  // Always found: a dark page takes a light enough shade of any colour.
  if (!accentLinkDark) throw contrastRefused('PrimaryColor', 'no shade of it reaches AA on the dark pages');
  return { accent: primary, accentText, accentLink, pageBg: background, accentLinkDark };
}

/**
 * The brand stylesheet (`GET /handoff/brand/<client>/<version>.css`): only the design tokens, every
 * value a validated `#rrggbb`. The dark pages keep their own background.
 */
export function brandStylesheet(tokens: BrandTokens): string {
  for (const value of [tokens.accent, tokens.accentText, tokens.accentLink, tokens.accentLinkDark, ...(tokens.pageBg ? [tokens.pageBg] : [])]) {
    if (!HEX_COLOR.test(value)) throw new Error('brand colour not #rrggbb');
  }
  const pageBg = tokens.pageBg ? `\n    --page-bg: ${tokens.pageBg};` : '';
  return `:root {\n  --accent: ${tokens.accent};\n  --accent-text: ${tokens.accentText};\n}\n@media (prefers-color-scheme: light) {\n  :root {\n    --accent-link: ${tokens.accentLink};${pageBg}\n  }\n}\n@media (prefers-color-scheme: dark) {\n  :root {\n    --accent-link: ${tokens.accentLinkDark};\n  }\n}\n`;
}

/** A colour parameter: `#rrggbb` (any case, stored lower case). */
export function checkColor(param: string, value: string): string {
  const lower = value.trim().toLowerCase();
  if (!HEX_COLOR.test(lower)) throw invalidParameter(param, 'expected a colour as #rrggbb');
  return lower;
}

/** The support link: https (http only for loopback, as return URLs), no credentials. */
export function checkSupportUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter('SupportUrl', 'expected an absolute https URL');
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw invalidParameter('SupportUrl', 'https required (http only for localhost and 127.0.0.1)');
  if (url.username || url.password) throw invalidParameter('SupportUrl', 'must not contain credentials');
  return url.href;
}

// The logo ---------------------------------------------------------------------------------------

type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface Logo {
  bytes: Buffer;
  type: LogoType;
  width: number;
  height: number;
}

/** A logo refused (not a PNG/JPEG/WebP, too large, malformed): 400 with the stable code 64131. */
const logoRefused = (why: string): VerityError => new VerityError(64131, `Logo refused: ${why}`);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG: the signature, then IHDR, whose first fields are the width and height (big-endian). */
function pngSize(b: Buffer): [number, number] | undefined {
  if (b.length < 24 || !b.subarray(0, 8).equals(PNG_SIGNATURE) || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

/** JPEG: walk the segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC). */
function jpegSize(b: Buffer): [number, number] | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return undefined;
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return [b.readUInt16BE(at + 7), b.readUInt16BE(at + 5)];
    at += 2 + b.readUInt16BE(at + 2);
  }
  return undefined;
}

/** WebP: RIFF…WEBP and its first chunk, lossy (VP8), lossless (VP8L) or extended (VP8X). */
function webpSize(b: Buffer): [number, number] | undefined {
  if (b.length < 30 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) return [b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff];
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21);
    return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X') return [b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1];
  return undefined;
}

/** The `Logo` parameter: base64 of a PNG, JPEG or WebP, known by its bytes (never SVG: it can carry script). */
export function parseLogo(base64: string): Logo {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0 || compact === '') throw logoRefused('expected base64 of a PNG, JPEG or WebP image');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > MAX_LOGO_BYTES) throw logoRefused(`at most ${MAX_LOGO_BYTES / 1024} KB`);
  const found: Array<[LogoType, [number, number] | undefined]> = [
    ['image/png', pngSize(bytes)],
    ['image/jpeg', jpegSize(bytes)],
    ['image/webp', webpSize(bytes)],
  ];
  const match = found.find(([, size]) => size !== undefined);
  if (!match) throw logoRefused('only PNG, JPEG or WebP images (not SVG), recognised by their content');
  const [type, [width, height]] = match as [LogoType, [number, number]];
  if (width < 1 || height < 1 || width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE) throw logoRefused(`width and height from 1 to ${MAX_LOGO_SIDE} pixels`);
  return { bytes, type, width, height };
}

/** A short content version for the assets' URLs: a change of colours or logo is a new URL, so they cache for long. */
export function contentVersion(...parts: Array<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
}
