/**
 * The part of npm `sip` (kirm/sip.js 0.0.6, CommonJS, no types of its own) that Verity's user agent
 * uses: `create` (parser, UDP/TCP/TLS transports, transactions with their timers) and `sip/digest`.
 * Headers are the library's parsed shapes (see sip.js `parsers`); anything a peer sent may be
 * missing or malformed, so every field a message carries is optional here.
 */
declare module 'sip' {
  /** A parsed URI (`parseUri`); undefined when the text is not a SIP URI. */
  export interface SipUri {
    schema: string;
    user?: string;
    password?: string;
    host: string;
    port: number;
    params: Record<string, string | null>;
    headers: Record<string, string>;
  }

  /** A name-addr as parsed (`parseAOR`): To, From, Contact; Route/Record-Route with `uri` parsed. */
  export interface SipAddress {
    name?: string;
    uri: string | SipUri;
    params: Record<string, string | null>;
  }

  export interface SipVia {
    version?: string;
    protocol?: string;
    host?: string;
    port?: number;
    params: Record<string, string | null>;
  }

  export interface SipCSeq {
    seq: number;
    method: string;
  }

  /** A digest challenge or credentials header, its values as written (quoted strings keep their quotes). */
  export type SipAuthHeader = { scheme?: string } & Record<string, string | undefined>;

  export interface SipHeaders {
    via?: SipVia[];
    to?: SipAddress;
    from?: SipAddress;
    'call-id'?: string;
    cseq?: SipCSeq;
    contact?: SipAddress[] | '*';
    route?: SipAddress[] | string;
    'record-route'?: SipAddress[];
    'www-authenticate'?: SipAuthHeader[];
    'proxy-authenticate'?: SipAuthHeader[];
    authorization?: SipAuthHeader[];
    'proxy-authorization'?: SipAuthHeader[];
    'content-type'?: string;
    'content-length'?: number;
    'max-forwards'?: number | string;
    expires?: string | number;
    [name: string]: unknown;
  }

  export interface SipMessage {
    method?: string;
    uri?: string | SipUri;
    status?: number;
    reason?: string;
    version?: string;
    headers: SipHeaders;
    content?: string;
  }

  /** Where a message came from or goes: the transport's flow. */
  export interface SipRemote {
    protocol: string;
    address: string;
    port: number;
    local?: { address: string; port: number };
  }

  export interface SipCreateOptions {
    address?: string;
    port?: number;
    publicAddress?: string;
    hostname?: string;
    udp?: boolean;
    tcp?: boolean;
    /** Passed to both `tls.createServer` and `tls.connect`. */
    tls?: Record<string, unknown>;
    tls_port?: number;
    maxBytesHeaders?: number;
    maxContentLength?: number;
    rport?: boolean;
    'max-forwards'?: number;
    logger?: {
      recv?(message: SipMessage, remote: SipRemote): void;
      send?(message: SipMessage, target: SipRemote): void;
      error?(error: unknown): void;
    };
  }

  export interface SipStack {
    /** A request opens a client transaction (ACK: sent as is); a response goes to its server transaction. */
    send(message: SipMessage, onResponse?: (response: SipMessage) => void): void;
    destroy(): void;
  }

  interface SipModule {
    create(options: SipCreateOptions, onRequest: (request: SipMessage, remote: SipRemote) => void): SipStack;
    makeResponse(request: SipMessage, status: number, reason?: string, extension?: { headers?: SipHeaders; content?: string }): SipMessage;
    parseUri(text: string): SipUri | undefined;
    stringifyUri(uri: string | SipUri): string;
    stringify(message: SipMessage): string;
    parse(data: Buffer | string): SipMessage | undefined;
  }

  const sip: SipModule;
  export default sip;
}

declare module 'sip/digest.js' {
  import type { SipMessage } from 'sip';

  /** The client's digest state for one challenge: nonce, realm, qop, cnonce and the nonce count. */
  export type DigestContext = Record<string, unknown>;

  interface DigestModule {
    /** Adds (Proxy-)Authorization to `request` answering `challenge` (a 401/407); returns the context when qop is used. */
    signRequest(
      context: DigestContext | undefined,
      request: SipMessage,
      challenge: SipMessage | undefined,
      credentials: { user: string; password: string; realm?: string },
    ): DigestContext | null;
    calculateDigest(fields: { ha1: string; method: string; nonce: string; nc?: string; cnonce?: string; qop?: string; uri: string; entity?: string }): string;
    calculateUserRealmPasswordHash(user: string, realm: string, password: string): string;
  }

  const digest: DigestModule;
  export default digest;
}
