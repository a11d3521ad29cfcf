import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { SimulatorInbox } from '../../src/providers/simulator/simulator-inbox.ts';
import type { CarrierMode, DeliveryHarness, ReceiptAnswer, SentMessage, SessionReceipts } from './provider-contract.ts';

const BASE_ENV = { NODE_ENV: 'test', VERITY_PUBLIC_URL: 'https://verity.example.com', VERITY_SMS_FROM: '+15005550006' };
export const SIMULATOR_ENV = { ...BASE_ENV, VERITY_SMS_PROVIDER: 'simulator', VERITY_VOICE_PROVIDER: 'simulator', VERITY_EMAIL_PROVIDER: 'simulator', VERITY_WHATSAPP_PROVIDER: 'simulator' };

/**
 * What the simulated carrier does in each mode (VERITY_SIMULATOR_DELIVERY): `ok` accepts every
 * message and then stays silent (`blackhole`), so the only receipts are the ones the tests send by
 * hand; a throttling or unreachable carrier refuses retryable (`reject`: it certainly did not take
 * the message); a carrier refusing for good refuses not retryable.
 */
const RULES: Record<CarrierMode, string> = {
  ok: '*=blackhole',
  throttled: '*=reject',
  unreachable: '*=reject',
  refusing: '*=reject-permanent',
  hanging: '*=blackhole',
};

/**
 * The simulated carrier's receipts are its developer API (`POST /sim/v1/messages/{id}/status`,
 * development only and unauthenticated by design: there is no signature to forge). They are played
 * as a session's receipts: the route's answer stands for the session's answer (200 accepts it,
 * command_status 0; a refusal is its HTTP status).
 */
async function setStatus(app: FastifyInstance, id: string, body: Record<string, unknown>): Promise<ReceiptAnswer> {
  const response = await app.inject({ method: 'POST', url: `/sim/v1/messages/${id}/status`, payload: body });
  return { via: 'session', commandStatus: response.statusCode === 200 ? 0 : response.statusCode };
}

const simulatorReceipts: SessionReceipts = {
  via: 'session',
  async report(app: FastifyInstance, sent: SentMessage, outcome: 'delivered' | 'undelivered') {
    const errorCode = outcome === 'undelivered' ? '30003' : undefined;
    const answer = await setStatus(app, sent.receipt.providerMessageId, { status: outcome, ...(errorCode ? { error_code: errorCode } : {}) });
    return { answer, ...(errorCode ? { errorCode } : {}) };
  },
  async malformed(app: FastifyInstance, sent: SentMessage) {
    const id = sent.receipt.providerMessageId;
    const answers = [await setStatus(app, id, {}), await setStatus(app, id, { status: 'read' }), await setStatus(app, id, { status: 'undelivered', error_code: 'not a code' }), await setStatus(app, id, { status: ['delivered', 'failed'] })];
    for (const answer of answers) assert.ok(answer.via === 'session' && answer.commandStatus === 400, `refused with 400: ${JSON.stringify(answer)}`);
    return answers;
  },
};

export const simulatorDelivery: DeliveryHarness = {
  failures: true,
  env: async (mode) => ({ ...SIMULATOR_ENV, VERITY_SIMULATOR_DELIVERY: RULES[mode] }),
  refused(mode, error) {
    assert.match(error.message, mode === 'refusing' ? /refused the destination/ : /throttled/);
  },
  async delivered(message, receipt, deps) {
    assert.match(receipt.providerMessageId, /^SIM[0-9a-f]{32}$/);
    assert.equal(receipt.status, 'queued');
    const [latest] = await new SimulatorInbox({ messages: deps.stores.simMessages, clock: deps.clock }).list(message.to);
    assert.equal(latest?.id, receipt.providerMessageId);
    assert.equal(latest?.channel, message.channel);
    assert.equal(latest?.body, message.body);
    assert.equal(latest?.from, message.channel === 'email' ? deps.config.emailFrom : deps.config.smsFrom);
  },
  receipts: simulatorReceipts,
};
