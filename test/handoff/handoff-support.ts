import { SignJWT, type JWK } from 'jose';
import assert from 'node:assert/strict';
import { createHostedSession, findHostedSession, formToken, HANDOFF_SESSION_MS, newBrowserSecret, newSessionId, parseFormToken, type HandoffSession } from '../../src/handoff/handoff-session.ts';
import type { Submission } from '../../src/hosted-factors/hosted-flow.ts';
import { startVerity, type SimCall, type TestVerity } from '../support/start-verity.ts';

export const RETURN_URL = 'https://app.example.com/mfa/done';

export interface TestClient {
  sid: string;
  serviceSid: string;
  secret?: string;
}

export async function createService(v: TestVerity): Promise<string> {
  const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Handoff' });
  return service.body.sid as string;
}

export async function createClient(v: TestVerity, serviceSid: string, extra: Record<string, string | string[]> = {}): Promise<TestClient> {
  const created = await v.api('POST', `/v2/Services/${serviceSid}/HandoffClients`, { FriendlyName: 'App', ReturnUrl: [RETURN_URL, 'http://localhost:3000/cb'], ...extra });
  if (created.status !== 201) throw new Error(`client creation failed: ${JSON.stringify(created.body)}`);
  return { sid: created.body.sid, serviceSid, secret: created.body.secret };
}

/** A client with a shared secret (HS256) whose only return URL is `returnUrl`. */
export async function createSecretClient(v: TestVerity, serviceSid: string, friendlyName: string, returnUrl: string): Promise<{ sid: string; secret: string }> {
  const { sid, secret } = await createClient(v, serviceSid, { FriendlyName: friendlyName, ReturnUrl: returnUrl });
  if (secret === undefined) throw new Error('the client has no secret');
  return { sid, secret };
}

export interface HandoffVerity {
  v: TestVerity;
  serviceSid: string;
  clientSid: string;
  secret: string;
}

/**
 * A Verity on the injected clock (on PostgreSQL when `database` names one) with the service "Acme"
 * and a secret client `clientName` whose only return URL is `returnTo`: the hand-off suites' setup.
 */
export async function startHandoffVerity(returnTo: string, { database, clientName = 'Acme Shop', env }: { database?: { postgresUrl?: string }; clientName?: string; env?: Record<string, string> } = {}): Promise<HandoffVerity> {
  const v = await startVerity({ manualClock: true, ...(env ? { env } : {}), ...(database?.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
  const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
  const { sid: clientSid, secret } = await createSecretClient(v, serviceSid, clientName, returnTo);
  return { v, serviceSid, clientSid, secret };
}

/** A request token with every claim valid unless overridden (`undefined` removes a claim). */
export async function requestToken(
  v: TestVerity,
  client: TestClient,
  overrides: Record<string, unknown> = {},
  signing: { key?: Uint8Array | CryptoKey; alg?: string; kid?: string } = {},
): Promise<string> {
  const now = Math.floor(v.ctx.clock.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: client.sid,
    aud: v.ctx.config.publicUrl,
    sub: 'user-1234',
    iat: now,
    exp: now + 60,
    jti: `jti-${Math.random().toString(36).slice(2)}`,
    state: 'session-state-1',
    return_to: RETURN_URL,
    factors: ['totp', 'push'],
    ...overrides,
  };
  for (const [k, value] of Object.entries(claims)) if (value === undefined) delete claims[k];
  const key = signing.key ?? new TextEncoder().encode(client.secret as string);
  return new SignJWT(claims).setProtectedHeader({ alg: signing.alg ?? 'HS256', kid: signing.kid ?? client.sid, typ: 'verity-handoff-request+jwt' }).sign(key);
}

export function publicOf(jwk: JWK): JWK {
  const rest = { ...jwk };
  delete rest.d;
  return rest;
}

/** A hosted page as a browser without script sees it: the last response, after Verity's own redirects. */
export interface HostedPage {
  status: number;
  html: string;
  headers: Headers;
  /** The URL of this response (Verity's session page after a step). */
  url: string;
}

/**
 * A browser without script: it keeps cookies (Verity's browser binding), follows Verity's own 303s
 * (a step → the session's page) and stops at any other origin (the application's return_to), whose
 * 303 it returns with its Location.
 */
export class HostedBrowser {
  readonly cookies = new Map<string, string>();

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  /** The Cookie header this browser sends (for a script's fetch, such as a voice upload). */
  cookieHeader(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private async request(url: string, init: RequestInit = {}): Promise<HostedPage> {
    let target = url;
    let options: RequestInit = init;
    for (let hop = 0; hop < 5; hop++) {
      const response = await fetch(target, { ...options, redirect: 'manual', headers: { ...(options.headers as Record<string, string> | undefined), ...this.cookieHeader() } });
      this.remember(response);
      const location = response.headers.get('location');
      const next = location !== null ? new URL(location, target) : undefined;
      if (response.status === 303 && next && next.origin === new URL(target).origin) {
        target = next.toString();
        // A browser's GET after a 303: no body, its own headers (the language) kept.
        const headers = Object.fromEntries(Object.entries((options.headers ?? {}) as Record<string, string>).filter(([name]) => name !== 'content-type'));
        options = { headers };
        continue;
      }
      return { status: response.status, html: await response.text(), headers: response.headers, url: target };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  get(url: string, headers: Record<string, string> = {}): Promise<HostedPage> {
    return this.request(url, { headers });
  }

  /** Submits a hosted page's form (urlencoded, as the browser does). */
  post(baseUrl: string, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<HostedPage> {
    return this.request(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}

/** The cookie that binds hosted sessions to a browser, as the pages set it over http (handoff-flow.ts). */
const BINDING_COOKIE = 'verity_handoff';

/** This browser's binding secret, made up (as the pages would set it) when it has none yet. */
function bindingOf(browser: HostedBrowser): string {
  const existing = browser.cookies.get(BINDING_COOKIE);
  if (existing) return existing;
  const secret = newBrowserSecret();
  browser.cookies.set(BINDING_COOKIE, secret);
  return secret;
}

/**
 * Stores `session` as if its pages had reached a step (for tests that start mid-way, e.g. with an
 * enrollment grant), bound to `browser`; its form token, to post as `session`.
 */
export async function plantSession(v: TestVerity, session: HandoffSession, browser: HostedBrowser = testBrowser): Promise<string> {
  const page = { html: '<!doctype html><title>planted</title>', status: 200, script: false, formTargets: [] };
  const { nonce } = await createHostedSession(v.ctx, session, page, bindingOf(browser));
  return formToken(session.id, nonce);
}

/** The session behind a form token, as the server holds it now. */
export async function sessionOf(v: TestVerity, token: string, browser: HostedBrowser = testBrowser): Promise<HandoffSession> {
  const form = parseFormToken(token);
  if (!form) throw new Error(`not a form token: ${token}`);
  return (await findHostedSession(v.ctx, form.id, browser.cookies.get(BINDING_COOKIE))).session;
}

/** The browser the tests share unless they need another one (an attacker's, a second device). */
export const testBrowser = new HostedBrowser();

export function getPage(url: string): Promise<HostedPage> {
  return testBrowser.get(url);
}

/** Submits a hosted page's form with the shared test browser. */
export function postForm(baseUrl: string, path: string, form: Record<string, string>): Promise<HostedPage> {
  return testBrowser.post(baseUrl, path, form);
}

const HTML_ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&#96;': '`', '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** Text or an attribute value as the browser reads it: the pages' escapes decoded. */
export function unescapeHtml(text: string): string {
  return text.replace(/&quot;|&#39;|&#96;|&lt;|&gt;|&amp;/g, (entity) => HTML_ENTITIES[entity] as string);
}

/** What a reader sees: the text between the tags (scripts dropped), entities decoded, spaces collapsed. */
export function visibleText(html: string): string {
  return unescapeHtml(html.replace(/<script[\s\S]*?<\/script>|<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
}

/** The value of a hidden input, unescaped. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no hidden field ${name} in the page`);
  return unescapeHtml(match[1] as string);
}

/** A server for passkey pages, its service (relying party `localhost`) and a hand-off client. */
export interface PasskeyHandoff {
  v: TestVerity;
  /** The pages' public origin: `http://localhost:<port>`. */
  origin: string;
  serviceSid: string;
  clientSid: string;
  secret: string;
}

/**
 * Browsers refuse an IP address as RP ID: the pages' public origin is localhost (the tests still
 * connect to 127.0.0.1). `passkeys` adds `Passkeys.*` settings to the service.
 */
export async function startPasskeyHandoff(returnTo: string, passkeys: Record<string, string> = {}): Promise<PasskeyHandoff> {
  const v = await startVerity({ manualClock: true });
  const origin = v.url.replace('127.0.0.1', 'localhost');
  v.ctx.config.publicUrl = origin;
  const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Acme', 'Passkeys.RelyingParty.Id': 'localhost', 'Passkeys.RelyingParty.Origins': origin, ...passkeys });
  if (service.status !== 201) throw new Error(`service creation failed: ${JSON.stringify(service.body)}`);
  const serviceSid = service.body.sid as string;
  const { sid: clientSid, secret } = await createSecretClient(v, serviceSid, 'Acme Shop', returnTo);
  return { v, origin, serviceSid, clientSid, secret };
}

/** The session's way back to the application (`/handoff/page/<id>/return`, a signed error result), from a page's form token. */
export function sessionReturnOf(html: string): string {
  const form = parseFormToken(hiddenField(html, 'session'));
  if (!form) throw new Error('the page has no form token');
  return `/handoff/page/${form.id}/return`;
}

/** Every link of a page (`<a href>`), unescaped. */
export function linksOf(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => unescapeHtml(m[1] as string));
}

/**
 * The error of input `id` as a screen reader and the eye meet it: `role="alert"` directly above the
 * input (inside its form), the input `aria-invalid` and described by the error, and no second copy
 * in a banner at the top. Returns the error's text.
 */
export function fieldErrorOf(html: string, id: string): string {
  const match = new RegExp(`<p class="field-error" id="${id}-error" role="alert">([^<]*)</p>\\n(<input\\b[^>]*\\bid="${id}"[^>]*>)`).exec(html);
  if (!match) throw new Error(`no error at field ${id}`);
  const input = match[2] as string;
  if (!/\baria-invalid="true"/.test(input)) throw new Error(`field ${id} is not aria-invalid`);
  const describedBy = /\baria-describedby="([^"]*)"/.exec(input)?.[1]?.split(' ') ?? [];
  if (!describedBy.includes(`${id}-error`)) throw new Error(`field ${id} is not described by its error`);
  const form = html.lastIndexOf('<form', match.index);
  if (form < 0 || html.lastIndexOf('</form>', match.index) > form) throw new Error(`the error of ${id} is not inside its form`);
  if (/<div class="alert"[^>]*role="alert"/.test(html)) throw new Error('the error is also in a banner at the top');
  return unescapeHtml(match[1] as string);
}

let hubJti = 0;

/**
 * A hub session as the enrollment hand-off opens it for a user with nothing to prove (`amr: []`),
 * built directly, for tests that drive the hub's domain functions without pages.
 */
export function hubSession(v: TestVerity, serviceSid: string, subject: string, returnTo = 'https://app.example.com/back'): HandoffSession {
  const now = v.ctx.clock.now();
  return {
    id: newSessionId(),
    request: { clientSid: 'HC0', serviceSid, subject, state: 's', returnTo, factors: ['sms', 'call'], acr: undefined, purpose: 'enroll', jti: `jti-hub-${++hubJti}`, issuedAt: now / 1000, expiresAt: now / 1000 + 60 },
    accountSid: v.accountSid,
    appName: 'Acme',
    entitySid: undefined,
    challenges: {},
    enrollment: { amr: [] },
    locale: 'en',
    expiresAt: now + HANDOFF_SESSION_MS,
  };
}

/** The session a hub step left, when it answered a page. */
export function sessionAfter(outcome: Submission): HandoffSession {
  assert.equal(outcome.kind, 'page');
  return (outcome as Extract<Submission, { kind: 'page' }>).session;
}

/** The first call to `phone` once its spoken prompts match `text` (the simulator speaks on its own time). */
export async function waitForPrompt(v: TestVerity, phone: string, text: RegExp): Promise<SimCall> {
  for (let i = 0; i < 200; i++) {
    const [call] = await v.phone(phone).calls();
    if (call && text.test(v.phone(phone).heard(call))) return call;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`never heard ${text} on a call to ${phone}`);
}
