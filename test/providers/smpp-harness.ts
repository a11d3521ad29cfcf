/**
 * The SMPP provider's harness for the shared contract (providers-contract.test.ts): the test SMSC
 * (fake-smsc.ts) plays the carrier. Throttling is ESME_RTHROTTLED, refusing ESME_RINVDSTADR, hanging
 * a submit_sm never answered (with a 300 ms response time-out), unreachable a port nothing listens on.
 * Receipts come as deliver_sm on the bind that submitted the message, answered by deliver_sm_resp.
 */
import assert from 'node:assert/strict';
import { startFakeSmsc, type FakeSmsc, type SubmitBehaviour } from './fake-smsc.ts';
import type { CarrierMode, DeliveryHarness, ReceiptAnswer } from './provider-contract.ts';

const BEHAVIOUR: Record<Exclude<CarrierMode, 'unreachable'>, SubmitBehaviour> = { ok: 'accept', throttled: 'throttle', refusing: 'refuse', hanging: 'stall' };
/** A port below the ephemeral range that nothing listens on (as closedPortBase). */
const UNREACHABLE = 'smpp://127.0.0.1:47';

let smsc: FakeSmsc;

const session = (commandStatus: number): ReceiptAnswer => ({ via: 'session', commandStatus });

export function smppDelivery(base: NodeJS.ProcessEnv): DeliveryHarness {
  return {
    failures: true,
    hangs: true,
    async setup() {
      smsc = await startFakeSmsc();
    },
    teardown: () => smsc.close(),
    reset() {
      smsc.reset();
      // The contract sends receipts itself.
      smsc.receipts = 'none';
    },
    async env(mode) {
      if (mode !== 'unreachable') smsc.behaviour = BEHAVIOUR[mode];
      return {
        ...base,
        VERITY_SMS_PROVIDER: 'smpp',
        VERITY_SMPP_URL: mode === 'unreachable' ? UNREACHABLE : smsc.url,
        VERITY_SMPP_SYSTEM_ID: 'verity',
        VERITY_SMPP_PASSWORD: 'secret',
        ...(mode === 'hanging' ? { VERITY_SMPP_RESPONSE_TIMEOUT_MS: '300' } : {}),
      };
    },
    async delivered(message, receipt) {
      const submit = smsc.submits.find((s) => s.messageId === receipt.providerMessageId);
      assert.equal(submit?.destinationAddr, message.to.slice(1));
      assert.deepEqual([submit?.destTon, submit?.destNpi], [1, 1]);
      assert.deepEqual([submit?.sourceAddr, submit?.sourceTon, submit?.sourceNpi], ['15005550006', 1, 1]);
      assert.equal(submit?.dataCoding, 0);
      assert.equal(submit?.text, message.body);
      assert.equal(submit?.registeredDelivery, 1);
    },
    refused(mode, error) {
      if (mode === 'throttled') assert.match(error.message, /ESME_RTHROTTLED/);
      if (mode === 'refusing') assert.match(error.message, /ESME_RINVDSTADR/);
      if (mode === 'hanging') assert.match(error.message, /no submit_sm_resp within 300 ms/);
      if (mode === 'unreachable') assert.match(error.message, /no SMPP bind is up/);
    },
    receipts: {
      via: 'session',
      async report(_app, sent, outcome) {
        const id = sent.receipt.providerMessageId;
        if (outcome === 'delivered') return { answer: session(await smsc.sendReceipt(id, 'DELIVRD')) };
        return { answer: session(await smsc.sendReceipt(id, 'UNDELIV', { err: '0x0b' })), errorCode: '0x0b' };
      },
      async malformed(_app, sent) {
        const id = sent.receipt.providerMessageId;
        const receipt = (fields: Record<string, unknown>) => smsc.sendDeliver({ source_addr: '15551234567', destination_addr: '15005550006', esm_class: 0x04, ...fields }, id);
        return [
          // No id anywhere.
          session(await receipt({ short_message: 'sub:001 dlvrd:001 submit date:2612061200 done date:2612061201 stat:DELIVRD err:000 text:' })),
          // Not the receipt text at all.
          session(await receipt({ short_message: 'hello' })),
          // A state that says nothing (UNKNOWN), by TLV.
          session(await receipt({ receipted_message_id: id, message_state: 7 })),
          // A state no specification defines.
          session(await receipt({ short_message: `id:${id} stat:SPLENDID err:000` })),
        ];
      },
    },
  };
}
