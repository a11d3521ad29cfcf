import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadVerityConfig } from '../registry.ts';
import { parseProxy, sipSettings } from './sip-settings.ts';

const BASE = { NODE_ENV: 'test', VERITY_PUBLIC_URL: 'https://verity.example.com', VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'sip', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none', VERITY_SMS_FROM: '+15005550006' };
const TRUNK = { VERITY_SIP_PROXY: 'sip:trunk.example.net' };

describe('SIP settings', () => {
  it('reads a proxy URI with its transport and default port', () => {
    assert.deepEqual(parseProxy('sip:trunk.example.net'), { host: 'trunk.example.net', port: 5060, transport: 'udp' });
    assert.deepEqual(parseProxy('sip:10.0.0.5:5080;transport=tcp'), { host: '10.0.0.5', port: 5080, transport: 'tcp' });
    assert.deepEqual(parseProxy('sips:trunk.example.net'), { host: 'trunk.example.net', port: 5061, transport: 'tls' });
    assert.deepEqual(parseProxy('sip:[2001:db8::1]:5062'), { host: '2001:db8::1', port: 5062, transport: 'udp' });
    assert.throws(() => parseProxy('sips:trunk.example.net;transport=udp'), /TLS only/);
    assert.throws(() => parseProxy('http://trunk.example.net'), /sip:host/);
    assert.throws(() => parseProxy('sip:trunk.example.net:70000'), /port/);
  });

  it('refuses at boot a missing or malformed proxy, a user name without its password, and bad ranges', () => {
    assert.throws(() => loadVerityConfig(BASE), /VERITY_SIP_PROXY/);
    assert.throws(() => loadVerityConfig({ ...BASE, VERITY_SIP_PROXY: 'trunk.example.net' }), /VERITY_SIP_PROXY/);
    assert.throws(() => loadVerityConfig({ ...BASE, ...TRUNK, VERITY_SIP_USERNAME: 'verity' }), /VERITY_SIP_PASSWORD/);
    assert.throws(() => loadVerityConfig({ ...BASE, ...TRUNK, VERITY_SIP_RTP_PORTS: '30000-20000' }), /VERITY_SIP_RTP_PORTS/);
    assert.throws(() => loadVerityConfig({ ...BASE, ...TRUNK, VERITY_SIP_CODECS: 'PCMU,G729' }), /VERITY_SIP_CODECS/);
    assert.throws(() => loadVerityConfig({ ...BASE, ...TRUNK, VERITY_SIP_DTMF: 'sip-info' }), /VERITY_SIP_DTMF/);
  });

  it('gives the provider its options with the documented defaults', () => {
    assert.deepEqual(sipSettings(loadVerityConfig({ ...BASE, ...TRUNK })), {
      proxy: { host: 'trunk.example.net', port: 5060, transport: 'udp' },
      domain: 'trunk.example.net',
      credentials: undefined,
      register: undefined,
      listen: { address: '0.0.0.0', port: 5060 },
      publicAddress: undefined,
      rtpPorts: { min: 20000, max: 20999 },
      codecs: ['PCMU', 'PCMA'],
      dtmf: { rfc4733: true, inband: true },
      assertIdentity: true,
      numberFormat: 'e164',
      maxCallSeconds: 300,
      tls: undefined,
    });
  });

  it('takes credentials, registration, codecs in the order given and the DTMF mode', () => {
    const settings = sipSettings(
      loadVerityConfig({
        ...BASE,
        VERITY_SIP_PROXY: 'sip:pbx.internal:5070;transport=tcp',
        VERITY_SIP_DOMAIN: 'acme.example',
        VERITY_SIP_USERNAME: 'verity',
        VERITY_SIP_PASSWORD: 'secret',
        VERITY_SIP_REGISTER: 'true',
        VERITY_SIP_CODECS: 'pcma, pcmu',
        VERITY_SIP_DTMF: 'inband',
        VERITY_SIP_CALLER_ID: 'from',
        VERITY_SIP_NUMBER_FORMAT: 'digits',
        VERITY_SIP_LISTEN: '127.0.0.2:0',
      }),
    );
    assert.deepEqual(settings.credentials, { username: 'verity', password: 'secret' });
    assert.deepEqual(settings.register, { expiresSeconds: 600 });
    assert.equal(settings.domain, 'acme.example');
    assert.deepEqual(settings.codecs, ['PCMA', 'PCMU']);
    assert.deepEqual(settings.dtmf, { rfc4733: false, inband: true });
    assert.equal(settings.assertIdentity, false);
    assert.equal(settings.numberFormat, 'digits');
    assert.deepEqual(settings.listen, { address: '127.0.0.2', port: 0 });
  });

  it('refuses to register without credentials, and an unverified TLS proxy in production', () => {
    assert.throws(() => sipSettings(loadVerityConfig({ ...BASE, ...TRUNK, VERITY_SIP_REGISTER: 'true' })), /VERITY_SIP_REGISTER needs/);
    const production = loadVerityConfig({ ...BASE, NODE_ENV: 'production', VERITY_MASTER_KEY: 'k'.repeat(64), VERITY_SIP_PROXY: 'sips:trunk.example.net', VERITY_SIP_TLS_VERIFY: 'false' });
    assert.throws(() => sipSettings(production), /refused in production/);
  });
});
