/**
 * The whole path through a real Kannel: a verification started on Verity's Verify API
 * (`VERITY_SMS_PROVIDER=kannel`) is sent by the dispatcher through smsbox → bearerbox → SMPP → the
 * Perl Net::SMPP SMSC, whose receipt comes back through Kannel's dlr-url to Verity's own server and
 * shows as the verification's delivery status. test/interop/kannel.test.ts covers the provider's
 * wire details; this one, the wiring (createContext's callback key, buildApp's provider routes, the
 * delivery status recorder).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kannelBinary, startKannel, type KannelGateway } from '../support/kannel-gateway.ts';
import { perlSmscAvailable, startPerlSmsc, type PerlSmsc, type SmscSubmit } from '../support/perl-smsc.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { waitUntil } from '../support/wait-for.ts';

const available = kannelBinary('bearerbox') !== undefined && kannelBinary('smsbox') !== undefined && perlSmscAvailable();
if (!available) {
  console.error('\n*** test/interop/kannel-verify.test.ts: SKIPPED: Kannel (bearerbox, smsbox) or Perl Net::SMPP is not installed (apt-get install kannel libnet-smpp-perl). CI installs them and fails here instead. ***\n');
}
// In CI a missing Kannel is a failure, not a skip.
const skip = !available && !process.env['CI'] ? 'Kannel or Perl Net::SMPP is not installed (apt-get install kannel libnet-smpp-perl)' : false;

interface DeliveryView {
  delivery_status: string | null;
  provider: string | null;
  delivery_attempts: Array<{ sid: string; status: string; error_code: string | null; provider_message_id: string | null }>;
}

describe('Verify API → Kannel → SMSC, and the receipt back to the verification', { skip }, () => {
  let smsc: PerlSmsc;
  let kannel: KannelGateway;
  let v: TestVerity;
  let serviceSid: string;

  before(async () => {
    smsc = await startPerlSmsc({ systemId: 'kannel', password: 'smpp-pw2' });
    kannel = await startKannel({ smscPort: smsc.port, systemId: 'kannel', password: 'smpp-pw2' });
    await smsc.next('bind', { where: (e) => e['status'] === 0 });
    v = await startVerity({
      env: {
        VERITY_SMS_PROVIDER: 'kannel',
        VERITY_SMS_FROM: 'Acme',
        VERITY_KANNEL_SENDSMS_URL: kannel.sendsmsUrl,
        VERITY_KANNEL_USERNAME: kannel.username,
        VERITY_KANNEL_PASSWORD: kannel.password,
      },
    });
    const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' });
    assert.equal(service.status, 201, JSON.stringify(service.body));
    serviceSid = service.body.sid as string;
  });

  after(async () => {
    await v?.close();
    await kannel?.stop();
    await smsc?.stop();
  });

  /** Starts a verification to `to` and waits until its delivery status is `status`. */
  async function verifyUntil(to: string, status: string): Promise<{ submit: SmscSubmit; view: DeliveryView }> {
    const after = smsc.events.length;
    const started = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const submit = await smsc.next<SmscSubmit>('submit_sm', { after, timeoutMs: 15_000 });
    let view: DeliveryView | undefined;
    await waitUntil(`the verification's delivery status to be ${status}`, async () => {
      const fetched = await v.api('GET', `/v2/Services/${serviceSid}/Verifications/${started.body.sid as string}`);
      view = (fetched.body.send_code_attempts as DeliveryView[] | undefined)?.[0];
      return view?.delivery_status === status;
    }, { timeoutMs: 15_000, intervalMs: 50 }).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(view)}\n${v.logs().slice(-3000)}\n${kannel.logs()}`);
    });
    return { submit, view: view! };
  }

  it('the code reaches the SMSC through Kannel, and its receipt marks the attempt delivered', async () => {
    const { submit, view } = await verifyUntil('+14155552671', 'delivered');
    assert.match(Buffer.from(submit.short_message_hex, 'hex').toString('latin1'), /\b\d{6}\b/, 'the SMSC got the code');
    assert.equal(submit.source_addr, 'Acme');
    assert.equal(view.provider, 'kannel');
    assert.equal(view.delivery_attempts[0]?.status, 'delivered');
  });

  it('an undeliverable message marks the attempt undelivered with the SMSC\'s error code', async () => {
    await smsc.command('scenario undeliv:034');
    try {
      const { view } = await verifyUntil('+14155552672', 'undelivered');
      assert.equal(view.delivery_attempts.at(-1)?.error_code, '034');
    } finally {
      await smsc.command('scenario deliver');
    }
  });
});
