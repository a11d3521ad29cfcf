import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { trustedHtml, type SafeHtml } from './html.ts';

/*
 * The pages' icons: Lucide's SVGs (lucide-static, ISC), inlined so the strict CSP needs no image
 * source and the icons take the text colour (stroke="currentColor"). Each is read once, at start.
 */

/** The icon names the pages use, each a Lucide icon. */
const LUCIDE = {
  passkey: 'key-round',
  push: 'smartphone',
  totp: 'clock',
  sms: 'message-square',
  call: 'phone',
  email: 'mail',
  voice: 'mic',
  recovery: 'life-buoy',
  shield: 'shield-check',
  fingerprint: 'fingerprint',
  check: 'circle-check',
  warning: 'triangle-alert',
  info: 'info',
  copy: 'copy',
  download: 'download',
  print: 'printer',
  chevronDown: 'chevron-down',
  chevronRight: 'chevron-right',
  lock: 'lock',
  trash: 'trash-2',
  edit: 'pencil',
  plus: 'plus',
  external: 'external-link',
  refresh: 'refresh-cw',
  user: 'user',
  webhook: 'webhook',
  chart: 'chart-column',
  search: 'search',
  signOut: 'log-out',
  settings: 'settings',
  list: 'list',
  qrCode: 'qr-code',
  help: 'circle-help',
} as const;

export type IconName = keyof typeof LUCIDE;

const require = createRequire(import.meta.url);

/** The icon's inner elements (its paths), without the license comment and the outer <svg>. */
function innerOf(lucideName: string): string {
  const svg = readFileSync(require.resolve(`lucide-static/icons/${lucideName}.svg`), 'utf8');
  const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(svg)?.[1];
  if (inner === undefined) throw new Error(`lucide-static/icons/${lucideName}.svg is not an SVG`);
  return inner.replace(/\s+/g, ' ').trim();
}

const INNER: Readonly<Record<IconName, string>> = Object.fromEntries(Object.entries(LUCIDE).map(([name, file]) => [name, innerOf(file)])) as Record<IconName, string>;

/**
 * An icon as inline SVG, 1em square by default (`.icon` in the stylesheets sizes it), hidden from
 * screen readers: the text beside it says what it means.
 */
export function icon(name: IconName, className = ''): SafeHtml {
  if (!/^[a-z0-9 -]*$/.test(className)) throw new Error(`icon: class names only, got ${JSON.stringify(className)}`);
  const cls = className ? `icon ${className}` : 'icon';
  return trustedHtml(`<svg class="${cls}" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${INNER[name]}</svg>`);
}
