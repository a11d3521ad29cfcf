import type { CallEnd } from '../../../voice/call-script.ts';

/**
 * Verity's SIP user agent, as the SIP voice provider (../sip-voice-provider.ts) uses it: it places
 * calls through one trunk or proxy and reports each call's progress. Built on the npm `sip` package
 * (message parsing, transports, transactions and their timers, digest); the dialog layer (route
 * set, CSeq, ACK for 2xx, BYE, CANCEL) is ours, as that package has none.
 */

export type SipTransport = 'udp' | 'tcp' | 'tls';

/** The pino methods the user agent logs with (never a password, never an SDP's contents). */
export type SipLogger = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; debug(obj: object, msg?: string): void };

export interface SipUserAgentOptions {
  /** Where every request is sent (an outbound proxy: the trunk, the PBX or an SBC). */
  proxy: { host: string; port: number; transport: SipTransport };
  /** Host part of request URIs, From and To (the trunk's domain or realm); often the proxy's host. */
  domain: string;
  /** Digest credentials, answered to 401/407 (one retry per challenge). Absent: no authentication. */
  credentials?: { username: string; password: string };
  /** REGISTER Verity's contact with the trunk, refreshed before it expires. Absent: no registration (most trunks authenticate per call). */
  register?: { expiresSeconds: number };
  /** Local socket. Port 0: any free port (tests). */
  listen: { address: string; port: number };
  /** The address written into Via, Contact and SDP (the NAT's public address, or the listen address). */
  publicAddress: string;
  /** TLS transport: the CA to trust, whether to verify the name, and the name to expect. */
  tls?: { ca?: string; verify: boolean; servername?: string };
  /** User-Agent header. */
  userAgent: string;
  logger: SipLogger;
}

/** A call Verity places. */
export interface InviteRequest {
  /** Verity's call id (`CL…`), for logs. */
  callSid: string;
  /** User part of the request URI: the number as the trunk wants it (`+14155550100` or `14155550100`). */
  to: string;
  /** The caller id: the user part of From (and of P-Asserted-Identity when `assertIdentity`). */
  callerId: string;
  /** Also send P-Asserted-Identity (trunks that take the caller id from it, RFC 3325). */
  assertIdentity: boolean;
  /** The SDP offer (media/sdp.ts). */
  sdpOffer: string;
}

/** What a call reports, each in order; `ended` exactly once and last. */
export interface CallSignals {
  /** 180 or 183, with the SDP of early media when the response carries one. */
  progress(status: number, sdp: string | undefined): void;
  /** The 2xx (already ACKed): the SDP answer. */
  answered(sdp: string): void;
  /**
   * The call is over: a final non-2xx (486/600 busy, 603 rejected, 408/480 no-answer, 487 after our
   * CANCEL canceled, others failed), our CANCEL/BYE done (`canceled`/`completed`), or the callee's BYE
   * (`completed`). `status` is the SIP status that ended it, when there was one.
   */
  ended(how: CallEnd, detail: string, status?: number): void;
}

export interface OutgoingCall {
  /** The Call-ID. */
  readonly id: string;
  /** CANCEL while it rings, BYE once answered; nothing when over. Resolves when the transaction ends (or times out). */
  hangUp(): Promise<void>;
}

export interface SipUserAgent {
  invite(request: InviteRequest, signals: CallSignals): OutgoingCall;
  /** Unregisters (when registered), ends live calls with BYE/CANCEL and closes the sockets. */
  close(): Promise<void>;
}
