import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sip, { type SipMessage } from 'sip';
import { dialogFrom, inDialogRequest, routeHeader } from './dialog.ts';

const PROXY = '<sip:192.0.2.10:5060;lr>';
const invite: SipMessage = {
  method: 'INVITE',
  uri: 'sip:+15550001111@trunk.example',
  headers: {
    from: { uri: 'sip:+15557654321@trunk.example', params: { tag: 'ours' } },
    to: { uri: 'sip:+15550001111@trunk.example', params: {} },
    'call-id': 'call-1',
    cseq: { seq: 2, method: 'INVITE' },
  },
};
/** A 2xx as npm sip parses it off the wire. */
const ok = (lines: string[]): SipMessage => {
  const head = ['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx', 'From: <sip:+15557654321@trunk.example>;tag=ours', 'Call-ID: call-1', 'CSeq: 2 INVITE'];
  const parsed = sip.parse(Buffer.from([...head, ...lines, '', ''].join('\r\n')));
  assert.ok(parsed, 'the 2xx parses');
  return parsed;
};

describe('dialog (RFC 3261 §12.1.2, §12.2.1.1)', () => {
  it('takes the remote target from Contact, the route set from Record-Route reversed, the remote tag from To', () => {
    const response = ok([
      'To: <sip:+15550001111@trunk.example>;tag=theirs',
      'Record-Route: <sip:far.example;lr>, <sip:mid.example;lr>',
      'Record-Route: <sip:192.0.2.10:5060;lr>',
      'Contact: <sip:callee@198.51.100.7:5062;transport=tcp>',
    ]);
    const dialog = dialogFrom(invite, response);
    assert.ok(!('error' in dialog), 'a dialog');
    assert.equal(dialog.remoteTag, 'theirs');
    assert.equal(dialog.localTag, 'ours');
    assert.equal(dialog.remoteTarget, 'sip:callee@198.51.100.7:5062;transport=tcp');
    assert.deepEqual(dialog.routeSet, ['<sip:192.0.2.10:5060;lr>', '<sip:mid.example;lr>', '<sip:far.example;lr>']);
    assert.equal(dialog.localSeq, 2);
  });

  it('BYE within the dialog: request URI the remote target, tags on both sides, the proxy not repeated when it leads the route set', () => {
    const dialog = dialogFrom(invite, ok(['To: <sip:+15550001111@trunk.example>;tag=theirs', 'Record-Route: <sip:192.0.2.10;lr>', 'Contact: <sip:callee@198.51.100.7>']));
    assert.ok(!('error' in dialog), 'a dialog');
    const bye = inDialogRequest(dialog, 'BYE', 3, PROXY);
    assert.equal(bye.uri, 'sip:callee@198.51.100.7');
    assert.equal(bye.headers.route, '<sip:192.0.2.10;lr>');
    assert.deepEqual(bye.headers.cseq, { seq: 3, method: 'BYE' });
    assert.equal(bye.headers.to?.params['tag'], 'theirs');
    assert.equal(bye.headers.from?.params['tag'], 'ours');
    assert.equal(bye.headers['max-forwards'], 70);
  });

  it('sends through the outbound proxy when the route set is empty or led by another proxy', () => {
    assert.deepEqual(routeHeader([], PROXY), { route: PROXY });
    assert.deepEqual(routeHeader(['<sip:other.example;lr>'], PROXY), { route: `${PROXY}, <sip:other.example;lr>` });
  });

  it('without Contact the request URI is the target; without a To tag there is no dialog', () => {
    const dialog = dialogFrom(invite, ok(['To: <sip:+15550001111@trunk.example>;tag=t']));
    assert.ok(!('error' in dialog), 'a dialog');
    assert.equal(dialog.remoteTarget, 'sip:+15550001111@trunk.example');
    assert.deepEqual(dialog.routeSet, []);
    assert.deepEqual(dialogFrom(invite, ok(['To: <sip:+15550001111@trunk.example>'])), { error: 'the 2xx has no To tag' });
  });
});
