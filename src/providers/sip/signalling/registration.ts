import type { SipMessage } from 'sip';
import { signRequest, type DigestCredentials } from './digest-credentials.ts';
import { ALLOW, newCallId, newTag, uriUser } from './sip-headers.ts';
import type { SipLogger } from './sip-signalling.ts';
import { describe, type SipStack } from './sip-stack.ts';

/** After a failed REGISTER, the next try. */
const RETRY_MS = 30_000;
/** Refreshed at half the granted lifetime (RFC 3261 §10.2.4 leaves the margin to the UA), never more often than this. */
const MIN_REFRESH_MS = 5_000;

export interface RegistrationEnvironment {
  stack: SipStack;
  domain: string;
  /** The Contact registered, `<sip:user@public:port[;transport=…]>`. */
  contact: string;
  userAgent: string;
  credentials: DigestCredentials;
  logger: SipLogger;
  proxyRoute(): Promise<string>;
}

/**
 * Verity's registration with its trunk (RFC 3261 §10.2): REGISTER with digest credentials, kept
 * alive at half the lifetime the registrar grants, removed (Expires: 0) on `stop`. One Call-ID for
 * all of them and an increasing CSeq (§10.2.4).
 */
export class Registration {
  private readonly callId = newCallId();
  private seq = 1;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private registered = false;

  constructor(
    private readonly env: RegistrationEnvironment,
    private readonly expiresSeconds: number,
  ) {}

  /** The first REGISTER; resolves with whether the registrar accepted it (failures are retried). */
  async start(): Promise<boolean> {
    const granted = await this.register(this.expiresSeconds);
    this.schedule(granted);
    return granted !== undefined;
  }

  /** Stops refreshing and unregisters (when registered); resolves when the registrar answered. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.registered) await this.register(0);
  }

  private schedule(granted: number | undefined): void {
    if (this.stopped) return;
    const delay = granted === undefined ? RETRY_MS : Math.max(MIN_REFRESH_MS, (granted * 1000) / 2);
    this.timer = setTimeout(() => {
      void this.register(this.expiresSeconds)
        .catch((error: unknown) => {
          this.env.logger.warn({ err: describe(error) }, 'SIP REGISTER failed');
          return undefined;
        })
        .then((next) => this.schedule(next));
    }, delay);
    this.timer.unref();
  }

  /** One REGISTER (and its answer to a challenge); resolves with the granted lifetime, or undefined when refused. */
  private async register(expires: number): Promise<number | undefined> {
    let route: string;
    try {
      route = await this.env.proxyRoute();
    } catch (error) {
      this.env.logger.warn({ err: describe(error) }, 'SIP REGISTER: the proxy\'s address cannot be resolved');
      return undefined;
    }
    const first = await this.send(this.build(route, expires));
    let response = first.response;
    if ((response.status === 401 || response.status === 407) && !first.synthetic) {
      const signed = this.build(route, expires);
      const outcome = signRequest(signed, response, this.env.credentials);
      if (!outcome.ok) {
        this.env.logger.warn({ status: response.status }, `SIP REGISTER refused: ${outcome.error}`);
        return undefined;
      }
      response = (await this.send(signed)).response;
    }
    const status = response.status ?? 0;
    if (status < 200 || status >= 300) {
      this.env.logger.warn({ status }, expires === 0 ? 'SIP unREGISTER refused' : 'SIP REGISTER refused');
      if (expires === 0) this.registered = false;
      return undefined;
    }
    this.registered = expires !== 0;
    const granted = expires === 0 ? 0 : grantedExpires(response, this.env.contact, expires);
    this.env.logger.info({ expires: granted }, expires === 0 ? 'SIP registration removed' : 'SIP registered');
    return granted;
  }

  private build(route: string, expires: number): SipMessage {
    const aor = `sip:${uriUser(this.env.credentials.username)}@${this.env.domain}`;
    return {
      method: 'REGISTER',
      uri: `sip:${this.env.domain}`,
      headers: {
        via: [],
        'max-forwards': 70,
        route,
        from: { uri: aor, params: { tag: newTag() } },
        to: { uri: aor, params: {} },
        'call-id': this.callId,
        cseq: { seq: this.seq++, method: 'REGISTER' },
        contact: [{ uri: this.env.contact.replace(/^<|>$/g, ''), params: {} }],
        expires: String(expires),
        'user-agent': this.env.userAgent,
        allow: ALLOW,
      },
    };
  }

  private send(request: SipMessage): Promise<{ response: SipMessage; synthetic: boolean }> {
    return new Promise((resolve) => {
      this.env.stack.request(request, (response, synthetic) => {
        if ((response.status ?? 0) >= 200) resolve({ response, synthetic });
      });
    });
  }
}

/** The lifetime the registrar granted our contact (its `expires` parameter, else the Expires header, else what we asked). */
export function grantedExpires(response: SipMessage, contact: string, asked: number): number {
  const ours = contact.replace(/^<|>$/g, '').replace(/^sips?:/, '');
  const contacts = Array.isArray(response.headers.contact) ? response.headers.contact : [];
  const match = contacts.find((entry) => typeof entry.uri === 'string' && entry.uri.replace(/^sips?:/, '') === ours);
  const fromContact = Number(match?.params['expires']);
  if (Number.isFinite(fromContact) && fromContact > 0) return fromContact;
  const fromHeader = Number(response.headers.expires);
  if (Number.isFinite(fromHeader) && fromHeader > 0) return fromHeader;
  return asked;
}
