import assert from 'node:assert/strict';
import type { SipVoiceProvider } from '../../src/providers/sip/sip-voice-provider.ts';
import { startSipp, type Sipp } from '../support/sipp.ts';
import { waitUntil } from '../support/wait-for.ts';
import type { VoiceHarness } from './provider-contract.ts';

const NONE = { VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none' };

let far: Sipp | undefined;

/**
 * The SIP provider against a real SIP peer: sipp answering every call at once and hanging up by
 * itself 1.5 s later (test/fixtures/sip/sipp/uas-contract.xml). SIP has no carrier webhooks: the
 * provider reports each call's answer and end by itself, as the console does. Placement cannot
 * fail synchronously (a trunk's refusal is a final response, reported as the call's end), so the
 * placement-failure cases are for the HTTP carriers; test/interop/sip-*.test.ts cover refusals.
 */
export const sipVoice: VoiceHarness = {
  failures: false,
  async setup() {
    far = await startSipp({ scenario: 'uas-contract.xml', calls: 1000, timeoutSeconds: 300 });
  },
  async teardown() {
    await far?.stop();
  },
  env: async () => ({
    NODE_ENV: 'test',
    VERITY_PUBLIC_URL: 'https://verity.example.com',
    VERITY_SMS_FROM: '+15005550006',
    ...NONE,
    VERITY_VOICE_PROVIDER: 'sip',
    VERITY_SIP_PROXY: `sip:${far!.address}:${far!.port}`,
    // npm sip answers itself for requests to its own address: Verity on 127.0.0.2, the peer on 127.0.0.1.
    VERITY_SIP_LISTEN: '127.0.0.2:0',
    VERITY_SIP_RTP_PORTS: '41000-41999',
  }),
  async placed(call, provider) {
    const sip = provider as SipVoiceProvider;
    // Answered: the peer has the INVITE (under this Call-ID) and Verity's ACK.
    await waitUntil('the SIP peer to answer', () => sip.liveCall(call.request.callSid)?.timings.answeredAt != null);
    assert.match(far!.messages(), new RegExp(`Call-ID: ${call.providerCallId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'the peer saw the INVITE under the provider call id');
  },
};
