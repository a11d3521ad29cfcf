import type { SipMessage } from 'sip';
import type { CallEnd } from '../../../voice/call-script.ts';
import { callEndForStatus } from './call-end-for-status.ts';
import { dialogFrom, inDialogRequest, type Dialog } from './dialog.ts';
import { isStale, answerableChallenge, signRequest, type DigestCredentials } from './digest-credentials.ts';
import { ALLOW, newCallId, newTag, sdpOf, uriUser } from './sip-headers.ts';
import type { CallSignals, InviteRequest, OutgoingCall, SipLogger } from './sip-signalling.ts';
import { describe, newBranch, type SipStack } from './sip-stack.ts';

/** 64*T1 (RFC 3261 §17.1.1.2): how long to wait for the INVITE's final response after our CANCEL (§9.1). */
const CANCEL_WAIT_MS = 32_000;
const T1_MS = 500;
const T2_MS = 4_000;

/** What an outgoing call needs from its user agent. */
export interface CallEnvironment {
  stack: SipStack;
  domain: string;
  /** Our Contact, `<sip:user@public:port[;transport=…]>`. */
  contact: string;
  userAgent: string;
  credentials: DigestCredentials | undefined;
  logger: SipLogger;
  /** The Route naming the outbound proxy by address, `<sip:ip:port;transport=…;lr>` (resolved per call). */
  proxyRoute(): Promise<string>;
  /** Calls by Call-ID, for the requests the callee sends. */
  calls: Map<string, OutgoingInvite>;
}

/** Answers the request being handled through its server transaction. */
export type Respond = (status: number, reason: string, extra?: { headers?: Record<string, unknown>; content?: string }) => void;

type State = 'calling' | 'proceeding' | 'answered' | 'ended';

/**
 * One call Verity places: the INVITE client side of RFC 3261 (§13.2) on top of npm `sip`'s INVITE
 * client transaction, and the dialog it makes (§12), with CANCEL (§9.1) and BYE (§15.1). Each
 * signal is given at most once, `ended` exactly once and last.
 */
export class OutgoingInvite implements OutgoingCall {
  readonly id = newCallId();
  private readonly localTag = newTag();
  private state: State = 'calling';
  /** A provisional response arrived in the current INVITE transaction: CANCEL may be sent (§9.1). */
  private provisional = false;
  private seq = 1;
  private invite: SipMessage | undefined;
  private inviteSeq = 1;
  private route = '';
  private challenges = 0;
  private staleRetried = false;
  private hangUpRequested = false;
  private cancelSent = false;
  private cancelTimer: NodeJS.Timeout | undefined;
  private dialog: Dialog | undefined;
  private ack: SipMessage | undefined;
  private reinviteAnswer: { seq: number; timer: NodeJS.Timeout } | undefined;
  private readonly over: Promise<void>;
  private resolveOver!: () => void;

  constructor(
    private readonly env: CallEnvironment,
    private readonly request: InviteRequest,
    private readonly signals: CallSignals,
  ) {
    this.over = new Promise((resolve) => (this.resolveOver = resolve));
    env.calls.set(this.id, this);
    void this.start().catch((error: unknown) => this.guard(() => this.end('failed', `the INVITE could not be sent (${describe(error)})`)));
  }

  /** Whether the call is over (its `ended` was given). */
  get ended(): boolean {
    return this.state === 'ended';
  }

  hangUp(): Promise<void> {
    if (this.state === 'ended' || this.hangUpRequested) return this.over;
    this.hangUpRequested = true;
    this.log('info', 'hanging up');
    if (this.state === 'answered') this.sendBye('completed', 'hung up by Verity');
    else if (this.provisional) this.sendCancel();
    // 'calling' with no provisional response yet: §9.1 forbids a CANCEL now; it goes with the first one.
    return this.over;
  }

  private async start(): Promise<void> {
    try {
      this.route = await this.env.proxyRoute();
    } catch (error) {
      this.end('failed', `the proxy's address cannot be resolved (${describe(error)})`);
      return;
    }
    if (this.hangUpRequested) {
      this.end('canceled', 'hung up before the INVITE was sent');
      return;
    }
    this.guard(() => this.sendInvite());
  }

  private buildInvite(): SipMessage {
    const { domain } = this.env;
    const caller = `sip:${uriUser(this.request.callerId)}@${domain}`;
    this.inviteSeq = this.seq++;
    return {
      method: 'INVITE',
      uri: `sip:${uriUser(this.request.to)}@${domain}`,
      headers: {
        via: [],
        'max-forwards': 70,
        route: this.route,
        from: { uri: caller, params: { tag: this.localTag } },
        to: { uri: `sip:${uriUser(this.request.to)}@${domain}`, params: {} },
        'call-id': this.id,
        cseq: { seq: this.inviteSeq, method: 'INVITE' },
        contact: [{ uri: this.env.contact.replace(/^<|>$/g, ''), params: {} }],
        ...(this.request.assertIdentity ? { 'p-asserted-identity': `<${caller}>` } : {}),
        'user-agent': this.env.userAgent,
        allow: ALLOW,
        'content-type': 'application/sdp',
      },
      content: this.request.sdpOffer,
    };
  }

  private sendInvite(credentialsFrom?: SipMessage): boolean {
    const invite = this.buildInvite();
    if (credentialsFrom && this.env.credentials) {
      const signed = signRequest(invite, credentialsFrom, this.env.credentials);
      if (!signed.ok) {
        this.end('failed', signed.error, credentialsFrom.status);
        return false;
      }
    }
    this.invite = invite;
    this.provisional = false;
    this.log('debug', credentialsFrom ? 'INVITE sent with credentials' : 'INVITE sent');
    // The library resends the INVITE, runs Timer B and ACKs non-2xx finals itself; 2xx are ours.
    this.env.stack.request(invite, (response, synthetic) => this.guard(() => this.onInviteResponse(invite, response, synthetic)));
    return true;
  }

  private onInviteResponse(invite: SipMessage, response: SipMessage, synthetic: boolean): void {
    const status = response.status ?? 0;
    if (status >= 200 && status < 300) return this.onSuccess(invite, response);
    if (this.state === 'ended' || invite !== this.invite) return;
    if (status < 200) return this.onProvisional(status, response, synthetic);
    if (synthetic) {
      // Timer B (no response at all) or a transport failure, as the library reports them.
      const why = status === 408 ? 'no response' : `the proxy could not be reached (${status})`;
      return this.end(this.hangUpRequested ? 'canceled' : 'failed', why);
    }
    if ((status === 401 || status === 407) && !this.hangUpRequested) return this.onChallenge(response);
    if (this.hangUpRequested && !this.cancelSent) return this.end('canceled', `hung up; the call had ended with ${status}`, status);
    const { how, detail } = callEndForStatus(status, this.cancelSent);
    this.end(how, detail, status);
  }

  private onProvisional(status: number, response: SipMessage, synthetic: boolean): void {
    if (synthetic) return;
    this.provisional = true;
    if (this.state === 'calling') this.state = 'proceeding';
    if (this.hangUpRequested) {
      if (!this.cancelSent) this.sendCancel();
      return;
    }
    if (status === 180 || status === 183) this.signal(() => this.signals.progress(status, sdpOf(response)));
  }

  private onChallenge(response: SipMessage): void {
    if (!this.env.credentials) return this.end('failed', 'authentication required but no credentials are configured', response.status);
    const challenge = answerableChallenge(response);
    // One answer per challenge; a new challenge after credentials means they were refused, unless it
    // only says the nonce went stale (RFC 2617 §3.2.1), which gets one more try.
    const staleRetry = challenge !== undefined && isStale(challenge) && !this.staleRetried && this.challenges > 0;
    if (this.challenges > 0 && !staleRetry) return this.end('failed', 'authentication refused', response.status);
    if (staleRetry) this.staleRetried = true;
    this.challenges++;
    this.state = 'calling';
    this.sendInvite(response);
  }

  private onSuccess(invite: SipMessage, response: SipMessage): void {
    const remoteTag = response.headers.to?.params['tag'];
    if (this.dialog) {
      // A retransmitted 2xx (our ACK was lost) is ACKed again; a 2xx from another fork (§13.2.2.4)
      // is ACKed and ended with BYE: Verity keeps the first answer only.
      if (remoteTag === this.dialog.remoteTag) this.sendAck();
      else this.ackAndByeFork(invite, response);
      return;
    }
    const dialog = dialogFrom(invite, response);
    if ('error' in dialog) {
      this.log('warn', `2xx not usable: ${dialog.error}`);
      if (this.state !== 'ended') this.end('failed', `answered with a broken 2xx (${dialog.error})`, response.status);
      return;
    }
    this.dialog = dialog;
    this.seq = Math.max(this.seq, dialog.localSeq + 1);
    this.ack = this.buildAck(dialog, invite);
    this.sendAck();
    this.clearCancelTimer();
    const sdp = sdpOf(response);
    if (this.state === 'ended') {
      // The call already ended (our CANCEL's guard timer gave up): hang the late answer up.
      this.sendBye(undefined, '');
      return;
    }
    this.state = 'answered';
    if (this.hangUpRequested) return this.sendBye('canceled', 'answered as the CANCEL crossed it: ACKed and hung up with BYE', response.status);
    if (sdp === undefined) return this.sendBye('failed', 'answered without an SDP answer', response.status);
    this.log('info', 'answered');
    this.signal(() => this.signals.answered(sdp));
  }

  private buildAck(dialog: Dialog, invite: SipMessage): SipMessage {
    // §13.2.2.4: the ACK for a 2xx is its own transaction (a new branch), through the route set,
    // with the INVITE's CSeq number and credentials.
    const credentials = Object.fromEntries((['authorization', 'proxy-authorization'] as const).flatMap((name) => (invite.headers[name] ? [[name, invite.headers[name]]] : [])));
    const ack = inDialogRequest(dialog, 'ACK', dialog.localSeq, this.route, { ...credentials, 'user-agent': this.env.userAgent });
    ack.headers.via = [{ params: { branch: newBranch() } }];
    return ack;
  }

  private sendAck(): void {
    if (!this.ack) return;
    // A copy each time: the library writes into the message it sends; the branch stays the same.
    this.env.stack.request(structuredClone(this.ack));
  }

  private ackAndByeFork(invite: SipMessage, response: SipMessage): void {
    const fork = dialogFrom(invite, response);
    if ('error' in fork) return;
    const ack = this.buildAck(fork, invite);
    this.env.stack.request(ack);
    this.env.stack.request(inDialogRequest(fork, 'BYE', fork.localSeq + 1, this.route, { 'user-agent': this.env.userAgent }));
    this.log('info', 'a second fork answered: ACKed and hung up');
  }

  private sendCancel(): void {
    const invite = this.invite;
    const via = invite?.headers.via?.[0];
    if (!invite || !via || this.cancelSent) return;
    this.cancelSent = true;
    // §9.1: the CANCEL names the INVITE's transaction: same request URI, Call-ID, From, To, CSeq
    // number, top Via (so the same branch) and Route.
    const cancel: SipMessage = {
      method: 'CANCEL',
      uri: invite.uri as string,
      headers: {
        via: [{ ...via, params: { ...via.params } }],
        'max-forwards': 70,
        route: this.route,
        from: invite.headers.from,
        to: invite.headers.to,
        'call-id': this.id,
        cseq: { seq: this.inviteSeq, method: 'CANCEL' },
        'user-agent': this.env.userAgent,
      },
    };
    this.log('debug', 'CANCEL sent');
    this.env.stack.request(cancel, (response) => this.guard(() => this.log('debug', `CANCEL answered ${response.status}`)));
    this.cancelTimer = setTimeout(() => this.guard(() => this.end('canceled', 'no final response after CANCEL')), CANCEL_WAIT_MS);
    this.cancelTimer.unref();
  }

  private sendBye(how: CallEnd | undefined, detail: string, status?: number): void {
    const dialog = this.dialog;
    if (!dialog) return;
    const send = (credentialsFrom?: SipMessage) => {
      const bye = inDialogRequest(dialog, 'BYE', this.seq++, this.route, { 'user-agent': this.env.userAgent });
      if (credentialsFrom && this.env.credentials && !signRequest(bye, credentialsFrom, this.env.credentials).ok) return false;
      this.env.stack.request(bye, (response, synthetic) =>
        this.guard(() => {
          const code = response.status ?? 0;
          if (code < 200) return;
          if ((code === 401 || code === 407) && !synthetic && !credentialsFrom && send(response)) return;
          this.log('debug', `BYE answered ${code}${synthetic ? ' (no response)' : ''}`);
          if (how) this.end(how, detail, status);
        }),
      );
      return true;
    };
    send();
  }

  /** The user agent is closing and gave up waiting for this call's hang-up: it ends here. */
  abandon(): void {
    this.end(this.state === 'answered' ? 'completed' : 'canceled', 'the SIP user agent closed before the call was over');
  }

  /** A request from the callee within this call (its Call-ID; the UA checked nothing else). */
  handleRequest(request: SipMessage, respond: Respond): void {
    const method = request.method ?? '';
    const dialog = this.dialog;
    const ours = dialog !== undefined && request.headers.to?.params['tag'] === dialog.localTag && request.headers.from?.params['tag'] === dialog.remoteTag;
    if (method === 'ACK') {
      if (ours && this.reinviteAnswer && request.headers.cseq?.seq === this.reinviteAnswer.seq) {
        clearTimeout(this.reinviteAnswer.timer);
        this.reinviteAnswer = undefined;
      }
      return;
    }
    if (!ours || this.state === 'ended') return respond(481, 'Call/Transaction Does Not Exist');
    switch (method) {
      case 'BYE':
        respond(200, 'OK');
        this.end('completed', 'hung up by the callee');
        return;
      case 'INVITE':
        // A re-INVITE (a session refresh, hold, a new codec): answered with the SDP Verity offered
        // (unchanged, so the same o= version, RFC 3264 §8); the media session keeps the first answer.
        respond(200, 'OK', { headers: { contact: [{ uri: this.env.contact.replace(/^<|>$/g, ''), params: {} }], 'content-type': 'application/sdp', allow: ALLOW }, content: this.request.sdpOffer });
        this.retransmitReinviteAnswer(request, respond);
        return;
      case 'OPTIONS':
        return respond(200, 'OK', { headers: { allow: ALLOW, accept: 'application/sdp' } });
      case 'INFO':
        // SIP INFO DTMF (application/dtmf-relay) is not a digit source: the digits are heard in the
        // media (RFC 4733 or in-band). Its content is never logged (it may be the code).
        this.log('debug', `INFO received (${String(request.headers['content-type'] ?? 'no body')})`);
        return respond(200, 'OK');
      case 'CANCEL':
        return respond(200, 'OK');
      default:
        return respond(405, 'Method Not Allowed', { headers: { allow: ALLOW } });
    }
  }

  /** §13.3.1.4: the UAS core resends its 2xx (T1, doubling to T2) until the ACK comes, for 64*T1. */
  private retransmitReinviteAnswer(request: SipMessage, respond: Respond): void {
    if (this.reinviteAnswer) clearTimeout(this.reinviteAnswer.timer);
    const seq = request.headers.cseq?.seq ?? 0;
    const started = Date.now();
    const resend = (interval: number) => {
      const timer = setTimeout(() => {
        if (this.reinviteAnswer?.seq !== seq || Date.now() - started > 64 * T1_MS || this.state === 'ended') return;
        respond(200, 'OK', { headers: { contact: [{ uri: this.env.contact.replace(/^<|>$/g, ''), params: {} }], 'content-type': 'application/sdp', allow: ALLOW }, content: this.request.sdpOffer });
        resend(Math.min(interval * 2, T2_MS));
      }, interval);
      timer.unref();
      this.reinviteAnswer = { seq, timer };
    };
    resend(T1_MS);
  }

  private end(how: CallEnd, detail: string, status?: number): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.clearCancelTimer();
    if (this.reinviteAnswer) clearTimeout(this.reinviteAnswer.timer);
    this.log('info', `ended ${how}: ${detail}${status ? ` (${status})` : ''}`);
    // Requests for the call are still answered (481) for a while; the entry goes with the transactions.
    setTimeout(() => this.env.calls.delete(this.id), CANCEL_WAIT_MS).unref();
    this.signal(() => this.signals.ended(how, detail, status));
    this.resolveOver();
  }

  private clearCancelTimer(): void {
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.cancelTimer = undefined;
  }

  /** A signal handler that throws must not break the call's state machine. */
  private signal(give: () => void): void {
    try {
      give();
    } catch (error) {
      this.log('warn', `a call signal handler threw: ${describe(error)}`);
    }
  }

  /** Library callbacks run inside the socket handlers: nothing thrown may escape them. */
  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.log('warn', `SIP call handling failed: ${describe(error)}`);
    }
  }

  private log(level: 'info' | 'warn' | 'debug', message: string): void {
    this.env.logger[level]({ callSid: this.request.callSid, sipCallId: this.id }, `SIP call: ${message}`);
  }
}
