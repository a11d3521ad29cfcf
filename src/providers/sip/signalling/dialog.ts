import sip, { type SipAddress, type SipMessage } from 'sip';

/**
 * A confirmed dialog on Verity's side (RFC 3261 §12.1.2, the UAC's view of a 2xx to its INVITE):
 * what every later request in the call (ACK, BYE) is addressed with. Pure data; `dialogFrom` builds
 * it, `inDialogRequest` uses it.
 */
export interface Dialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** The From of our requests (our URI and tag), as sent in the INVITE. */
  local: SipAddress;
  /** The To of our requests: the callee's URI with its tag from the 2xx. */
  remote: SipAddress;
  /** The Contact of the 2xx: the request URI of every request in the dialog. */
  remoteTarget: string;
  /** The 2xx's Record-Route URIs in reverse order (§12.1.2), as text. */
  routeSet: string[];
  /** The CSeq of the INVITE; the next request takes the next number (§12.2.1.1). */
  localSeq: number;
}

/** Builds the dialog a 2xx response to `invite` establishes, or says why it cannot (no To tag). */
export function dialogFrom(invite: SipMessage, response: SipMessage): Dialog | { error: string } {
  const to = response.headers.to;
  const from = invite.headers.from;
  const remoteTag = to?.params['tag'];
  const localTag = from?.params['tag'];
  const callId = invite.headers['call-id'];
  if (!to || !remoteTag) return { error: 'the 2xx has no To tag' };
  if (!from || !localTag || !callId || !invite.headers.cseq) return { error: 'the INVITE has no dialog identifiers' };
  const contact = Array.isArray(response.headers.contact) ? response.headers.contact[0] : undefined;
  const contactUri = contact ? uriText(contact.uri) : undefined;
  const recordRoute = Array.isArray(response.headers['record-route']) ? response.headers['record-route'] : [];
  return {
    callId,
    localTag,
    remoteTag,
    local: from,
    remote: to,
    // §12.1.2: the remote target is the 2xx's Contact; without one (a broken peer) the request URI is all there is.
    remoteTarget: contactUri && sip.parseUri(contactUri) ? contactUri : uriText(invite.uri ?? ''),
    routeSet: recordRoute.map((entry) => `<${uriText(entry.uri)}>`).reverse(),
    localSeq: invite.headers.cseq.seq,
  };
}

/**
 * A request within `dialog` (§12.2.1.1): the remote target as request URI, the route set as Route
 * (after `outboundProxy` when it is not already the first hop: Verity sends everything through its
 * proxy), From/To with both tags. `seq` is the CSeq (an ACK reuses the INVITE's).
 */
export function inDialogRequest(dialog: Dialog, method: string, seq: number, outboundProxy: string, extra: Record<string, unknown> = {}): SipMessage {
  return {
    method,
    uri: dialog.remoteTarget,
    headers: {
      via: [],
      to: dialog.remote,
      from: dialog.local,
      'call-id': dialog.callId,
      cseq: { seq, method },
      ...routeHeader(dialog.routeSet, outboundProxy),
      'max-forwards': 70,
      ...extra,
    },
  };
}

/** The Route header for a request to the proxy followed by `routeSet` (the proxy is left out when it already leads the set). */
export function routeHeader(routeSet: string[], outboundProxy: string): { route: string } {
  const first = routeSet[0] ? sip.parseUri(routeSet[0].replace(/^<|>$/g, '')) : undefined;
  const proxy = sip.parseUri(outboundProxy.replace(/^<|>$/g, ''));
  const same = first !== undefined && proxy !== undefined && first.host.toLowerCase() === proxy.host.toLowerCase() && (first.port || 5060) === (proxy.port || 5060);
  return { route: (same ? routeSet : [outboundProxy, ...routeSet]).join(', ') };
}

const uriText = (uri: string | { host: string }): string => (typeof uri === 'string' ? uri : sip.stringifyUri(uri as never));
