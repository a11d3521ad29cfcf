import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadVerityConfig } from '../registry.ts';
import { smppSettings } from './smpp-settings.ts';

const BASE = { NODE_ENV: 'test', VERITY_PUBLIC_URL: 'https://verity.example.com', VERITY_SMS_PROVIDER: 'smpp', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none' };
const ACCOUNT = { VERITY_SMPP_URL: 'smpp://smsc.example.net:2775', VERITY_SMPP_SYSTEM_ID: 'verity', VERITY_SMPP_PASSWORD: 'secret' };

describe('SMPP settings', () => {
  it('reports every missing required setting at boot, together', () => {
    assert.throws(() => loadVerityConfig(BASE), (error: Error) => ['VERITY_SMPP_URL', 'VERITY_SMPP_SYSTEM_ID', 'VERITY_SMPP_PASSWORD'].every((name) => error.message.includes(name)));
  });

  it('refuses what SMPP 3.4 cannot carry and URLs that are not smpp:// or ssmpp://', () => {
    assert.throws(() => loadVerityConfig({ ...BASE, ...ACCOUNT, VERITY_SMPP_PASSWORD: 'longer-than-8' }), /VERITY_SMPP_PASSWORD/);
    assert.throws(() => loadVerityConfig({ ...BASE, ...ACCOUNT, VERITY_SMPP_SYSTEM_ID: 'a'.repeat(16) }), /VERITY_SMPP_SYSTEM_ID/);
    assert.throws(() => loadVerityConfig({ ...BASE, ...ACCOUNT, VERITY_SMPP_URL: 'http://smsc.example.net:2775' }), /smpp:\/\/host:port/);
    assert.throws(() => loadVerityConfig({ ...BASE, ...ACCOUNT, VERITY_SMPP_BIND_MODE: 'receiver' }), /VERITY_SMPP_BIND_MODE/);
  });

  it('gives the provider its options with the documented defaults', () => {
    const options = smppSettings(loadVerityConfig({ ...BASE, ...ACCOUNT, VERITY_SMS_FROM: 'Acme' }));
    assert.deepEqual(options, {
      url: ['smpp://smsc.example.net:2775'],
      bindsPerUrl: 1,
      systemId: 'verity',
      password: 'secret',
      systemType: '',
      bindMode: 'transceiver',
      tls: { ca: undefined, verify: true, servername: undefined },
      from: 'Acme',
      sourceTon: undefined,
      sourceNpi: undefined,
      destTon: 1,
      destNpi: 1,
      registeredDelivery: 'all',
      receiptIdFormat: 'same',
      forceUcs2: false,
      window: 10,
      throughputPerSecond: 100,
      enquireLinkMs: 30_000,
      responseTimeoutMs: 10_000,
      reconnectMinMs: 500,
      reconnectMaxMs: 30_000,
    });
  });

  it('reads several SMSCs, tx+rx binds and overrides', () => {
    const options = smppSettings(
      loadVerityConfig({
        ...BASE,
        ...ACCOUNT,
        VERITY_SMPP_URL: 'ssmpp://a.example.net:3550, smpp://b.example.net:2775',
        VERITY_SMPP_BINDS: '2',
        VERITY_SMPP_BIND_MODE: 'tx+rx',
        VERITY_SMPP_SOURCE_TON: '0',
        VERITY_SMPP_RECEIPT_ID_FORMAT: 'hex-to-dec',
        VERITY_SMPP_FORCE_UCS2: 'true',
        VERITY_SMPP_THROUGHPUT: '0',
      }),
    );
    assert.deepEqual(options.url, ['ssmpp://a.example.net:3550', 'smpp://b.example.net:2775']);
    assert.deepEqual([options.bindsPerUrl, options.bindMode, options.sourceTon, options.receiptIdFormat, options.forceUcs2, options.throughputPerSecond], [2, 'tx+rx', 0, 'hex-to-dec', true, 0]);
  });

  it('refuses to skip TLS verification in production', () => {
    const config = loadVerityConfig({ ...BASE, ...ACCOUNT, VERITY_SMPP_TLS_VERIFY: 'false' });
    assert.equal(smppSettings(config).tls?.verify, false);
    assert.throws(() => smppSettings({ ...config, env: 'production' }), /VERITY_SMPP_TLS_VERIFY=false is refused in production/);
  });
});
