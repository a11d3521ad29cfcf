import { connect, constants, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { rootCertificates } from 'node:tls';

/** An HTTP/2 response read whole (push provider answers are small JSON documents). */
export interface Http2Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Http2OriginOptions {
  /** `https://host[:port]`; TLS always, with the certificate checked. */
  origin: string;
  /** Extra PEM certificate authorities trusted besides the system's (a test CA, a corporate proxy's). */
  extraCa?: string | undefined;
  /**
   * A request that has not answered in full in this long fails (and may be retried), and its
   * connection is dropped so the next request opens a new one: a TLS handshake that never ends, or a
   * connection gone dead without a reset, would otherwise hold every later request as well.
   */
  timeoutMs?: number;
}

/** Largest response body read; providers answer a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * One long-lived HTTP/2 connection to a push provider, reopened when it closes or the server sends
 * GOAWAY. Apple asks providers to keep their connections open rather than reconnect per
 * notification (APNs "Sending notification requests": "keep your connections with APNs open across
 * multiple notifications"), and FCM and Google's token endpoint speak HTTP/2 as well.
 */
export class Http2Origin {
  private session: ClientHttp2Session | undefined;
  private readonly ca: string[] | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: Http2OriginOptions) {
    if (!options.origin.startsWith('https://')) throw new TypeError('push providers are reached over TLS only (https://)');
    // `ca` replaces Node's roots: keep them and add the extra one, so it only ever widens trust by that CA.
    this.ca = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private open(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.options.origin, this.ca ? { ca: this.ca } : {});
    const forget = (): void => {
      if (this.session === session) this.session = undefined;
    };
    session.on('close', forget);
    session.on('goaway', forget);
    // A connection error fails the requests under way (they see it); the next request reconnects.
    session.on('error', forget);
    // Idle connections must not keep the process alive.
    session.unref();
    this.session = session;
    return session;
  }

  /** Sends one request; rejects on a network error or timeout (never on an HTTP status). */
  request(method: string, path: string, headers: OutgoingHttpHeaders, body: string | undefined): Promise<Http2Response> {
    return new Promise((resolve, reject) => {
      let session: ClientHttp2Session;
      try {
        session = this.open();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const stream = session.request({ [constants.HTTP2_HEADER_METHOD]: method, [constants.HTTP2_HEADER_PATH]: path, ...headers }, { endStream: body === undefined });
      const chunks: Buffer[] = [];
      let size = 0;
      let status = 0;
      const responseHeaders: Record<string, string> = {};
      let settled = false;
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        finish();
      };
      // A deadline for the whole request, not the stream's idle timer: that one never fires while the
      // session is still connecting (a server that accepts TCP and stalls the handshake held requests forever).
      const deadline = setTimeout(() => {
        settle(() => reject(new Error('no response (timeout)')));
        if (this.session === session) this.session = undefined;
        session.destroy();
      }, this.timeoutMs);
      stream.on('response', (h) => {
        status = Number(h[constants.HTTP2_HEADER_STATUS]);
        for (const [name, value] of Object.entries(h)) if (!name.startsWith(':') && value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : String(value);
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) stream.close(constants.NGHTTP2_CANCEL);
        else chunks.push(chunk);
      });
      stream.on('error', (error) => settle(() => reject(error)));
      stream.on('close', () => {
        if (status === 0 || size > MAX_BODY_BYTES) settle(() => reject(new Error(status === 0 ? 'no response (connection closed)' : 'response too large')));
        else settle(() => resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') }));
      });
      if (body !== undefined) stream.end(body);
    });
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }
}
