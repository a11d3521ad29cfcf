import { startFakeCarrier, type FakeCarrier } from './fake-carrier.ts';

export const KANNEL_USERNAME = 'verity';
export const KANNEL_PASSWORD = 'sendsms-password-0123';

/** One sendsms request the fake took (its query). */
export interface KannelRequest {
  query: URLSearchParams;
}

/**
 * What the fake answers after checking a request: Kannel smsbox's own replies (gw/smsbox.c):
 * `queue` the SMSC is down (`3: Queued for later delivery`), `temporary` the bearerbox refused it
 * for now (503), `not-routable` (403), `sending-failed` (500), `hang` never answers.
 */
export type KannelBehaviour = 'accept' | 'queue' | 'temporary' | 'not-routable' | 'sending-failed' | 'hang';

export type FakeKannel = FakeCarrier<KannelRequest, KannelBehaviour> & { sendsmsUrl: string };

const REPLIES: Record<Exclude<KannelBehaviour, 'hang'>, [number, string]> = {
  accept: [202, '0: Accepted for delivery'],
  queue: [202, '3: Queued for later delivery'],
  temporary: [503, 'Temporal failure, try again later.'],
  'not-routable': [403, 'Not routable. Do not try again.'],
  'sending-failed': [500, 'Sending failed.'],
};

/**
 * A local stand-in for Kannel's smsbox sendsms interface (`GET /cgi-bin/sendsms`), checking a request
 * the way smsbox does for the parameters Verity sends: the sendsms-user's credentials, a receiver,
 * a text, `coding` 0–2, `dlr-mask` with a `dlr-url`. Plain-text answers with smsbox's statuses.
 * The real gateway runs in test/interop/kannel.test.ts.
 */
export async function startFakeKannel(): Promise<FakeKannel> {
  const fake = (await startFakeCarrier<KannelRequest, KannelBehaviour>((state, req, _body, res) => {
    const reply = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://kannel');
    if (req.method !== 'GET' || url.pathname !== '/cgi-bin/sendsms') return reply(404, 'Unknown service');
    const q = url.searchParams;
    if (q.get('username') !== KANNEL_USERNAME || q.get('password') !== KANNEL_PASSWORD) return reply(403, 'Authorization failed for sendsms');
    if (!q.get('to')) return reply(400, 'Missing receiver number, rejected');
    if (!q.get('text')) return reply(400, 'Missing text, rejected');
    if (!['0', '1', '2', null].includes(q.get('coding'))) return reply(400, 'Coding field misformed, rejected');
    if (q.get('dlr-mask') && !q.get('dlr-url')) return reply(400, 'dlr-mask without dlr-url, rejected');
    state.received.push({ query: q });
    if (state.behaviour === 'hang') return;
    const [status, text] = REPLIES[state.behaviour];
    reply(status, text);
  })) as FakeKannel;
  fake.sendsmsUrl = `${fake.apiBase}/cgi-bin/sendsms`;
  return fake;
}
