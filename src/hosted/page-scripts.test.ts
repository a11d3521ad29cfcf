import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PAGE_LOCALES } from '../i18n/locales.ts';
import { renderCallApproval, renderCallCode, renderFlashCall } from '../hosted-factors/phone/call-pages.ts';
import { enrollPushPage } from '../hosted-factors/enroll-pages.ts';
import { renderPushWait } from './wait-pages.ts';
import { HANDOFF_PUSH_JS } from './handoff-push-script.ts';
import { renderPasskeyEnroll, renderPasskeyIdentify, renderPasskeySignIn } from '../hosted-factors/passkey/passkey-pages.ts';
import { renderVoiceprintRecorder } from '../hosted-factors/voiceprint/voiceprint-pages.ts';
import { passkeyCard } from '../hosted-factors/passkey/passkey-card.ts';

/*
 * The page scripts carry no texts of their own: every text they show comes from the page, rendered
 * in the page's language as a data-msg-* attribute. Each name a script reads must be on every page
 * that loads it, in every language, and not empty.
 */

/** A factor's page script, in its folder's assets (src/hosted-factors/<factor>/assets/). */
const asset = (factor: string, name: string): string => readFileSync(new URL(`../hosted-factors/${factor}/assets/${name}`, import.meta.url), 'utf8');

/** The data-msg-* names a script reads through its accessor (`msg('approved')`, `text('no-mic', …)`, `msg('msgStepRinging')`). */
function namesRead(source: string, accessor: string): string[] {
  const names = [...source.matchAll(new RegExp(`\\b${accessor}\\('([\\w-]+)'`, 'g'))].map((m) => m[1] as string);
  // dataset keys (`msgStepRinging`) name the attribute `data-msg-step-ringing`.
  return [...new Set(names.map((n) => (/^msg[A-Z]/.test(n) ? n.slice(3).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).slice(1) : n)))].sort();
}

function assertSupplies(html: string, names: string[], what: string): void {
  for (const name of names) {
    const value = new RegExp(` data-msg-${name}="([^"]*)"`).exec(html)?.[1];
    assert.ok(value !== undefined && value.trim() !== '', `${what}: data-msg-${name} is rendered and not empty`);
  }
}

const OPTIONS = { challenge: 'Y2hhbGxlbmdl' } as never;
const progress = { eventsPath: '/events/x', callSid: 'CA1' };
const call = { appName: 'A', session: 's', masked: '••89', progress, leave: '/l' };

const SCRIPTS: Array<{ name: string; source: string; accessor: string; pages: (locale: (typeof PAGE_LOCALES)[number]) => string[] }> = [
  { name: 'handoff-push', source: HANDOFF_PUSH_JS, accessor: 'msg', pages: (locale) => [renderPushWait({ appName: 'A', session: 's', numberMatch: '42', eventsPath: '/e', leave: '/l', locale })] },
  {
    name: 'handoff-call.js',
    source: asset('phone', 'handoff-call.js'),
    accessor: 'msg',
    pages: (locale) => [renderCallCode({ ...call, smsAllowed: true, locale }), renderCallApproval({ ...call, numberMatch: '42', locale }), renderFlashCall({ ...call, callerIdPrefix: '+1500', digits: 4, locale })],
  },
  {
    name: 'handoff-passkey.js',
    source: asset('passkey', 'handoff-passkey.js'),
    accessor: 'text',
    pages: (locale) => [
      renderPasskeySignIn({ appName: 'A', session: 's', leave: '/l', factorSid: 'YF1', name: 'n', options: OPTIONS, locale }),
      renderPasskeyEnroll({ appName: 'A', session: 's', leave: '/l', options: OPTIONS, locale }),
      renderPasskeyIdentify({ appName: 'A', session: 's', leave: '/l', options: OPTIONS, locale }),
    ],
  },
  {
    name: 'handoff-passkey-card.js',
    source: asset('passkey', 'handoff-passkey-card.js'),
    accessor: 'text',
    pages: (locale) => [passkeyCard({ session: 's', locale }, { kind: 'passkey', passkeys: [{ factorSid: 'YF1', name: 'n' }] }).value],
  },
  { name: 'handoff-enroll-push.js', source: asset('push', 'handoff-enroll-push.js'), accessor: 'text', pages: (locale) => [enrollPushPage({ appName: 'A', session: 's', token: 't', qrSvg: '<svg ></svg>', minutes: 5, locale })] },
  {
    name: 'handoff-voiceprint.js',
    source: asset('voiceprint', 'handoff-voiceprint.js'),
    accessor: 'text',
    pages: (locale) =>
      (['verify', 'enroll'] as const).map((mode) => renderVoiceprintRecorder({ mode, appName: 'A', session: 's', phrase: 'p', uploadPath: '/u', leave: '/l', progress: { accepted: 0, needed: 3 }, locale })),
  },
];

describe('page scripts get every text from the page', () => {
  for (const script of SCRIPTS) {
    it(`${script.name}: every text it reads is on each of its pages, in every language`, () => {
      const names = namesRead(script.source, script.accessor);
      assert.ok(names.length > 0, `${script.name} reads texts through ${script.accessor}()`);
      for (const locale of PAGE_LOCALES) for (const [i, page] of script.pages(locale).entries()) assertSupplies(page, names, `${script.name} page ${i} in ${locale}`);
    });

    it(`${script.name}: no English text of its own`, () => {
      // A text of its own would be a string literal with a space in it, passed to the accessor or shown directly.
      assert.doesNotMatch(script.source, new RegExp(`\\b${script.accessor}\\('[\\w-]+',\\s*'`), 'no fallback after a message name');
      assert.doesNotMatch(script.source, /textContent = '[A-Z][^']* [^']*'/, 'no literal shown');
    });
  }
});
