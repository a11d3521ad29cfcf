import { request as httpRequest } from 'node:http';

export interface ConsoleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The Set-Cookie lines of this response. */
  setCookies: string[];
  location: string | undefined;
}

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * The admin console as a browser uses it, over plain HTTP: a cookie jar (path-scoped, `Max-Age=0`
 * deletes), and form posts with the headers a browser adds to a same-origin form submission
 * (`Origin`, `Sec-Fetch-Site: same-origin`, …) unless told otherwise. `localAddress` picks the client
 * IP (any 127.x address reaches the server on loopback), for per-IP limits.
 */
export class ConsoleClient {
  readonly cookies = new Map<string, StoredCookie>();

  constructor(
    readonly base: string,
    private readonly localAddress = '127.0.0.1',
  ) {}

  get origin(): string {
    return new URL(this.base).origin;
  }

  /** The headers Chromium sends with a form post from a page of the console. */
  get sameOrigin(): Record<string, string> {
    return { origin: this.origin, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-user': '?1' };
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<ConsoleResponse> {
    return this.send('GET', path, undefined, { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', ...headers });
  }

  /** A form post; `headers` replace the browser's same-origin headers (pass `null` values to drop one). */
  async post(path: string, form: Record<string, string> | URLSearchParams, headers: Record<string, string | null> = {}): Promise<ConsoleResponse> {
    return this.postBody(path, new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded', headers);
  }

  /** A same-origin post of any body (a form a browser would not send: repeated fields, JSON). */
  async postBody(path: string, body: string, contentType: string, headers: Record<string, string | null> = {}): Promise<ConsoleResponse> {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...this.sameOrigin, ...headers })) if (v !== null) merged[k] = v;
    return this.send('POST', path, body, { 'content-type': contentType, ...merged });
  }

  /** The sign-in page's CSRF token (GET /admin/sign-in sets the sign-in cookie it is bound to). */
  async signInToken(): Promise<string> {
    const page = await this.get('/admin/sign-in');
    const token = /name="csrf_token" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token on the sign-in page (${page.status})`);
    return token;
  }

  /** Signs in through the form as a person does; returns the POST's response (303 on success). */
  async signIn(accountSid: string, authToken: string, next?: string): Promise<ConsoleResponse> {
    const csrf = await this.signInToken();
    return this.post('/admin/sign-in', { account_sid: accountSid, auth_token: authToken, csrf_token: csrf, ...(next === undefined ? {} : { next }) });
  }

  /** The CSRF token of a page of the signed-in console. */
  static csrfOf(page: ConsoleResponse): string {
    const token = /name="csrf_token" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token in the page (${page.status})`);
    return token;
  }

  private cookieHeader(path: string): string | undefined {
    const pairs = [...this.cookies.entries()].filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || path.startsWith(`${c.path}?`));
    return pairs.length ? pairs.map(([name, c]) => `${name}=${c.value}`).join('; ') : undefined;
  }

  private remember(lines: string[]): void {
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      if (attributes.some((a) => /^max-age=0$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  private send(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<ConsoleResponse> {
    const url = new URL(path, this.base);
    const cookie = this.cookieHeader(url.pathname);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        { method, localAddress: this.localAddress, headers: { ...(cookie ? { cookie } : {}), ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const raw = res.headers['set-cookie'];
            const setCookies = raw ?? [];
            this.remember(setCookies);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), setCookies, location: res.headers.location });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
