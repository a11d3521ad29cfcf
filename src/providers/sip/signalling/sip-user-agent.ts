import { lookup } from 'node:dns/promises';
import net from 'node:net';
import sip, { type SipMessage, type SipRemote } from 'sip';
import { OutgoingInvite, type CallEnvironment, type Respond } from './outgoing-invite.ts';
import { Registration } from './registration.ts';
import { ALLOW, newTag, uriUser } from './sip-headers.ts';
import type { CallSignals, InviteRequest, OutgoingCall, SipUserAgent, SipUserAgentOptions } from './sip-signalling.ts';
import { describe, startSipStack, type SipStack } from './sip-stack.ts';

/** How long `close` waits for live calls to end and the registration to be removed before closing the sockets. */
const CLOSE_WAIT_MS = 5_000;

/**
 * Starts Verity's SIP user agent: npm `sip` on `options.listen` (UDP+TCP, or TLS alone, as the
 * proxy's transport), registered with the trunk when `options.register` asks for it. Every request
 * goes to the configured proxy, resolved by the user agent itself (so an outbound proxy is used
 * even when the domain resolves elsewhere): in-dialog requests too, which keeps Verity from ever
 * sending SIP to an address a peer chose (a Contact), and carries NAT-ed trunks.
 */
export async function startSipUserAgent(options: SipUserAgentOptions): Promise<SipUserAgent> {
  const { logger } = options;
  const calls = new Map<string, OutgoingInvite>();
  // Requests can arrive once the sockets listen, a moment before startSipStack resolves: they are dropped until then.
  const ready: { stack?: SipStack } = {};
  const stack = await startSipStack({
    transport: options.proxy.transport,
    listen: options.listen,
    publicAddress: options.publicAddress,
    ...(options.tls ? { tls: { ...options.tls, servername: options.tls.servername ?? (net.isIP(options.proxy.host) ? undefined : options.proxy.host) } } : {}),
    logger,
    onRequest: (request, remote) => {
      try {
        if (ready.stack) onRequest(ready.stack, request, remote);
      } catch (error) {
        logger.warn({ err: describe(error) }, 'SIP request handling failed');
      }
    },
  });
  ready.stack = stack;
  const transportParam = options.proxy.transport === 'udp' ? '' : `;transport=${options.proxy.transport}`;
  const hostPort = (host: string, port: number) => `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  const user = uriUser(options.credentials?.username ?? 'verity');
  const contact = `<sip:${user}@${hostPort(options.publicAddress, stack.port)}${transportParam}>`;
  const proxyRoute = async (): Promise<string> => {
    const { host, port } = options.proxy;
    const address = net.isIP(host) ? host : (await lookup(host)).address;
    return `<sip:${hostPort(address, port)}${transportParam};lr>`;
  };
  const env: CallEnvironment = { stack, domain: options.domain, contact, userAgent: options.userAgent, credentials: options.credentials, logger, proxyRoute, calls };
  logger.info({ listen: `${options.listen.address}:${stack.port}`, transport: options.proxy.transport, proxy: `${options.proxy.host}:${options.proxy.port}` }, 'SIP user agent started');

  const registration = options.register && options.credentials
    ? new Registration({ stack, domain: options.domain, contact, userAgent: options.userAgent, credentials: options.credentials, logger, proxyRoute }, options.register.expiresSeconds)
    : undefined;
  if (registration) await registration.start();

  let closing: Promise<void> | undefined;
  return {
    invite(request: InviteRequest, signals: CallSignals): OutgoingCall {
      if (closing) {
        const refused = { id: '', hangUp: () => Promise.resolve() };
        queueMicrotask(() => {
          try {
            signals.ended('failed', 'the SIP user agent is closed');
          } catch (error) {
            logger.warn({ err: describe(error) }, 'a call signal handler threw');
          }
        });
        return refused;
      }
      return new OutgoingInvite(env, request, signals);
    },
    close() {
      closing ??= (async () => {
        const live = [...calls.values()].filter((call) => !call.ended);
        const ends = Promise.all([...live.map((call) => call.hangUp()), registration?.stop()]);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([ends, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
        clearTimeout(timer);
        for (const call of live) if (!call.ended) call.abandon();
        stack.close();
        logger.info({}, 'SIP user agent closed');
      })();
      return closing;
    },
  };

  /** A request from a peer: to its call when it names one, else answered as Verity answers strangers. */
  function onRequest(stack: SipStack, request: SipMessage, remote: SipRemote): void {
    const respond: Respond = (status, reason, extra) => {
      const to = request.headers.to;
      const response = sip.makeResponse(request, status, reason, extra ? { headers: extra.headers ?? {}, ...(extra.content !== undefined ? { content: extra.content } : {}) } : undefined);
      // A response that creates no dialog still needs a To tag (RFC 3261 §8.2.6.2).
      if (to && !to.params['tag']) response.headers.to = { ...to, params: { ...to.params, tag: newTag() } };
      stack.respond(response);
    };
    const call = calls.get(request.headers['call-id'] ?? '');
    if (call) return call.handleRequest(request, respond);
    const method = request.method ?? '';
    logger.debug({ method, from: `${remote.address}:${remote.port}` }, 'SIP request outside any call');
    if (method === 'ACK') return;
    if (method === 'OPTIONS') return respond(200, 'OK', { headers: { allow: ALLOW, accept: 'application/sdp' } });
    // Verity places calls; it takes none.
    if (method === 'INVITE' && !request.headers.to?.params['tag']) return respond(403, 'Forbidden');
    if (['INVITE', 'BYE', 'CANCEL', 'INFO', 'UPDATE', 'PRACK', 'NOTIFY', 'REFER'].includes(method)) return respond(481, 'Call/Transaction Does Not Exist');
    return respond(405, 'Method Not Allowed', { headers: { allow: ALLOW } });
  }
}
